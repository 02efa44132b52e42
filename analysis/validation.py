"""Validation of the framing measures against hand coding.

The hand coding is read and checked by :mod:`analysis.annotations`; the measures'
agreement with one another is :mod:`analysis.agreement`; the metrics are
:mod:`analysis.metrics`.

Measures
    The study's measures (:mod:`analysis.frames`: dictionary, TF-IDF prototypes, latent
    semantic scaling, combined index) and a topic-based measure
    (:class:`analysis.topic_frames.TopicFrameScorer`): a paragraph's topic shares weighted by each topic's
    alignment with the codebook's poles (:func:`analysis.topics.topic_pole_alignment`).
    Each measure gives a paragraph a *position* whose sign says which pole it leans to
    (zero: no lean; for LSS and the topic measure zero is the corpus mean paragraph) and,
    except LSS, a *salience*.
Thresholds (stated once, used everywhere)
    * Polarity: the predicted pole is the sign of the position (> 0 positive pole,
      < 0 negative pole). A position of exactly 0 predicts neither pole.
    * Salience: a paragraph is predicted to speak to the contrast when its salience
      exceeds the threshold of :data:`SALIENCE_RULES`: ``positive`` means > 0 (for the
      dictionary: at least one counted seed term); ``mean`` means above the measure's
      mean salience over the scored paragraphs ("more than the average paragraph"),
      used for continuous saliences that are almost never exactly 0. LSS gives no
      salience, so it always predicts a pole.
    * Full prediction (confusion matrices): ``none`` when not salient, else the pole of
      the sign, or ``mixed`` when the position is exactly 0 (the dictionary with as many
      seeds of each pole).
Metrics (:func:`validation_table`)
    Polarity, among paragraphs coded with a pole (not ``mixed`` or ``none``): the area
    under the ROC curve (scikit-learn ``roc_auc_score``) of the position for the positive
    pole — the probability that a paragraph coded with the positive pole scores above
    one coded with the negative pole, ties counting one half — and precision, recall and
    F1 of each pole at the sign threshold, with the one-sided Mann–Whitney p-value of
    the AUC exceeding 0.5 (:func:`analysis.metrics.auc_pvalue`). Salience, among all coded paragraphs: the AUC
    of the salience for "coded with a pole or mixed" against "coded none", and
    precision, recall and F1 at the salience threshold. A missing position or salience
    (LSS finds no model term) is scored as the neutral value 0, so a measure is not
    rewarded for abstaining.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix

from .annotations import contrast_codes
from .codebook import Codebook, load_codebook
from .metrics import auc, auc_interval, auc_pvalue, binary_scores

#: The measures validated, in the order tables list them.
MEASURES = ("dict", "tfidf", "lss", "sup", "topic", "combined")
MEASURE_LABELS = {"dict": "dictionary", "tfidf": "TF-IDF prototypes", "lss": "latent semantic scaling",
                  "sup": "supervised (stance-aware)", "topic": "topic-based", "combined": "combined index"}
#: Salience threshold rule of each measure (see the module docstring); None: no salience.
SALIENCE_RULES = {"dict": "positive", "tfidf": "mean", "lss": None, "sup": "half", "topic": "mean",
                  "combined": "half"}
#: How each rule reads in a table.
RULE_LABELS = {"positive": "salience > 0", "mean": "salience > corpus mean", "half": "score > 0.5",
               None: "no salience"}


def salience_rule(measure: str, contrast: str, units: pd.DataFrame) -> str | None:
    """The salience rule of ``measure`` on ``contrast``: :data:`SALIENCE_RULES`, except that the
    combined salience of a scorer without the supervised measure is a ratio to the corpus
    mean (:class:`analysis.frames.FrameScorer`), so its rule is ``"mean"``.

    Examples
    --------
    >>> salience_rule("combined", "force", pd.DataFrame(columns=["sup_force_salience"]))
    'half'
    >>> salience_rule("combined", "force", pd.DataFrame(columns=["dict_force_salience"]))
    'mean'
    """
    if measure == "combined" and f"sup_{contrast}_salience" not in units.columns:
        return "mean"
    return SALIENCE_RULES[measure]


# -- hand coding -----------------------------------------------------------------------


# -- the topic-based measure -------------------------------------------------------------


# -- positions, predictions and metrics ----------------------------------------------------


def measure_columns(contrast: str) -> dict[str, tuple[str, str | None]]:
    """``{measure: (position column, salience column or None)}`` in the unit score table.

    The table is :func:`analysis.frame_tables.unit_scores` joined with
    :meth:`analysis.topic_frames.TopicFrameScorer.transform_frame`. LSS enters through its standardised score
    ``z_lss_<c>``, which is centred on the corpus mean.

    Examples
    --------
    >>> measure_columns("force")["lss"]
    ('z_lss_force', None)
    """
    return {"dict": (f"dict_{contrast}", f"dict_{contrast}_salience"),
            "tfidf": (f"tfidf_{contrast}", f"tfidf_{contrast}_salience"),
            "lss": (f"z_lss_{contrast}", None),
            "sup": (f"sup_{contrast}", f"sup_{contrast}_salience"),
            "topic": (f"topic_{contrast}", f"topic_{contrast}_salience"),
            "combined": (f"{contrast}_index", f"{contrast}_salience")}


def salience_threshold(salience, rule: str | None) -> float:
    """The salience above which a unit counts as speaking to the contrast.

    Examples
    --------
    >>> salience_threshold([0.0, 1.0, 2.0], "positive"), salience_threshold([0.0, 1.0, 2.0], "mean")
    (0.0, 1.0)
    """
    if rule is None:
        return float("nan")
    if rule == "positive":
        return 0.0
    if rule == "mean":
        return float(np.nanmean(np.asarray(salience, dtype=float)))
    if rule == "half":  # a score calibrated on the exemplars: framed when above one half
        return 0.5
    raise ValueError(f"salience rule must be 'positive', 'mean', 'half' or None, not {rule!r}")


def salience_thresholds(units: pd.DataFrame, contrasts: Sequence[str], measures: Sequence[str] = MEASURES) -> pd.DataFrame:
    """The stated salience threshold of every measure on every contrast: ``contrast, measure, rule, threshold``.

    Examples
    --------
    >>> u = pd.DataFrame({"dict_force_salience": [0.0, 4.0], "tfidf_force_salience": [0.1, 0.3]})
    >>> salience_thresholds(u, ["force"], ["dict", "tfidf", "lss"]).values.tolist()
    [['force', 'dict', 'salience > 0', 0.0], ['force', 'tfidf', 'salience > corpus mean', 0.2], ['force', 'lss', 'no salience', nan]]
    """
    rows = []
    for c in contrasts:
        for m in measures:
            col = measure_columns(c)[m][1]
            rule = salience_rule(m, c, units)
            rows.append(dict(contrast=c, measure=m, rule=RULE_LABELS[rule],
                             threshold=salience_threshold(units[col], rule) if col else float("nan")))
    return pd.DataFrame(rows)


def predicted_codes(position, salience, threshold: float, negative: str, positive: str) -> np.ndarray:
    """The code a measure predicts for each unit (see the module docstring).

    Examples
    --------
    >>> predicted_codes([1.0, -2.0, 0.0, 0.5, np.nan], [3, 3, 3, 0, 3], 0.0, "neg", "pos").tolist()
    ['pos', 'neg', 'mixed', 'none', 'none']
    >>> predicted_codes([1.0, -2.0], None, float("nan"), "neg", "pos").tolist()
    ['pos', 'neg']
    """
    x = np.asarray(position, dtype=float)
    codes = np.where(x > 0, positive, np.where(x < 0, negative, "mixed")).astype(object)
    if salience is not None:
        codes = np.where(np.asarray(salience, dtype=float) > threshold, codes, "none")
    return np.where(np.isnan(x), "none", codes).astype(object)


def _scored(units: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    if "unit_id" not in units.columns:
        raise ValueError("units has no column 'unit_id' — pass frame_tables.unit_scores joined with the topic scores")
    return units.merge(codes, on="unit_id", how="inner", suffixes=("", "_code"))


def _code_column(table: pd.DataFrame, contrast: str) -> str:
    return f"{contrast}_code" if f"{contrast}_code" in table.columns else contrast


def validation_table(units: pd.DataFrame, codes: pd.DataFrame, codebook: Codebook,
                     measures: Sequence[str] = MEASURES) -> pd.DataFrame:
    """AUC, precision, recall and F1 of each measure against the hand codes.

    Parameters
    ----------
    units : DataFrame
        ``unit_id`` and the columns of :func:`measure_columns` for each measure.
    codes : DataFrame
        ``unit_id`` and one column per contrast (e.g. the reconciled codes).
    codebook : Codebook
    measures : sequence of str

    Returns
    -------
    DataFrame
        One row per contrast, measure, task and class: ``task`` is ``polarity`` (class:
        each pole, among units coded with a pole) or ``salience`` (class ``framed``: coded
        with a pole or ``mixed``, among all coded units). Columns ``rule``,
        ``threshold``, ``n``, ``n_class``, ``auc``, ``tp``, ``fp``, ``fn``,
        ``precision``, ``recall``, ``f1``. The polarity AUC is the same for both poles.
    """
    table = _scored(units, codes)
    rows = []
    for c in codebook.contrasts:
        negative, positive, *_ = contrast_codes(codebook, c)
        coded = table[_code_column(table, c)].to_numpy()
        polar = np.isin(coded, [negative, positive])
        for m in measures:
            pos_col, sal_col = measure_columns(c)[m]
            x = table[pos_col].to_numpy(dtype=float)
            a = auc(coded[polar] == positive, x[polar])
            p = auc_pvalue(coded[polar] == positive, x[polar])
            for pole, sign in ((negative, -1), (positive, 1)):
                truth = coded[polar] == pole
                pred = np.sign(np.nan_to_num(x[polar])) == sign
                rows.append(dict(contrast=c, measure=m, task="polarity", **{"class": pole},
                                 rule="index > 0" if sign > 0 else "index < 0", threshold=0.0,
                                 n=int(polar.sum()), n_class=int(truth.sum()), auc=a, auc_p=p,
                                 **binary_scores(truth, pred)))
            rule = salience_rule(m, c, units)
            framed = coded != "none"
            if sal_col is None:
                rows.append(dict(contrast=c, measure=m, task="salience", **{"class": "framed"}, rule="no salience",
                                 threshold=np.nan, n=len(coded), n_class=int(framed.sum()), auc=np.nan,
                                 auc_p=np.nan, tp=np.nan,
                                 fp=np.nan, fn=np.nan, precision=np.nan, recall=np.nan, f1=np.nan))
                continue
            s = table[sal_col].to_numpy(dtype=float)
            threshold = salience_threshold(units[sal_col], rule)
            rows.append(dict(contrast=c, measure=m, task="salience", **{"class": "framed"},
                             rule=RULE_LABELS[rule],
                             threshold=threshold, n=len(coded), n_class=int(framed.sum()), auc=auc(framed, s),
                             auc_p=auc_pvalue(framed, s),
                             **binary_scores(framed, np.nan_to_num(s) > threshold)))
    return pd.DataFrame(rows)


def unit_predictions(units: pd.DataFrame, codebook: Codebook, contrast: str,
                     measures: Sequence[str] = MEASURES) -> pd.DataFrame:
    """Each measure's predicted code of every unit on ``contrast``: ``unit_id`` and one column per measure.

    Salience thresholds are computed over every row of ``units``.
    """
    negative, positive, *_ = contrast_codes(codebook, contrast)
    out = {"unit_id": units["unit_id"].to_numpy()}
    for m in measures:
        pos_col, sal_col = measure_columns(contrast)[m]
        sal = units[sal_col] if sal_col else None
        threshold = salience_threshold(sal, salience_rule(m, contrast, units)) if sal_col else np.nan
        out[m] = predicted_codes(units[pos_col], sal, threshold, negative, positive)
    return pd.DataFrame(out)


def confusion_table(coded, predicted, labels: Sequence[str]) -> pd.DataFrame:
    """Counts of hand codes (rows) against predicted codes (columns), in the order of ``labels``.

    Examples
    --------
    >>> confusion_table(["a", "a", "b"], ["a", "b", "b"], ["a", "b"]).values.tolist()
    [[1, 1], [0, 1]]
    """
    m = confusion_matrix(list(coded), list(predicted), labels=list(labels))
    return pd.DataFrame(m, index=pd.Index(list(labels), name="coded"), columns=pd.Index(list(labels), name="predicted"))


def confusion_tables(units: pd.DataFrame, codes: pd.DataFrame, codebook: Codebook,
                     measures: Sequence[str] = MEASURES) -> dict[tuple[str, str], pd.DataFrame]:
    """``{(contrast, measure): confusion table}`` of the full four-code prediction."""
    out = {}
    for c in codebook.contrasts:
        pred = unit_predictions(units, codebook, c, measures).merge(codes[["unit_id", c]], on="unit_id")
        for m in measures:
            out[(c, m)] = confusion_table(pred[c], pred[m], contrast_codes(codebook, c))
    return out


def misclassified(units: pd.DataFrame, codes: pd.DataFrame, codebook: Codebook,
                  measures: Sequence[str] = MEASURES) -> pd.DataFrame:
    """Every unit a measure gets wrong, with its text.

    A *polarity* error is a unit coded with a pole whose position does not have that
    pole's sign; a *salience* error is a unit coded ``none`` that the measure finds
    salient, or one coded otherwise that it does not (LSS has no salience errors).

    Columns: ``contrast, measure, task, unit_id, coded, predicted, position, salience, text``.
    """
    rows = []
    for c in codebook.contrasts:
        negative, positive, *_ = contrast_codes(codebook, c)
        pred = unit_predictions(units, codebook, c, measures)
        table = _scored(units, codes).merge(pred.add_prefix("pred_"), left_on="unit_id", right_on="pred_unit_id")
        coded = table[_code_column(table, c)]
        for m in measures:
            pos_col, sal_col = measure_columns(c)[m]
            x = table[pos_col].to_numpy(dtype=float)
            side = np.where(np.nan_to_num(x) > 0, positive, np.where(np.nan_to_num(x) < 0, negative, "no side"))
            wrong = coded.isin([negative, positive]).to_numpy() & (side != coded.to_numpy())
            frames = [table[wrong].assign(task="polarity", predicted=side[wrong])]
            if sal_col is not None:
                salient = table[f"pred_{m}"].to_numpy() != "none"
                bad = (coded.to_numpy() == "none") == salient
                frames.append(table[bad].assign(task="salience",
                                                predicted=np.where(salient[bad], "salient", "not salient")))
            for f in frames:
                rows.append(pd.DataFrame({
                    "contrast": c, "measure": m, "task": f["task"], "unit_id": f["unit_id"],
                    "coded": f[_code_column(f, c)], "predicted": f["predicted"], "position": f[pos_col],
                    "salience": f[sal_col] if sal_col else np.nan, "text": f["text"]}))
    columns = ["contrast", "measure", "task", "unit_id", "coded", "predicted", "position", "salience", "text"]
    return pd.concat(rows, ignore_index=True)[columns] if rows else pd.DataFrame(columns=columns)


def errors_by_unit(errors: pd.DataFrame, task: str = "polarity") -> pd.DataFrame:
    """One row per misread unit: ``contrast, unit_id, coded, wrong`` (measures, in table order), ``n_wrong, text``.

    Examples
    --------
    >>> e = pd.DataFrame({"contrast": ["f", "f"], "measure": ["dict", "lss"], "task": ["polarity"] * 2,
    ...                   "unit_id": ["u1", "u1"], "coded": ["a", "a"], "text": ["t", "t"]})
    >>> errors_by_unit(e)[["unit_id", "wrong", "n_wrong"]].values.tolist()
    [['u1', 'dict, lss', 2]]
    """
    part = errors[errors["task"] == task]
    columns = ["contrast", "unit_id", "coded", "wrong", "n_wrong", "text"]
    if part.empty:
        return pd.DataFrame(columns=columns)
    out = (part.groupby(["contrast", "unit_id"], sort=True)
           .agg(coded=("coded", "first"), wrong=("measure", ", ".join), n_wrong=("measure", "size"),
                text=("text", "first")).reset_index())
    return out.sort_values(["contrast", "n_wrong", "unit_id"], ascending=[True, False, True],
                           kind="stable").reset_index(drop=True)[columns]


# -- agreement between measures ------------------------------------------------------------


def framed_mask(units: pd.DataFrame, contrast: str, codes: pd.DataFrame | None = None) -> np.ndarray:
    """Which units count as framed on ``contrast``.

    With hand codes: units coded with a pole or ``mixed``. Without: units in which the
    dictionary counts at least one seed term of the contrast (``dict_<c>_salience > 0``).

    Examples
    --------
    >>> u = pd.DataFrame({"unit_id": ["a", "b"], "dict_force_salience": [0.0, 2.0]})
    >>> framed_mask(u, "force").tolist(), framed_mask(u, "force", pd.DataFrame({"unit_id": ["a"], "force": ["mixed"]})).tolist()
    ([False, True], [True, False])
    """
    if codes is None:
        return (units[f"dict_{contrast}_salience"].to_numpy(dtype=float) > 0)
    coded = units[["unit_id"]].merge(codes[["unit_id", contrast]], on="unit_id", how="left")[contrast]
    return (coded.notna() & (coded != "none")).to_numpy()


def valid_measures(table: pd.DataFrame, min_auc: float = 0.5) -> dict[str, list[str]]:
    """``{contrast: measures}`` whose polarity AUC on the contrast is above ``min_auc`` (chance).

    Examples
    --------
    >>> v = pd.DataFrame({"contrast": ["f", "f"], "measure": ["dict", "topic"], "task": ["polarity"] * 2,
    ...                   "auc": [0.8, 0.3]})
    >>> valid_measures(v)
    {'f': ['dict']}
    """
    pol = table[table["task"] == "polarity"].drop_duplicates(["contrast", "measure"])
    return {c: part.loc[part["auc"] > min_auc, "measure"].tolist() for c, part in pol.groupby("contrast", sort=False)}


def auc_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Polarity and salience AUC side by side, one row per contrast and measure.

    Examples
    --------
    >>> v = pd.DataFrame({"contrast": ["f"] * 3, "measure": ["dict"] * 3, "task": ["polarity", "polarity", "salience"],
    ...                   "class": ["a", "b", "framed"], "auc": [0.8, 0.8, 0.7], "f1": [0.5, 0.6, 0.9]})
    >>> auc_summary(v).values.tolist()
    [['f', 'dict', 0.8, 0.55, 0.7, 0.9]]
    """
    pol = table[table["task"] == "polarity"].groupby(["contrast", "measure"], sort=False)
    sal = table[table["task"] == "salience"].set_index(["contrast", "measure"])
    out = pd.DataFrame({"auc_polarity": pol["auc"].first(), "macro_f1_polarity": pol["f1"].mean(),
                        "auc_salience": sal["auc"], "f1_salience": sal["f1"]})
    return out.reset_index()


