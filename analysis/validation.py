"""Validation of the framing measures against hand coding, and their agreement.

Hand coding (:func:`load_annotations`)
    A corpus may hold ``annotations/`` with two independent coding passes and a
    reconciled third pass (file names in :data:`PASS_FILES` and :data:`RECONCILED_FILE`).
    Each file has a ``unit_id`` column and one column per codebook contrast; a code is
    either pole of the contrast, ``mixed`` or ``none``; the reconciled file also gives
    ``<contrast>_reason`` (``agreed`` where the passes agreed). Other columns are kept,
    so a filled-in sheet of ``python -m analysis sample`` (:mod:`analysis.sampling`) is
    a pass file. The three files code the same paragraphs. Files are validated when read
    (:func:`annotations_check` for ``python -m analysis validate``) and every problem
    names the file, the line and the field.
Reliability (:func:`annotation_reliability`)
    Krippendorff's alpha (nominal, :mod:`analysis.reliability`) between the two passes,
    on the four codes of each contrast and on the binary "speaks to the contrast or not".
Measures
    The study's measures (:mod:`analysis.frames`: dictionary, TF-IDF prototypes, latent
    semantic scaling, combined index) and a topic-based measure
    (:class:`TopicFrameScorer`): a paragraph's topic shares weighted by each topic's
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
    the AUC exceeding 0.5 (:func:`auc_pvalue`). Salience, among all coded paragraphs: the AUC
    of the salience for "coded with a pole or mixed" against "coded none", and
    precision, recall and F1 at the salience threshold. A missing position or salience
    (LSS finds no model term) is scored as the neutral value 0, so a measure is not
    rewarded for abstaining.
Agreement (:func:`agreement_table`)
    For each pair of measures, the share of framed paragraphs on which their signs are
    equal (-1, 0 or +1; a missing position counts as 0), the same share among the
    paragraphs on which both take a side, and Krippendorff's alpha over the measures
    taken as coders.
"""
from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import mannwhitneyu
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.metrics import confusion_matrix, roc_auc_score
from sklearn.utils.validation import check_is_fitted

from . import config
from .codebook import Codebook, load_codebook
from .errors import InputError, Problem
from .reliability import krippendorff_alpha_nominal, percent_agreement
from .topics import TopicModel, topic_pole_alignment

#: Folder of a corpus that holds the hand coding.
ANNOTATION_DIR = "annotations"
#: The two independent coding passes, in the order their names are reported.
PASS_FILES = {"pass_a": "pass_a.csv", "pass_b": "pass_b.csv"}
#: The reconciled codes.
RECONCILED_FILE = "reconciled.csv"
#: Codes every contrast has besides its two poles.
OTHER_CODES = ("mixed", "none")
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


def contrast_codes(codebook: Codebook, contrast: str) -> tuple[str, str, str, str]:
    """The four codes of ``contrast``: negative pole, positive pole, ``mixed``, ``none``.

    Examples
    --------
    >>> contrast_codes(load_codebook(), "force")
    ('deterrence', 'credibility', 'mixed', 'none')
    """
    c = codebook.contrasts[contrast]
    return (c.negative.name, c.positive.name, *OTHER_CODES)


