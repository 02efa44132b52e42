"""Which measures enter the combined index: a rule fixed on the exemplars, never on the corpus.

The rule was stated before any score of the study's articles was looked at, and it
reads only the written exemplars (:mod:`analysis.exemplars`):

1. **Leave one writer out.** For each writer, a :class:`~analysis.frames.FrameScorer`
   with every measure is fitted with the *other* writers' exemplars as training
   material and the held-out writer's paragraphs as the corpus (so corpus statistics
   — the TF-IDF and LSS spaces, the standardising constants — come from the text being
   scored, as in the study). Each measure, and the equal-weight mean of the
   standardised scores of every non-empty set of measures, is scored on the held-out
   writer's paragraphs.
2. **Polarity AUC** (:func:`exemplar_cv`): among the held-out paragraphs coded with a
   pole, the AUC of the score for the positive pole; **presence AUC**: among all, the
   AUC of the measure's salience for "coded with a pole or mixed".
3. **The rule** (:func:`index_rule`): on each contrast, the set of measures with the
   highest mean polarity AUC over writers enters the index with equal weights; a tie
   goes to the smaller set, then to the earlier set in the order of
   :data:`analysis.frames.MEASURES`.

Writers, not paragraphs, are the folds because paragraphs by one writer share habits
that a model could learn and a new writer would not share.
"""
from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import disk_cache
from .disk_cache import cached, inputs_hash
from .metrics import auc


def measure_sets(measures: Sequence[str]) -> list[tuple[str, ...]]:
    """Every non-empty set of ``measures``, smaller sets first, in the measures' order.

    Examples
    --------
    >>> measure_sets(["dict", "sup"])
    [('dict',), ('sup',), ('dict', 'sup')]
    """
    return [s for k in range(1, len(measures) + 1) for s in itertools.combinations(measures, k)]


def _set_name(measures: Sequence[str]) -> str:
    return "+".join(measures)


def exemplar_cv(scorer, exemplars: pd.DataFrame) -> pd.DataFrame:
    """Leave-one-writer-out scores of every measure and set of measures on the exemplars.

    The measures that learn from codes (the supervised measure and the exemplar
    prototypes) are refitted without the held-out writer; the ones that do not (the
    dictionary, and LSS, whose space is learned from text without codes) are fitted
    once on all exemplar texts. Standardising constants come from the held-out
    writer's paragraphs, as they come from the corpus in the study.

    Parameters
    ----------
    scorer : FrameScorer
        Its settings are used; it need not be fitted.
    exemplars : DataFrame
        ``writer``, ``text`` and a code column per contrast.

    Returns
    -------
    DataFrame
        ``writer, contrast, measures, n_measures, polarity_auc, n_polar, presence_auc, n``;
        ``measures`` is a set joined by ``+``. Presence is given for single measures
        with a salience.
    """
    from .frames import MEASURES

    rows = []
    codebook = _codebook(scorer)
    for w, test, frame in held_out_frames(scorer, exemplars):
        for c, con in codebook.contrasts.items():
            codes = test[c].to_numpy()
            polar = np.isin(codes, [con.negative.name, con.positive.name])
            framed = codes != "none"
            z = {m: frame[f"z_{m}_{c}"].to_numpy(dtype=float) for m in MEASURES}
            for ms in measure_sets(MEASURES):
                stacked = np.column_stack([z[m] for m in ms])
                ok = ~np.isnan(stacked)
                x = np.where(ok.any(axis=1), np.nansum(stacked, axis=1) / np.maximum(ok.sum(axis=1), 1), np.nan)
                presence = np.nan
                if len(ms) == 1 and f"{ms[0]}_{c}_salience" in frame:
                    presence = auc(framed, frame[f"{ms[0]}_{c}_salience"].to_numpy(dtype=float))
                rows.append(dict(writer=w, contrast=c, measures=_set_name(ms), n_measures=len(ms),
                                 polarity_auc=auc(codes[polar] == con.positive.name, x[polar]),
                                 n_polar=int(polar.sum()), presence_auc=presence, n=len(codes)))
    return pd.DataFrame(rows)


#: Held-out frames of recent leave-one-writer-out runs, by (inputs, writer) (:func:`_key`):
#: a second reader of the same folds in a process (the pair check after the rule's table)
#: takes them from here instead of refitting. At most :data:`FRAMES_KEPT`, the oldest dropped first.
_FRAMES: dict[tuple[str, str], pd.DataFrame] = {}
FRAMES_KEPT = 64