def hand_positions(codes: pd.DataFrame, doc_ids: Sequence[str], codebook: Codebook, contrast: str) -> pd.DataFrame:
    """Each article's position on ``contrast`` according to the hand codes.

    ``hand_index = (n_positive - n_negative) / (n_positive + n_negative + n_mixed)``: the
    balance of pole-coded paragraphs, from -1 (all negative) to +1 (all positive); NaN
    when no paragraph of the article is coded with a pole or ``mixed``.

    Parameters
    ----------
    codes : DataFrame
        ``unit_id`` and a column named ``contrast`` with the codes.
    doc_ids : sequence of str
        The article of each row of ``codes``.

    Examples
    --------
    >>> codes = pd.DataFrame({"unit_id": ["a.p1", "a.p2", "b.p1"],
    ...                       "force": ["credibility", "none", "deterrence"]})
    >>> hand_positions(codes, ["a", "a", "b"], load_codebook(), "force")[["doc_id", "hand_index"]].values.tolist()
    [['a', 1.0], ['b', -1.0]]
    """
    negative, positive, mixed, _ = contrast_codes(codebook, contrast)
    table = pd.DataFrame({"doc_id": list(doc_ids), "code": codes[contrast].to_numpy()})
    rows = []
    for doc_id, group in table.groupby("doc_id", sort=False):
        n_pos, n_neg, n_mix = ((group["code"] == code).sum() for code in (positive, negative, mixed))
        framed = n_pos + n_neg + n_mix
        rows.append(dict(doc_id=doc_id, contrast=contrast, paragraphs=len(group), **{f"n_{negative}": int(n_neg),
                         f"n_{positive}": int(n_pos), "n_mixed": int(n_mix)},
                         hand_index=(n_pos - n_neg) / framed if framed else float("nan")))
    return pd.DataFrame(rows)