def annotation_read(path: str | Path, codebook: Codebook,
                    unit_ids: Sequence[str] | None = None, columns: Sequence[str] = ()) -> pd.DataFrame:
    """Read and validate one coding file.

    Parameters
    ----------
    path : path of a CSV file with ``unit_id`` and one column per contrast
    codebook : Codebook
        Gives the contrasts and their codes.
    unit_ids : sequence of str, optional
        The corpus' paragraph ids; a coded id not among them is an error.
    columns : sequence of str
        Further columns the header must have (their values are not checked).

    Returns
    -------
    DataFrame
        Every column of the file, as text, one row per coded unit, in file order.

    Raises
    ------
    InputError
        Every problem of the file, each naming the file, the line and the field.
    """
    path = Path(path)
    contrasts = list(codebook.contrasts)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(Problem(path, "the coding file is missing",
                                 f"add it with columns unit_id, {', '.join(contrasts)} or remove the "
                                 f"{ANNOTATION_DIR}/ folder")) from None
    except UnicodeDecodeError as exc:
        raise InputError(Problem(path, f"not valid UTF-8 at byte offset {exc.start}", "re-save the file as UTF-8")) \
            from None
    except OSError as exc:  # a folder, or no permission
        raise InputError(Problem(path, f"cannot be read ({exc.strerror or exc})",
                                 "make it a readable CSV file")) from None
    reader = csv.reader(text.splitlines(keepends=True))
    header = next(reader, None)
    if not header:
        raise InputError(Problem(path, "the file is empty", f"write a header: unit_id,{','.join(contrasts)}", line=1))
    header = [h.strip() for h in header]
    needed = ["unit_id", *contrasts, *columns]
    missing = [c for c in needed if c not in header]
    if missing:
        raise InputError([Problem(path, f"no column {c!r} in the header",
                                  f"add the column {c!r} (the header needs {', '.join(needed)})", line=1)
                          for c in missing])
    known = set(unit_ids) if unit_ids is not None else None
    allowed = {c: contrast_codes(codebook, c) for c in contrasts}
    problems, rows, first_line = [], [], {}
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.append(Problem(path, f"{len(values)} fields where the header has {len(header)}",
                                    "quote any field that contains a comma", line=line))
            continue
        row = {h: v.strip() for h, v in zip(header, values)}
        uid = row["unit_id"]
        if not uid:
            problems.append(Problem(path, "field 'unit_id' is empty", "give the paragraph's unit_id", line=line))
        elif uid in first_line:
            problems.append(Problem(path, f"unit_id {uid!r} is coded twice (first on line {first_line[uid]})",
                                    "keep one row per paragraph", line=line))
        elif known is not None and uid not in known:
            problems.append(Problem(path, f"unit_id {uid!r} is not a paragraph of the corpus",
                                    "use the ids of load_corpus().paragraphs (the corpus may have been "
                                    "re-segmented since the coding)", line=line))
        first_line.setdefault(uid, line)
        for c in contrasts:
            if not row[c]:
                problems.append(Problem(path, f"field {c!r} is empty",
                                        f"code the paragraph with one of {', '.join(allowed[c])}", line=line))
            elif row[c] not in allowed[c]:
                problems.append(Problem(path, f"field {c!r} has code {row[c]!r}",
                                        f"use one of {', '.join(allowed[c])}", line=line))
        rows.append(row)
    if problems:
        raise InputError(problems)
    if not rows:
        raise InputError(Problem(path, "the file codes no paragraph", "add one row per coded paragraph", line=2))
    return pd.DataFrame(rows, columns=header)


@dataclass(frozen=True)
class Annotations:
    """The hand coding of a corpus; build it with :func:`load_annotations`.

    Attributes
    ----------
    passes : dict name -> DataFrame, the independent coding passes
    reconciled : DataFrame, the final codes (with the reconciling pass' reasons)
    folder : Path
    """

    passes: dict[str, pd.DataFrame]
    reconciled: pd.DataFrame
    folder: Path


def load_annotations(corpus_dir: str | Path | None = None, codebook: Codebook | None = None,
                     unit_ids: Sequence[str] | None = None) -> Annotations | None:
    """The hand coding in ``<corpus_dir>/annotations/``, or None when the corpus has none.

    Every file is read (:func:`annotation_read`) before any error is raised, so one
    :class:`~analysis.errors.InputError` lists the problems of all of them. Besides each
    file's own problems: a pass or the reconciled file missing, a reconciled file without
    ``<contrast>_reason`` columns, and a paragraph coded in one file but not in another.

    Examples
    --------
    >>> load_annotations(config.ROOT / "examples" / "demo-corpus").reconciled.shape
    (18, 5)
    >>> load_annotations(config.ROOT / "examples") is None  # a folder without annotations/
    True
    """
    folder = (Path(corpus_dir) if corpus_dir is not None else config.CORPUS_DIR) / ANNOTATION_DIR
    if not folder.is_dir():
        return None
    codebook = codebook or load_codebook()
    contrasts = list(codebook.contrasts)
    reasons = [f"{c}_reason" for c in contrasts]
    files = {**PASS_FILES, "reconciled": RECONCILED_FILE}
    problems = _annotation_files_missing(folder, contrasts)
    tables = {}
    for name, file in files.items():
        if not (folder / file).exists():
            continue
        try:
            tables[name] = annotation_read(folder / file, codebook, unit_ids,
                                           columns=reasons if name == "reconciled" else ())
        except InputError as exc:
            problems += exc.problems
    if not problems:
        problems += _annotation_coverage({folder / files[name]: table for name, table in tables.items()})
    if problems:
        raise InputError(problems)
    reconciled = tables.pop("reconciled")
    return Annotations(passes=tables, reconciled=reconciled, folder=folder)