def held_out_frames(scorer, exemplars: pd.DataFrame, writers: Sequence[str] | None = None):
    """Each held-out writer's paragraphs scored by measures fitted without that writer.

    The folds of :func:`exemplar_cv`: the measures that learn from codes (the
    supervised measure and the exemplar prototypes) are refitted without the held-out
    writer; the dictionary and LSS (whose space learns from text without codes) are
    fitted once on all exemplar texts; standardising constants come from the held-out
    paragraphs. ``writers`` limits which writers are held out (default: every one;
    the others always train). A fold already computed in this process for the same
    settings and exemplars is not computed again.

    Yields
    ------
    writer, test, frame
        The writer, its exemplars (index reset) and the fold scorer's
        :meth:`~analysis.frames.FrameScorer.transform_frame` of them.
    """
    every = sorted(exemplars["writer"].unique())
    if len(every) < 2:
        raise ValueError("leave-one-writer-out needs exemplars by at least two writers")
    key, shared = _key(scorer, exemplars), None
    for w in every if writers is None else sorted(writers):
        held = (exemplars["writer"] == w).to_numpy()
        train, test = exemplars[~held].reset_index(drop=True), exemplars[held].reset_index(drop=True)
        if (key, w) not in _FRAMES:
            if shared is None:
                # the label-free measures learn from every exemplar text once (as the study's LSS does)
                shared = scorer.fit_parts([], exemplars=exemplars, refit=("dict", "lss"))
            fold = scorer.fit_parts(test["text"].tolist(), exemplars=train, refit=("tfidf", "sup"), reuse=shared)
            _FRAMES[(key, w)] = fold.transform_frame(test["text"].tolist())
            while len(_FRAMES) > FRAMES_KEPT:
                del _FRAMES[next(iter(_FRAMES))]
        yield w, test, _FRAMES[(key, w)].copy()


def _codebook(scorer):
    from .codebook import as_codebook

    return scorer.codebook_ if hasattr(scorer, "codebook_") else as_codebook(scorer.codebook)


def pair_consistency(scorer, exemplars: pd.DataFrame) -> pd.DataFrame:
    """Do the measures move the right way between minimal-pair twins of an unseen writer?

    Twins (the ``pair`` column of :mod:`analysis.exemplars`) share almost every word and
    differ in a code. Each writer with pairs is held out in turn (:func:`held_out_frames`)
    and every pair is judged on each contrast where its codes differ: a **polarity** pair
    (one twin coded with each pole) is consistent when the twin with the positive pole
    has the higher score; a **presence** pair (one twin framed, pole or ``mixed``, the
    other ``none``) when the framed twin has the higher salience. A tie counts one half.
    This is the contrast-set consistency of Gardner et al. (2020), on held-out writers.

    Returns
    -------
    DataFrame
        ``contrast, measure, task, edit, pairs, consistency``: per measure (and ``all``
        edits together), the share of consistent pairs.
    """
    from .exemplars import paired
    from .frames import MEASURES

    if "pair" not in exemplars:
        raise ValueError("the exemplars have no pair column: no minimal pairs to judge")
    writers = sorted(exemplars.loc[paired(exemplars), "writer"].unique())
    rows = []
    codebook = _codebook(scorer)
    for w, test, frame in held_out_frames(scorer, exemplars, writers):
        position = {eid: i for i, eid in enumerate(test["exemplar_id"])}
        edits = test["edit"].fillna("").astype(str).tolist() if "edit" in test else [""] * len(test)
        for i, (eid, twin) in enumerate(zip(test["exemplar_id"], test["pair"].fillna("").astype(str))):
            j = position.get(twin.strip())
            if j is None or str(eid) > twin.strip():  # each pair once, from its first twin
                continue
            for c, con in codebook.contrasts.items():
                a, b = test.loc[i, c], test.loc[j, c]
                poles = (con.negative.name, con.positive.name)
                if a in poles and b in poles and a != b:
                    task, high = "polarity", i if a == con.positive.name else j
                    columns = {m: f"z_{m}_{c}" for m in MEASURES}
                elif (a == "none") != (b == "none"):
                    task, high = "presence", j if a == "none" else i
                    columns = {m: f"{m}_{c}_salience" for m in MEASURES}
                else:
                    continue
                low = j if high == i else i
                for m, col in columns.items():
                    if col not in frame:
                        continue
                    hi, lo = float(frame.loc[high, col]), float(frame.loc[low, col])
                    if np.isnan(hi) or np.isnan(lo):
                        continue
                    rows.append(dict(contrast=c, measure=m, task=task, edit=edits[i],
                                     consistent=1.0 if hi > lo else 0.5 if hi == lo else 0.0))
    pairs = pd.DataFrame(rows, columns=["contrast", "measure", "task", "edit", "consistent"])
    keys = ["contrast", "measure", "task"]
    out = pd.concat([pairs.assign(edit="all"), pairs], ignore_index=True)
    return (out.groupby(keys + ["edit"], sort=False)["consistent"].agg(pairs="size", consistency="mean")
            .reset_index())


