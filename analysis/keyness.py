"""Keyness: which terms one group of documents uses more than a reference does.

Every contrast is a 2 x 2 table per term — the term's count in the target and in the
reference, against the target's and the reference's token totals — read with four
statistics (``chi2``, ``g2``, ``log_ratio``, ``fw_z``: :mod:`analysis.keyness_stats`, where
each is defined) and one resampling test over paragraphs (``p_perm`` and its
Benjamini–Hochberg ``q_bh``: :mod:`analysis.permutation`).

A term is *key* for the target, in this study's rule (:func:`is_key`), when
``log_ratio > 0``, ``fw_z > 0`` and ``p_perm < 0.05``; :func:`is_key` with
``use="q_bh"`` gives the stricter reading corrected for the number of terms tested.

TF-IDF profiles of each document (:func:`tfidf_by_group`) live here too: they describe
what a document stresses rather than test a contrast.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from . import config
from .dtm import dtm_group, dtm_vectorizer
from .keyness_stats import chi2_yates, dirichlet_prior, fightin_words, g2_williams, log_ratio
from .permutation import bh_qvalues, permutation_pvalues
from .text import STOPWORDS

#: Columns of the keyness table, in order.
KEYNESS_COLUMNS = ["group", "reference", "term", "count_target", "count_reference",
                   "chi2", "g2", "log_ratio", "fw_z", "p_perm", "q_bh"]

#: Reference name meaning "every document not in the target".
REST = "rest"


# --------------------------------------------------------------------------- #
# Contrasts on a corpus                                                        #
# --------------------------------------------------------------------------- #
def one_vs_rest(ids: Iterable[str]) -> list[tuple[str, str]]:
    """Contrasts of each id against all other documents.

    Examples
    --------
    >>> one_vs_rest(["b", "a"])
    [('a', 'rest'), ('b', 'rest')]
    """
    return [(i, REST) for i in sorted(set(ids))]


def _check_units(units: pd.DataFrame, by: str) -> None:
    if not isinstance(units, pd.DataFrame):
        raise ValueError(f"units must be a DataFrame with columns {by!r} and 'text', "
                         f"not {type(units).__name__}")
    missing = [c for c in (by, "text") if c not in units.columns]
    if missing:
        raise ValueError(f"units lacks column(s) {missing}; pass a paragraphs table "
                         f"with {by!r} and 'text' (e.g. corpus.paragraphs)")
    if units.empty:
        raise ValueError("units is empty — the corpus has no paragraphs to compare")
    if units[by].isna().any() or units["text"].isna().any():
        raise ValueError(f"units has missing values in {by!r} or 'text'; drop or fill them")


def _resolve(name: str, groups: Mapping[str, Iterable[str]], known: set[str]) -> set[str]:
    if name in groups:
        members = set(groups[name])
        unknown = sorted(members - known)
        if unknown:
            raise ValueError(f"group {name!r} names unknown document id(s) {unknown}; "
                             f"known ids are {sorted(known)}")
        if not members:
            raise ValueError(f"group {name!r} is empty; give it at least one document id")
        return members
    if name in known:
        return {name}
    raise ValueError(f"{name!r} is neither a document id nor a key of groups; known ids are "
                     f"{sorted(known)}, groups are {sorted(groups)}")


def resolve_contrasts(contrasts: Sequence[tuple[str, str]], ids: Iterable[str],
                      groups: Mapping[str, Iterable[str]] | None = None):
    """Turn ``(target, reference)`` names into sets of document ids.

    A name is a key of ``groups`` (a set of ids) or a single document id; the
    reference ``"rest"`` means every document outside the target.

    Examples
    --------
    >>> resolve_contrasts([("x", "rest")], ["a", "b", "c"], {"x": ["a", "b"]})
    [('x', 'rest', ['a', 'b'], ['c'])]
    """
    groups = dict(groups or {})
    known = set(ids)
    if REST in groups or REST in known:
        raise ValueError(f"{REST!r} is reserved for 'all other documents'; rename that group")
    if isinstance(contrasts, tuple) and len(contrasts) == 2 and isinstance(contrasts[0], str):
        raise ValueError("contrasts must be a list of (target, reference) pairs, "
                         "e.g. [('a', 'rest')], not a single pair")
    if len(contrasts) == 0:
        raise ValueError("contrasts is empty; pass e.g. one_vs_rest(doc_ids)")
    out = []
    seen = set()
    for pair in contrasts:
        if len(pair) != 2:
            raise ValueError(f"each contrast must be a (target, reference) pair, not {pair!r}")
        target, reference = pair
        if target == REST:
            raise ValueError(f"{REST!r} can only be a reference, not a target")
        if (target, reference) in seen:
            raise ValueError(f"contrast {(target, reference)!r} is listed twice")
        seen.add((target, reference))
        t = _resolve(target, groups, known)
        r = known - t if reference == REST else _resolve(reference, groups, known)
        if not r:
            raise ValueError(f"reference of {target!r} is empty: the target already holds "
                             f"every document")
        if t & r:
            raise ValueError(f"target {target!r} and reference {reference!r} share "
                             f"document(s) {sorted(t & r)}; a contrast needs disjoint sides")
        out.append((target, reference, sorted(t), sorted(r)))
    return out


def keyness_table(units: pd.DataFrame, contrasts: Sequence[tuple[str, str]],
                  groups: Mapping[str, Iterable[str]] | None = None, *, by: str = "doc_id",
                  min_count: int = 2, prior_scale: float | None = None,
                  n_perm: int = config.N_PERM, random_state: int | None = config.SEED,
                  stopwords: frozenset[str] | None = STOPWORDS, stem: bool = False,
                  ngram_range: tuple[int, int] = (1, 1)) -> pd.DataFrame:
    """Keyness of every term for several (target, reference) contrasts at once.

    Parameters
    ----------
    units : DataFrame
        One row per paragraph, with a document column ``by`` and ``text``.
    contrasts : list of (str, str)
        ``(target, reference)`` pairs; each name is a document id or a key of
        ``groups``; the reference ``"rest"`` is every other document.
    groups : mapping of str to list of str, optional
        Named sets of document ids.
    by : str, default "doc_id"
        Column that names each unit's document.
    min_count : int, default 2
        Frequency floor: a term enters a contrast's table (and its BH family) only if it
        occurs at least this often in target and reference together. A term seen once
        can never be key: its smallest attainable permutation p is the target's share of
        paragraphs.
    prior_scale : float or None
        ``alpha_0`` of the Fightin' Words prior (see :func:`analysis.keyness_stats.dirichlet_prior`).
    n_perm, random_state
        Paragraph permutations and their seed; every contrast uses the same seed, so a
        contrast's result does not depend on which others are requested.
    stopwords, stem, ngram_range
        Tokenisation (see :class:`analysis.text.Analyzer`); by default stopwords are
        removed and token totals count content words only.

    Returns
    -------
    DataFrame
        Columns :data:`KEYNESS_COLUMNS`; within a contrast rows are sorted by ``fw_z``
        (most distinctive of the target first).

    Examples
    --------
    >>> units = pd.DataFrame({"doc_id": ["a", "a", "b", "b"],
    ...                       "text": ["axis axis", "axis war", "trade war", "trade deal"]})
    >>> t = keyness_table(units, [("a", "b")], n_perm=50, random_state=0)
    >>> row = t.set_index("term").loc["axis"]
    >>> int(row.count_target), int(row.count_reference), round(float(row.log_ratio), 3)
    (3, 0, 2.585)
    """
    _check_units(units, by)
    if not (isinstance(min_count, (int, np.integer)) and min_count >= 1):
        raise ValueError(f"min_count must be a positive integer, not {min_count!r}")
    ids = units[by].astype(str).to_numpy()
    resolved = resolve_contrasts(contrasts, ids, groups)

    vectorizer = dtm_vectorizer("count", stopwords=stopwords, stem=stem, ngram_range=ngram_range)
    counts = sparse.csr_matrix(vectorizer.fit_transform(units["text"].tolist()))
    terms = vectorizer.get_feature_names_out()
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    corpus_counts = np.asarray(counts.sum(axis=0)).ravel()
    prior = dirichlet_prior(corpus_counts, prior_scale)
    prior_total = float(prior.sum())

    frames = []
    for target, reference, t_ids, r_ids in resolved:
        in_t = np.isin(ids, t_ids)
        in_r = np.isin(ids, r_ids)
        a = np.asarray(counts[in_t].sum(axis=0)).ravel()
        b = np.asarray(counts[in_r].sum(axis=0)).ravel()
        n_t, n_r = lengths[in_t].sum(), lengths[in_r].sum()
        if n_t == 0 or n_r == 0:
            side = target if n_t == 0 else reference
            raise ValueError(f"{side!r} has no tokens after preprocessing; "
                             f"check its paragraphs' text")
        keep = (a + b) >= min_count
        a, b = a[keep], b[keep]
        _, z = fightin_words(a, b, n_t, n_r, prior[keep], prior_total)
        rows = in_t | in_r
        p = permutation_pvalues(counts[rows][:, keep], in_t[rows], lengths=lengths[rows],
                                n_perm=n_perm, random_state=random_state)
        frames.append(pd.DataFrame({
            "group": target, "reference": reference, "term": terms[keep],
            "count_target": a.astype(np.int64), "count_reference": b.astype(np.int64),
            "chi2": chi2_yates(a, b, n_t, n_r), "g2": g2_williams(a, b, n_t, n_r),
            "log_ratio": log_ratio(a, b, n_t, n_r), "fw_z": z,
            "p_perm": p, "q_bh": bh_qvalues(p),
        }).sort_values(["fw_z", "term"], ascending=[False, True], kind="mergesort"))
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=KEYNESS_COLUMNS)
    return table[KEYNESS_COLUMNS]


def is_key(table: pd.DataFrame, alpha: float = 0.05, use: str = "p_perm") -> pd.Series:
    """The study's rule: a term is key for its target when it is over-used there.

    ``log_ratio > 0`` and ``fw_z > 0`` (direction) and ``table[use] < alpha``
    (``use="p_perm"``: the paragraph permutation p of that term; ``use="q_bh"``: the
    stricter reading after Benjamini–Hochberg across the contrast's terms).

    Examples
    --------
    >>> t = pd.DataFrame({"log_ratio": [1.0, -1.0], "fw_z": [2.0, -2.0],
    ...                   "p_perm": [0.01, 0.01], "q_bh": [0.2, 0.2]})
    >>> is_key(t).tolist(), is_key(t, use="q_bh").tolist()
    ([True, False], [False, False])
    """
    if use not in ("p_perm", "q_bh"):
        raise ValueError(f"use must be 'p_perm' or 'q_bh', not {use!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1, not {alpha!r}")
    missing = [c for c in ("log_ratio", "fw_z", use) if c not in table.columns]
    if missing:
        raise ValueError(f"table lacks column(s) {missing}; pass the output of keyness_table")
    return (table["log_ratio"] > 0) & (table["fw_z"] > 0) & (table[use] < alpha)


def key_terms(table: pd.DataFrame, n: int = 10, alpha: float = 0.05,
              use: str = "p_perm") -> pd.DataFrame:
    """The ``n`` key terms of each contrast (see :func:`is_key`), by ``fw_z``.

    Examples
    --------
    >>> t = pd.DataFrame({"group": ["a", "a"], "reference": ["rest"] * 2, "term": ["x", "y"],
    ...                   "log_ratio": [1.0, 2.0], "fw_z": [2.0, 3.0], "p_perm": [0.01, 0.2]})
    >>> key_terms(t).term.tolist()
    ['x']
    """
    keyed = table[is_key(table, alpha, use)]
    keyed = keyed.sort_values(["group", "reference", "fw_z", "term"],
                              ascending=[True, True, False, True], kind="mergesort")
    return keyed.groupby(["group", "reference"], sort=False).head(n).reset_index(drop=True)


# --------------------------------------------------------------------------- #
# TF-IDF profiles                                                              #
# --------------------------------------------------------------------------- #
def tfidf_by_group(units: pd.DataFrame, by: str = "doc_id", *,
                   ngram_range: tuple[int, int] = (1, 2), sublinear_tf: bool = True,
                   min_count: int = 2, stopwords: frozenset[str] | None = STOPWORDS,
                   stem: bool = False) -> pd.DataFrame:
    """TF-IDF weight of every term in every document (rows) — the documents' profiles.

    Settings: terms are counted per paragraph (so no bigram crosses a paragraph break),
    stopwords are removed before bigrams are formed (``marriage of convenience`` gives
    ``marriage convenience``), paragraph counts are summed per document, terms seen
    fewer than ``min_count`` times in the whole corpus are dropped, then scikit-learn's
    ``TfidfTransformer`` applies ``tf = 1 + ln(count)`` (``sublinear_tf``), the smoothed
    ``idf = ln((1 + n_docs) / (1 + df)) + 1`` and l2 row normalisation.

    Returns
    -------
    DataFrame
        Documents (sorted) by terms.

    Examples
    --------
    >>> units = pd.DataFrame({"doc_id": ["a", "a", "b"],
    ...                       "text": ["axis war", "axis", "trade war"]})
    >>> w = tfidf_by_group(units, ngram_range=(1, 1))
    >>> list(w.columns), bool(w.loc["a", "axis"] > w.loc["a", "war"])
    (['axis', 'war'], True)
    """
    _check_units(units, by)
    if not (isinstance(min_count, (int, np.integer)) and min_count >= 1):
        raise ValueError(f"min_count must be a positive integer, not {min_count!r}")
    vectorizer = dtm_vectorizer("count", stopwords=stopwords, stem=stem, ngram_range=ngram_range)
    counts = vectorizer.fit_transform(units["text"].tolist())
    grouped, labels = dtm_group(counts, units[by].astype(str).tolist())
    keep = np.asarray(grouped.sum(axis=0)).ravel() >= min_count
    if not keep.any():
        raise ValueError(f"no term occurs at least min_count={min_count} times; lower min_count")
    transformer = TfidfTransformer(sublinear_tf=sublinear_tf, smooth_idf=True, norm="l2")
    weights = transformer.fit_transform(grouped[:, keep])
    return pd.DataFrame(weights.toarray(), index=pd.Index(labels, name=by),
                        columns=vectorizer.get_feature_names_out()[keep])


def tfidf_top_terms(weights: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` highest-weighted terms of each document, ties broken alphabetically.

    Returns
    -------
    DataFrame with columns ``<index name>, rank, term, tfidf``.

    Examples
    --------
    >>> w = pd.DataFrame({"x": [0.9, 0.1], "y": [0.1, 0.9]}, index=pd.Index(["a", "b"], name="doc_id"))
    >>> tfidf_top_terms(w, n=1).values.tolist()
    [['a', 1, 'x', 0.9], ['b', 1, 'y', 0.9]]
    """
    if not (isinstance(n, (int, np.integer)) and n >= 1):
        raise ValueError(f"n must be a positive integer, not {n!r}")
    name = weights.index.name or "group"
    long = weights.rename_axis(index=name, columns="term").stack().rename("tfidf").reset_index()
    long = long[long["tfidf"] > 0]
    long = long.sort_values([name, "tfidf", "term"], ascending=[True, False, True], kind="mergesort")
    long = long.groupby(name, sort=False).head(n).copy()
    long.insert(1, "rank", long.groupby(name).cumcount() + 1)
    return long[[name, "rank", "term", "tfidf"]].reset_index(drop=True)