def _annotation_files_missing(folder: Path, contrasts: list[str]) -> list[Problem]:
    """A missing pass, or a missing reconciled file, each with what to put there."""
    problems = []
    for file in PASS_FILES.values():
        if not (folder / file).exists():
            problems.append(Problem(folder / file, "the coding pass is missing",
                                    f"add it (a filled-in sheet of `python -m analysis sample`, or columns unit_id, "
                                    f"{', '.join(contrasts)}) or remove the {ANNOTATION_DIR}/ folder"))
    if not (folder / RECONCILED_FILE).exists():
        what = ("the passes are not reconciled" if all((folder / f).exists() for f in PASS_FILES.values())
                else "the reconciled coding is missing")
        problems.append(Problem(folder / RECONCILED_FILE, what,
                                f"add it with columns unit_id, {', '.join(contrasts)}, "
                                f"{', '.join(c + '_reason' for c in contrasts)}: the final code of every paragraph "
                                "the passes coded, and why ('agreed' where they agree)"))
    return problems


def _annotation_coverage(tables: dict[Path, pd.DataFrame]) -> list[Problem]:
    """Every paragraph coded in some file of the folder but not in another (reliability and
    reconciliation compare the files unit by unit)."""
    coded = {path: set(t["unit_id"]) for path, t in tables.items()}
    every = set().union(*coded.values())
    problems = []
    for path, ids in coded.items():
        for uid in sorted(every - ids):
            where = next(p.name for p, other in coded.items() if uid in other)
            problems.append(Problem(path, f"unit_id {uid!r} is coded in {where} but not here",
                                    "code the same paragraphs in every file of the folder"))
    return problems


def annotations_check(corpus_dir: str | Path) -> list[Problem]:
    """Problems of ``<corpus_dir>/annotations/``; none when the corpus has no such folder.

    The files are read as the study reads them (:func:`load_annotations`, with the
    corpus' codebook and paragraph ids): a pass or the reconciled file missing, a missing
    column, an empty or unknown code, an unknown or empty ``unit_id``, a paragraph coded
    twice in one file or not coded in every file. Called by ``python -m analysis
    validate`` once the corpus and its codebook are sound.

    Examples
    --------
    >>> annotations_check(config.ROOT / "examples" / "demo-corpus")
    []
    """
    from .codebook import corpus_codebook
    from .corpus import load_corpus

    folder = Path(corpus_dir) / ANNOTATION_DIR
    if not folder.exists():
        return []
    if not folder.is_dir():
        return [Problem(folder, "is a file, not a folder",
                        f"put the coding files ({', '.join([*PASS_FILES.values(), RECONCILED_FILE])}) "
                        f"in a folder named {ANNOTATION_DIR}/")]
    try:
        load_annotations(corpus_dir, corpus_codebook(corpus_dir), load_corpus(corpus_dir).paragraphs["unit_id"])
    except InputError as exc:
        return exc.problems
    return []


def annotation_reliability(annotations: Annotations, codebook: Codebook) -> pd.DataFrame:
    """Agreement of the two coding passes, per contrast.

    Columns: ``contrast``, ``units`` (coded in both passes), ``agreement`` (share of
    identical codes), ``alpha`` (Krippendorff's nominal alpha on the four codes),
    ``alpha_framed`` (on "speaks to the contrast" = any code but ``none``) and
    ``disagreements``.
    """
    (name_a, a), (name_b, b) = list(annotations.passes.items())[:2]
    both = a.merge(b, on="unit_id", suffixes=("_a", "_b"))
    rows = []
    for c in codebook.contrasts:
        x, y = both[f"{c}_a"].tolist(), both[f"{c}_b"].tolist()
        rows.append(dict(contrast=c, units=len(both), agreement=percent_agreement(x, y),
                         alpha=krippendorff_alpha_nominal([x, y]),
                         alpha_framed=krippendorff_alpha_nominal([[v != "none" for v in x], [v != "none" for v in y]]),
                         disagreements=int(sum(u != v for u, v in zip(x, y)))))
    return pd.DataFrame(rows)