def auc_intervals(table: pd.DataFrame, units: pd.DataFrame, codes: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The polarity and salience AUCs of :func:`validation_table` with bootstrap intervals.

    One row per contrast, measure and task: ``auc, auc_low, auc_high, f1, n, n_class``
    (F1 of the positive pole for polarity, of ``framed`` for salience).
    """
    scored = _scored(units, codes)
    rows = []
    for rec in table.to_dict("records"):
        r = pd.Series(rec)
        negative, positive, *_ = contrast_codes(codebook, r.contrast)
        if r.task == "polarity" and rec["class"] != positive:
            continue
        pos_col, sal_col = measure_columns(r.contrast)[r.measure]
        coded = scored[_code_column(scored, r.contrast)].to_numpy()
        if r.task == "polarity":
            keep = np.isin(coded, [negative, positive])
            y, x = coded[keep] == positive, scored[pos_col].to_numpy(dtype=float)[keep]
        elif sal_col is not None:
            y, x = coded != "none", scored[sal_col].to_numpy(dtype=float)
        else:
            continue
        low, high = auc_interval(y, x)
        rows.append(dict(contrast=r.contrast, measure=r.measure, task=r.task, auc=r.auc, auc_low=low,
                         auc_high=high, f1=r.f1, n=r.n, n_class=r.n_class))
    return pd.DataFrame(rows)


def auc_by_scorer(scorers: Mapping[str, object], paragraphs: pd.DataFrame, codes: pd.DataFrame,
                  codebook: Codebook) -> pd.DataFrame:
    """Polarity and salience AUC of every measure of several fitted scorers, side by side.

    Parameters
    ----------
    scorers : mapping ``{label: fitted FrameScorer}``
        E.g. the study's scorer and one trained on a subset of the exemplars.
    paragraphs : DataFrame
        ``doc_id, unit_id, text``.
    codes : DataFrame
        ``unit_id`` and the hand codes.
    codebook : Codebook

    Returns
    -------
    DataFrame
        ``contrast, measure, task`` and one AUC column per label.
    """
    from .frame_tables import measures_in, unit_scores

    columns = []
    for label, scorer in scorers.items():
        units = unit_scores(paragraphs, scorer)
        measures = sorted({m for c in codebook.contrasts for m in measures_in(units, c)},
                          key=list(MEASURES).index) + ["combined"]
        table = validation_table(units, codes, codebook, measures).drop_duplicates(["contrast", "measure", "task"])
        columns.append(table.set_index(["contrast", "measure", "task"])["auc"].rename(label))
    return pd.concat(columns, axis=1).reset_index()