def cv_summary(cv: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Mean, minimum and maximum over writers of each set's AUCs: one row per contrast and set.

    With ``by`` (a column of ``cv`` that is constant per writer, e.g. the writer's
    ``round``), one row per value of it, contrast and set, that column first.

    Examples
    --------
    >>> cv = pd.DataFrame({"writer": ["a", "b"], "contrast": ["force"] * 2, "measures": ["dict"] * 2,
    ...                    "n_measures": [1, 1], "polarity_auc": [0.8, 0.6], "presence_auc": [0.9, 0.7]})
    >>> cv_summary(cv)[["polarity_auc", "polarity_min", "presence_auc"]].round(2).values.tolist()
    [[0.7, 0.6, 0.8]]
    >>> cv_summary(cv.assign(round=[1, 2]), by="round")[["round", "polarity_auc", "writers"]].values.tolist()
    [[1.0, 0.8, 1.0], [2.0, 0.6, 1.0]]
    """
    if by is not None:
        if by not in cv:
            raise ValueError(f"cv has no column {by!r} to group the writers by — add it (one value per writer)")
        missing = sorted(cv.loc[cv[by].isna(), "writer"].astype(str).unique())
        if missing:
            raise ValueError(f"writers {', '.join(missing)} have no {by!r} — give every writer one")
    keys = ([by] if by is not None else []) + ["contrast", "measures"]
    g = cv.groupby(keys, sort=False)
    out = g.agg(n_measures=("n_measures", "first"), polarity_auc=("polarity_auc", "mean"),
                polarity_min=("polarity_auc", "min"), polarity_max=("polarity_auc", "max"),
                presence_auc=("presence_auc", "mean"), writers=("writer", "nunique")).reset_index()
    return out if by is None else out.sort_values(by, kind="stable").reset_index(drop=True)


def rule_choice(summary: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """The rule on a :func:`cv_summary`: per contrast the set with the best mean polarity AUC.

    Ties go to the smaller set, then to the set listed first.

    Examples
    --------
    >>> s = pd.DataFrame({"contrast": ["force"] * 3, "measures": ["dict", "sup", "dict+sup"],
    ...                   "n_measures": [1, 1, 2], "polarity_auc": [0.7, 0.9, 0.9]})
    >>> rule_choice(s)
    {'force': ('sup',)}
    """
    out = {}
    for c, part in summary.groupby("contrast", sort=False):
        part = part.reset_index(drop=True)
        order = np.lexsort((np.arange(len(part)), part["n_measures"].to_numpy(),
                            -part["polarity_auc"].fillna(-np.inf).to_numpy()))
        out[c] = tuple(part.loc[order[0], "measures"].split("+"))
    return out


_CACHE: dict[str, pd.DataFrame] = {}
#: Where cross-validation tables are kept between processes (ignored by git); None:
#: ``exemplar-cv/`` in :data:`analysis.disk_cache.CACHE_ROOT`, looked up when needed.
CACHE_DIR = None


def _key(scorer, exemplars: pd.DataFrame) -> str:
    """Everything the table depends on (:func:`analysis.disk_cache.inputs_hash`): the package,
    library versions, the scorer's settings, the codebook and the exemplars."""
    # which measures a scorer fits beyond the index does not change the table
    params = {k: v for k, v in scorer.get_params(deep=False).items() if k not in ("exemplars", "codebook", "measures")}
    codebook = _codebook(scorer)
    cols = ["writer", "text", *codebook.contrasts]
    return inputs_hash(repr(sorted((k, repr(v)) for k, v in params.items())), repr(codebook), exemplars[cols])


def index_cv(scorer, exemplars: pd.DataFrame) -> pd.DataFrame:
    """The table of :func:`exemplar_cv` for these inputs, computed once.

    It is remembered in the process and in :data:`CACHE_DIR` (:mod:`analysis.disk_cache`),
    so that the many fits of one study — and the ``score`` command — do not repeat the
    leave-one-writer-out runs; values are stored with 17 significant digits, so a table
    read back is the table computed, bit for bit.
    """
    key = _key(scorer, exemplars)
    if key not in _CACHE:
        folder = CACHE_DIR if CACHE_DIR is not None else disk_cache.CACHE_ROOT / "exemplar-cv"
        _CACHE[key] = cached(
            folder / f"{key}.csv", lambda: exemplar_cv(scorer, exemplars),
            lambda fh: pd.read_csv(fh, dtype={"writer": str, "contrast": str, "measures": str}),
            lambda table: table.to_csv(index=False, float_format="%.17g").encode("utf-8"))
    return _CACHE[key].copy()


def index_rule(scorer, exemplars: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """The measures of the combined index per contrast: :func:`rule_choice` on :func:`index_cv`."""
    return rule_choice(cv_summary(index_cv(scorer, exemplars)))