def code_counts(codes: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """How many units carry each code: one row per contrast and code, column ``n``.

    Examples
    --------
    >>> code_counts(pd.DataFrame({"alliance": ["none", "mixed"], "force": ["none", "none"]}),
    ...             load_codebook())["n"].tolist()
    [0, 0, 1, 1, 0, 0, 0, 2]
    """
    rows = [dict(contrast=c, code=code, n=int((codes[c] == code).sum()))
            for c in codebook.contrasts for code in contrast_codes(codebook, c)]
    return pd.DataFrame(rows)


def reconciliation_summary(annotations: Annotations, codebook: Codebook) -> pd.DataFrame:
    """Where the passes disagreed, which one the reconciled code followed.

    Columns: ``contrast``, ``disagreements``, ``followed_<pass>`` for each pass and
    ``followed_neither``.
    """
    (name_a, a), (name_b, b) = list(annotations.passes.items())[:2]
    m = a.merge(b, on="unit_id", suffixes=("_a", "_b")).merge(annotations.reconciled, on="unit_id")
    rows = []
    for c in codebook.contrasts:
        d = m[m[f"{c}_a"] != m[f"{c}_b"]]
        rows.append({"contrast": c, "disagreements": len(d),
                     f"followed_{name_a}": int((d[c] == d[f"{c}_a"]).sum()),
                     f"followed_{name_b}": int((d[c] == d[f"{c}_b"]).sum()),
                     "followed_neither": int(((d[c] != d[f"{c}_a"]) & (d[c] != d[f"{c}_b"])).sum())})
    return pd.DataFrame(rows)


# -- the topic-based measure -------------------------------------------------------------


class TopicFrameScorer(TransformerMixin, BaseEstimator):
    """A paragraph's topic shares weighted by each topic's alignment with the poles.

    A topic model (:class:`analysis.topics.TopicModel`) is fitted on the units; each
    topic ``k`` gets its cosine ``a[k, p]`` with each pole's seed terms
    (:func:`analysis.topics.topic_pole_alignment`, on stems; a pole none of whose seeds is
    in the vocabulary has cosine 0). With ``theta[u, k]`` the topic shares of unit ``u``:

    ``raw_c(u) = sum_k theta[u, k] (a[k, positive] - a[k, negative])``,
    ``topic_<c> = raw_c(u) - mean over the fitted units of raw_c``,
    ``topic_<c>_salience = sum_k theta[u, k] (a[k, positive] + a[k, negative])``.

    The raw index has no meaningful zero (the poles' seed lists differ in size and in
    how many of their words the vocabulary keeps), so it is centred on the corpus mean,
    as latent semantic scaling is in :class:`analysis.frames.FrameScorer`.

    Parameters
    ----------
    codebook : Codebook, path or None
    method, n_components, min_df, stem, random_state
        Passed to :class:`~analysis.topics.TopicModel`.

    Attributes
    ----------
    model_ : fitted TopicModel
    alignment_ : DataFrame ``topic, pole, cosine, n_terms_found``
    weights_ : DataFrame (topics x poles) of cosines, NaN read as 0
    centre_ : dict ``{contrast: mean raw index}``

    Examples
    --------
    >>> docs = ["a deal of convenience and interest", "a bargain and a deal", "shared ideology and faith",
    ...         "ideology and shared values", "deterrence and retaliation", "credibility and resolve"]
    >>> t = TopicFrameScorer(n_components=2, min_df=1, random_state=0).fit(docs)
    >>> t.get_feature_names_out().tolist()
    ['topic_alliance', 'topic_alliance_salience', 'topic_force', 'topic_force_salience']
    """

    def __init__(self, codebook=None, method: str = "nmf", n_components: int = 8, min_df: int | float = 2,
                 stem: bool = False, random_state: int = config.SEED):
        self.codebook = codebook
        self.method = method
        self.n_components = n_components
        self.min_df = min_df
        self.stem = stem
        self.random_state = random_state

    def fit(self, X, y=None):
        """Fit the topic model on ``X`` and align its topics with the poles."""
        self.codebook_ = self.codebook if isinstance(self.codebook, Codebook) else load_codebook(self.codebook)
        texts = list(X)
        self.model_ = TopicModel(self.method, self.n_components, min_df=self.min_df, stem=self.stem,
                                 random_state=self.random_state).fit(texts)
        self.alignment_ = topic_pole_alignment(self.model_.components_, self.model_.terms_,
                                               self.codebook_.seed_terms(), analyzer=self.model_.vectorizer_.analyzer)
        self.weights_ = (self.alignment_.pivot(index="topic", columns="pole", values="cosine")
                         .fillna(0.0).sort_index())
        raw = self._raw(self.model_.transform(texts))
        self.centre_ = {c: float(raw[c].mean()) for c in self.codebook_.contrasts}
        return self

    def _raw(self, theta: np.ndarray) -> dict[str, np.ndarray]:
        out = {}
        for name, c in self.codebook_.contrasts.items():
            pos, neg = self.weights_[c.positive.name].to_numpy(), self.weights_[c.negative.name].to_numpy()
            out[name] = theta @ (pos - neg)
            out[f"{name}_salience"] = theta @ (pos + neg)
        return out

    def transform_frame(self, X) -> pd.DataFrame:
        """``topic_<c>`` (centred index) and ``topic_<c>_salience`` of every unit."""
        check_is_fitted(self, "centre_")
        raw = self._raw(self.model_.transform(list(X)))
        cols = {}
        for c in self.codebook_.contrasts:
            cols[f"topic_{c}"] = raw[c] - self.centre_[c]
            cols[f"topic_{c}_salience"] = raw[f"{c}_salience"]
        return pd.DataFrame(cols)

    def transform(self, X) -> np.ndarray:
        return self.transform_frame(X).to_numpy(dtype=float)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "centre_")
        return np.array([n for c in self.codebook_.contrasts for n in (f"topic_{c}", f"topic_{c}_salience")],
                        dtype=object)


# -- positions, predictions and metrics ----------------------------------------------------


def measure_columns(contrast: str) -> dict[str, tuple[str, str | None]]:
    """``{measure: (position column, salience column or None)}`` in the unit score table.

    The table is :func:`analysis.frame_tables.unit_scores` joined with
    :meth:`TopicFrameScorer.transform_frame`. LSS enters through its standardised score
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


def binary_scores(y_true, y_pred) -> dict[str, float]:
    """Counts and precision, recall, F1 of a binary prediction (NaN when undefined).

    ``precision = tp / (tp + fp)``, ``recall = tp / (tp + fn)``,
    ``F1 = 2 precision recall / (precision + recall)``.

    Examples
    --------
    >>> binary_scores([True, True, False, False], [True, False, True, False])
    {'tp': 1, 'fp': 1, 'fn': 1, 'precision': 0.5, 'recall': 0.5, 'f1': 0.5}
    """
    t = np.asarray(y_true, dtype=bool)
    p = np.asarray(y_pred, dtype=bool)
    tp, fp, fn = int((t & p).sum()), int((~t & p).sum()), int((t & ~p).sum())
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if tp else (0.0 if tp + fp and tp + fn else float("nan"))
    return dict(tp=tp, fp=fp, fn=fn, precision=precision, recall=recall, f1=f1)


def auc_pvalue(y_true, score) -> float:
    """One-sided p-value of an AUC above 0.5 (Mann–Whitney U test, scipy; missing scores read as 0).

    The AUC equals ``U / (n1 n0)`` for the positive class, so this is the probability,
    under random labelling, of an AUC at least as high.

    Examples
    --------
    >>> round(auc_pvalue([0, 0, 1, 1], [1.0, 2.0, 3.0, 4.0]), 4)
    0.1667
    """
    y = np.asarray(y_true, dtype=bool)
    if y.all() or not y.any():
        return float("nan")
    x = np.nan_to_num(np.asarray(score, dtype=float), nan=0.0)
    return float(mannwhitneyu(x[y], x[~y], alternative="greater").pvalue)


def rank_correlation(a, b) -> tuple[float, int]:
    """Spearman's ρ over the pairs where both values are known, and the number of those pairs.

    ρ is NaN, without a warning, when fewer than three pairs remain or either side is
    constant there (a rank correlation is then undefined).

    Examples
    --------
    >>> rank_correlation([1, 2, 3, np.nan], [10, 30, 20, 5])
    (0.5, 3)
    >>> rank_correlation([1, 1, 1], [1, 2, 3])
    (nan, 3)
    """
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    both = np.isfinite(x) & np.isfinite(y)
    x, y, n = x[both], y[both], int(both.sum())
    if n < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan"), n
    rx, ry = pd.Series(x).rank().to_numpy(), pd.Series(y).rank().to_numpy()
    return float(np.corrcoef(rx, ry)[0, 1]), n


def rho_text(rho: float, n: int) -> str:
    """How prose reports :func:`rank_correlation`: ``ρ = 0.50 over 3 articles`` or why it is undefined.

    Examples
    --------
    >>> rho_text(0.5, 3), rho_text(float("nan"), 2)
    ('ρ = 0.50 over 3 articles', 'ρ undefined (2 articles with both values; it needs 3 that vary)')
    """
    if np.isnan(rho):
        return f"ρ undefined ({n} article{'s' if n != 1 else ''} with both values; it needs 3 that vary)"
    return f"ρ = {rho:.2f} over {n} articles"


def auc(y_true, score) -> float:
    """ROC AUC of ``score`` for ``y_true`` (missing scores read as 0; NaN with one class).

    Examples
    --------
    >>> auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    y = np.asarray(y_true, dtype=bool)
    if y.all() or not y.any():
        return float("nan")
    return float(roc_auc_score(y, np.nan_to_num(np.asarray(score, dtype=float), nan=0.0)))


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


def polarity_signs(units: pd.DataFrame, contrast: str, measures: Sequence[str] = MEASURES) -> pd.DataFrame:
    """The sign (-1, 0, +1) of each measure's position; a missing position is 0.

    Examples
    --------
    >>> u = pd.DataFrame({"dict_force": [1.0, 0.0], "z_lss_force": [-0.5, np.nan]})
    >>> polarity_signs(u, "force", ["dict", "lss"]).values.tolist()
    [[1, -1], [0, 0]]
    """
    return pd.DataFrame({m: np.sign(np.nan_to_num(units[measure_columns(contrast)[m][0]].to_numpy(dtype=float)))
                         .astype(int) for m in measures}, index=units.index)


def agreement_matrix(signs: pd.DataFrame) -> pd.DataFrame:
    """Share of rows on which each pair of columns holds the same value.

    Examples
    --------
    >>> agreement_matrix(pd.DataFrame({"a": [1, -1, 1, 0], "b": [1, 1, 1, 0]})).loc["a", "b"]
    np.float64(0.75)
    """
    cols = list(signs.columns)
    values = signs.to_numpy()
    share = np.array([[np.mean(values[:, i] == values[:, j]) if len(values) else np.nan for j in range(len(cols))]
                      for i in range(len(cols))])
    return pd.DataFrame(share, index=pd.Index(cols, name="measure"), columns=cols)


def agreement_table(units: pd.DataFrame, contrast: str, framed, measures: Sequence[str] = MEASURES) -> pd.DataFrame:
    """Pairwise sign agreement of the measures on the framed units of ``contrast``.

    Parameters
    ----------
    units : DataFrame with the position columns of :func:`measure_columns`
    contrast : str
    framed : boolean array, one per row of ``units``
        The units compared (e.g. those hand-coded with a pole or ``mixed``).
    measures : sequence of str

    Returns
    -------
    DataFrame
        For every ordered pair (a measure with itself included): ``contrast,
        measure_a, measure_b``; ``n``, ``agree`` and ``share`` over all framed units (a
        0 sign — no side — is a value like the others); ``n_sided``, ``agree_sided`` and
        ``share_sided`` over the framed units on which both measures take a side.

    Examples
    --------
    >>> u = pd.DataFrame({"dict_force": [1.0, 0.0, -1.0], "tfidf_force": [0.5, 0.2, 0.3]})
    >>> t = agreement_table(u, "force", [True, True, True], ["dict", "tfidf"])
    >>> t.loc[1, ["n", "agree", "n_sided", "agree_sided"]].tolist()
    [3, 1, 2, 1]
    """
    signs = polarity_signs(units[np.asarray(framed, dtype=bool)], contrast, measures)
    rows = []
    for a in measures:
        for b in measures:
            x, y = signs[a].to_numpy(), signs[b].to_numpy()
            sided = (x != 0) & (y != 0)
            n, n_sided = len(x), int(sided.sum())
            agree, agree_sided = int((x == y).sum()), int((x == y)[sided].sum())
            rows.append(dict(contrast=contrast, measure_a=a, measure_b=b, n=n, agree=agree,
                             share=agree / n if n else np.nan, n_sided=n_sided, agree_sided=agree_sided,
                             share_sided=agree_sided / n_sided if n_sided else np.nan))
    return pd.DataFrame(rows)


def measures_alpha(units: pd.DataFrame, contrast: str, framed, measures: Sequence[str] = MEASURES) -> float:
    """Krippendorff's nominal alpha of the measures' signs, the measures taken as coders."""
    signs = polarity_signs(units[np.asarray(framed, dtype=bool)], contrast, measures)
    if signs.empty:
        return float("nan")
    return krippendorff_alpha_nominal([signs[m].tolist() for m in measures])


def disagreements(units: pd.DataFrame, contrast: str, framed, measures: Sequence[str] = MEASURES) -> pd.DataFrame:
    """The framed units on which the measures' signs are not all the same, with their text.

    Columns: ``contrast, unit_id``, ``sign_<measure>`` for each measure, ``text``.
    """
    part = units[np.asarray(framed, dtype=bool)]
    signs = polarity_signs(part, contrast, measures)
    split = signs.nunique(axis=1) > 1
    out = pd.concat([part.loc[split, ["unit_id"]], signs[split].add_prefix("sign_"), part.loc[split, ["text"]]],
                    axis=1)
    return out.assign(contrast=contrast)[["contrast", "unit_id", *[f"sign_{m}" for m in measures], "text"]] \
        .reset_index(drop=True)


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


def target_window_effect(paragraphs: pd.DataFrame, units: pd.DataFrame, codes: pd.DataFrame, codebook: Codebook,
                         contrast: str, window: int, scorer=None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """What counting ``contrast``'s seeds only within ``window`` words of a target changes.

    The study's scorer is refitted on ``paragraphs`` with the codebook's target window
    for ``contrast`` set to ``window`` (:func:`analysis.codebook.with_target_window`) and
    compared with ``units``, the study's unit scores (window as in ``codebook``).

    Parameters
    ----------
    paragraphs : DataFrame
        ``doc_id, unit_id, text``.
    units : DataFrame
        :func:`analysis.frame_tables.unit_scores` of ``paragraphs`` with ``codebook``.
    codes : DataFrame
        ``unit_id`` and the hand codes (e.g. the reconciled ones).
    codebook : Codebook
    contrast : str
    window : int
    scorer : FrameScorer, optional
        The study's scorer, whose settings (exemplars included) and, when fitted, index
        measures the refit keeps; default: a :class:`~analysis.frames.FrameScorer`
        without exemplars.

    Returns
    -------
    positions : DataFrame
        Per article: ``contrast, doc_id, hand_index`` (:func:`hand_positions`),
        ``measured_index`` (the combined index of ``units``) and ``window_index,
        window_low, window_high`` (with the window, and its bootstrap interval).
    seeds : DataFrame
        Per article and pole: ``contrast, doc_id, pole, seeds`` (matches not negated) and
        ``kept`` (of those, the ones near a target).
    auc : DataFrame
        Per measure (those of ``units``, and the combined index): ``contrast, measure``,
        ``auc_all`` and ``auc_window``, the polarity AUC against the hand codes.
    """
    from sklearn.base import clone

    from .codebook import with_target_window
    from .frame_tables import UNIT_KEYS, doc_scores, measures_in, unit_scores
    from .frames import TOKENS, FrameScorer
    from .measures.dictionary import DictionaryScorer

    variant = with_target_window(codebook, contrast, window)
    texts = paragraphs["text"].tolist()
    # the index keeps the study's measures: what changes is the window, not the rule that chose them
    chosen = getattr(scorer, "index_measures_", None)
    refit = clone(scorer).set_params(codebook=variant, **({"index_measures": chosen} if chosen else {})) \
        if scorer is not None else FrameScorer(variant)
    windowed = unit_scores(paragraphs, refit.fit(texts))
    measures = (*measures_in(units, contrast), "combined")
    aucs = []
    for name, table, cb in (("auc_all", units, codebook), ("auc_window", windowed, variant)):
        v = validation_table(table, codes, cb, measures)
        v = v[(v["contrast"] == contrast) & (v["task"] == "polarity")].drop_duplicates("measure")
        aucs.append(v.set_index("measure")["auc"].rename(name))
    auc = pd.concat(aucs, axis=1).rename_axis("measure").reset_index()
    auc.insert(0, "contrast", contrast)

    needed = [*UNIT_KEYS, TOKENS, f"{contrast}_index", f"{contrast}_salience"]
    study = doc_scores(units[needed], [contrast])[["doc_id", f"{contrast}_index"]]
    window_docs = doc_scores(windowed[needed], [contrast])
    doc_of = paragraphs.set_index("unit_id")["doc_id"]
    positions = (hand_positions(codes, doc_of.loc[codes["unit_id"]].to_numpy(), codebook, contrast)
                 [["contrast", "doc_id", "hand_index"]]
                 .merge(study.rename(columns={f"{contrast}_index": "measured_index"}), on="doc_id")
                 .merge(window_docs[["doc_id", f"{contrast}_index", f"{contrast}_low", f"{contrast}_high"]].rename(
                     columns={f"{contrast}_index": "window_index", f"{contrast}_low": "window_low",
                              f"{contrast}_high": "window_high"}), on="doc_id"))

    found = DictionaryScorer(variant).fit().match_table(texts, paragraphs["unit_id"].tolist())
    found = found[(found["contrast"] == contrast) & ~found["negated"]].assign(
        doc_id=lambda t: t["unit_id"].map(doc_of))
    seeds = (found.groupby(["doc_id", "pole"])["off_target"]
             .agg(seeds="size", kept=lambda x: int((~x).sum())).reset_index())
    seeds.insert(0, "contrast", contrast)
    return positions, seeds, auc


def auc_interval(y_true, score, *, n_boot: int = config.N_BOOT, confidence: float = config.CONFIDENCE,
                 seed: int = config.SEED) -> tuple[float, float]:
    """Percentile bootstrap interval of :func:`auc`, resampling units within each class.

    Resampling within class keeps both classes in every replicate, so every replicate
    has an AUC (Efron & Tibshirani 1993, the stratified bootstrap).

    Examples
    --------
    >>> low, high = auc_interval([0, 0, 0, 1, 1, 1], [0.1, 0.2, 0.6, 0.5, 0.8, 0.9], n_boot=500)
    >>> bool(0.4 <= low <= 0.89 <= high <= 1.0)
    True
    """
    y = np.asarray(y_true, dtype=bool)
    if y.all() or not y.any():
        return float("nan"), float("nan")
    x = np.nan_to_num(np.asarray(score, dtype=float), nan=0.0)
    pos, neg = x[y], x[~y]
    rng = np.random.default_rng(seed)
    values = np.empty(n_boot)
    for b in range(n_boot):
        p = pos[rng.integers(0, len(pos), len(pos))]
        q = neg[rng.integers(0, len(neg), len(neg))]
        # Mann–Whitney: share of (positive, negative) pairs ordered right, ties half
        values[b] = ((p[:, None] > q[None, :]).mean() + 0.5 * (p[:, None] == q[None, :]).mean())
    alpha = (1 - confidence) / 2
    low, high = np.quantile(values, [alpha, 1 - alpha])
    return float(low), float(high)


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
