"""Keyness: which terms one group of documents uses more than a reference does.

Every contrast is a 2 x 2 table per term — the term's count in the target and in the
reference, against the target's and the reference's token totals — read with four
statistics and one resampling test:

``chi2``
    Pearson's chi-squared with Yates' continuity correction, in the form scipy's
    ``chi2_contingency(correction=True)`` uses (each |O - E| shrunk by at most 0.5):
    ``N * max(|ad - bc| - N/2, 0)**2 / (R1 * R2 * C1 * C2)``.
``g2``
    Log-likelihood ratio ``G2 = 2 * sum(O * ln(O / E))`` (Dunning 1993; Rayson & Garside
    2000) divided by Williams' (1976) correction factor, which for an r x c table is
    ``q = 1 + (N * sum(1/R_i) - 1) * (N * sum(1/C_j) - 1) / (6 * N * (r - 1) * (c - 1))``.
``log_ratio``
    Hardie's (2014) effect size: the binary log of the ratio of relative frequencies,
    ``log2((a / n_target) / (b / n_reference))``. A zero count is replaced by 0.5
    (Hardie's own adjustment) so that a term absent from one side has a finite value;
    it is undefined (NaN) when the term is absent from both.
``fw_z``
    Monroe, Colaresi & Quinn's (2008) "Fightin' Words" weighted log-odds ratio with an
    informative Dirichlet prior, divided by its approximate standard deviation::

        alpha_w = alpha_0 * y_w / n                     (prior from the whole corpus)
        delta_w = ln((a + alpha_w) / (n_target + alpha_0 - a - alpha_w))
                - ln((b + alpha_w) / (n_reference + alpha_0 - b - alpha_w))
        var_w   = 1 / (a + alpha_w) + 1 / (b + alpha_w)
        z_w     = delta_w / sqrt(var_w)

    where ``y_w`` is the term's count in the whole corpus (every document passed in, not
    only the two sides of the contrast) and ``n`` that corpus' token total. The prior's
    scale ``alpha_0`` defaults to ``n``, so that ``alpha_w = y_w``: the whole corpus' own
    counts, the empirical-Bayes setting of Jurafsky et al. (2014). With five short texts
    this shrinks rare terms strongly towards zero, which is the point.
``p_perm``, ``q_bh``
    Tokens are not independent — a term repeats within a paragraph — so the p-value
    treats the paragraph as the unit (Lijffijt et al. 2016): the statistic is the
    difference between target and reference in the mean per-paragraph relative
    frequency of the term, and its null distribution comes from permuting whole
    paragraphs between target and reference (the number of target paragraphs held
    fixed), for every term at once. The p-value is two-sided,
    ``(1 + #{|d*| >= |d|}) / (1 + n_perm)`` (Phipson & Smyth 2010), and ``q_bh`` the
    Benjamini & Hochberg (1995) adjustment across the terms of one contrast. Paragraphs
    are treated as exchangeable between the compared documents; with a handful of
    documents no document-level resampling is possible. ``fw_z`` is *not* the permuted
    statistic: shuffling paragraphs changes the target's token total, so a target of
    unusually short paragraphs would make every term in it look extreme.

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
from scipy.special import xlogy
from sklearn.feature_extraction.text import TfidfTransformer

from . import config
from .dtm import dtm_group, dtm_vectorizer
from .text import STOPWORDS
from .uncertainty import bh_adjust

#: Columns of the keyness table, in order.
KEYNESS_COLUMNS = ["group", "reference", "term", "count_target", "count_reference",
                   "chi2", "g2", "log_ratio", "fw_z", "p_perm", "q_bh"]

#: Reference name meaning "every document not in the target".
REST = "rest"

#: Hardie's (2014) stand-in for a zero frequency in the log ratio.
ZERO_ADJUST = 0.5


# --------------------------------------------------------------------------- #
# The statistics, on arrays of counts                                          #
# --------------------------------------------------------------------------- #
def _counts(a, b, n_target, n_reference):
    """Validate and broadcast the four counts of a batch of 2 x 2 tables."""
    a, b, n_t, n_r = (np.asarray(x, dtype=float) for x in (a, b, n_target, n_reference))
    for name, x in (("a", a), ("b", b), ("n_target", n_t), ("n_reference", n_r)):
        if np.any(~np.isfinite(x)) or np.any(x < 0):
            raise ValueError(f"{name} must hold finite non-negative counts; got {x!r}")
    if np.any(n_t <= 0) or np.any(n_r <= 0):
        raise ValueError("n_target and n_reference must be positive token totals — "
                         "a side of the contrast has no tokens; check the group's doc_ids")
    if np.any(a > n_t) or np.any(b > n_r):
        raise ValueError("a term count exceeds its side's token total (a > n_target or "
                         "b > n_reference) — pass totals over the same tokens as the counts")
    return np.broadcast_arrays(a, b, n_t, n_r)


def chi2_yates(a, b, n_target, n_reference) -> np.ndarray:
    """Chi-squared with Yates' correction for the 2 x 2 table of each term.

    The table is ``[[a, b], [n_target - a, n_reference - b]]``. As in scipy, the
    correction never moves an observed count past its expected count, so the statistic
    is ``N * max(|ad - bc| - N/2, 0)**2 / (R1 * R2 * C1 * C2)``; a table with an empty
    margin gives 0.

    Parameters
    ----------
    a, b : array-like
        The term's count in the target and in the reference.
    n_target, n_reference : array-like
        Token totals of the target and the reference.

    Returns
    -------
    ndarray of float

    Examples
    --------
    >>> round(float(chi2_yates(10, 5, 100, 200)), 4)
    6.3947
    """
    a, b, n_t, n_r = _counts(a, b, n_target, n_reference)
    c, d = n_t - a, n_r - b
    n = n_t + n_r
    margins = (a + b) * (c + d) * n_t * n_r
    excess = np.maximum(np.abs(a * d - b * c) - n / 2, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = n * excess**2 / margins
    return np.where(margins > 0, stat, 0.0)


def g2_williams(a, b, n_target, n_reference, williams: bool = True) -> np.ndarray:
    """Log-likelihood G2 of each term's 2 x 2 table, with Williams' correction.

    Parameters
    ----------
    a, b, n_target, n_reference : array-like
        As in :func:`chi2_yates`.
    williams : bool, default True
        Divide by Williams' (1976) factor
        ``q = 1 + (N/R1 + N/R2 - 1) * (N/C1 + N/C2 - 1) / (6 N)``.

    Returns
    -------
    ndarray of float

    Examples
    --------
    >>> round(float(g2_williams(10, 5, 100, 200, williams=False)), 4)
    7.3298
    """
    a, b, n_t, n_r = _counts(a, b, n_target, n_reference)
    n = n_t + n_r
    row1 = a + b
    row2 = n - row1
    observed = (a, b, n_t - a, n_r - b)
    expected = (row1 * n_t / n, row1 * n_r / n, row2 * n_t / n, row2 * n_r / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * sum(xlogy(o, o) - xlogy(o, e) for o, e in zip(observed, expected))
        g2 = np.where((row1 > 0) & (row2 > 0), np.maximum(g2, 0.0), 0.0)
        if williams:
            q = 1 + (n / row1 + n / row2 - 1) * (n / n_t + n / n_r - 1) / (6 * n)
            g2 = np.where((row1 > 0) & (row2 > 0), g2 / q, 0.0)
    return g2


def log_ratio(a, b, n_target, n_reference, zero_adjust: float = ZERO_ADJUST) -> np.ndarray:
    """Hardie's (2014) log ratio: ``log2`` of the ratio of relative frequencies.

    A zero count is replaced by ``zero_adjust`` before the ratio is taken; a term absent
    from both sides gets NaN.

    Examples
    --------
    >>> float(log_ratio(10, 5, 100, 200))
    2.0
    >>> round(float(log_ratio(0, 5, 100, 200)), 4)
    -2.3219
    """
    if not zero_adjust > 0:
        raise ValueError(f"zero_adjust must be positive (Hardie uses 0.5), not {zero_adjust!r}")
    a, b, n_t, n_r = _counts(a, b, n_target, n_reference)
    a_adj = np.where(a > 0, a, zero_adjust)
    b_adj = np.where(b > 0, b, zero_adjust)
    lr = np.log2((a_adj / n_t) / (b_adj / n_r))
    return np.where((a > 0) | (b > 0), lr, np.nan)


def dirichlet_prior(corpus_counts, prior_scale: float | None = None) -> np.ndarray:
    """Informative Dirichlet prior ``alpha_w = alpha_0 * y_w / n`` from corpus counts.

    Parameters
    ----------
    corpus_counts : array-like
        Each term's count ``y_w`` in the whole corpus.
    prior_scale : float or None
        ``alpha_0``, the prior's total weight in pseudo-tokens. ``None`` uses the
        corpus' token total ``n``, i.e. ``alpha_w = y_w``.

    Examples
    --------
    >>> dirichlet_prior([15, 285]).tolist()
    [15.0, 285.0]
    >>> dirichlet_prior([15, 285], prior_scale=30).tolist()
    [1.5, 28.5]
    """
    y = np.asarray(corpus_counts, dtype=float)
    if y.ndim != 1 or y.size == 0 or np.any(~np.isfinite(y)) or np.any(y < 0) or y.sum() <= 0:
        raise ValueError("corpus_counts must be a non-empty 1-d array of non-negative counts "
                         "with a positive total")
    if prior_scale is not None and not (np.isfinite(prior_scale) and prior_scale > 0):
        raise ValueError(f"prior_scale (alpha_0) must be a positive number or None, "
                         f"not {prior_scale!r}")
    alpha_0 = y.sum() if prior_scale is None else float(prior_scale)
    return alpha_0 * y / y.sum()


def fightin_words(a, b, n_target, n_reference, prior, prior_total: float | None = None):
    """Weighted log-odds ratio and its z-score (Monroe, Colaresi & Quinn 2008).

    Parameters
    ----------
    a, b, n_target, n_reference : array-like
        As in :func:`chi2_yates`.
    prior : array-like
        ``alpha_w`` for each term (see :func:`dirichlet_prior`), all positive.
    prior_total : float, optional
        ``alpha_0 = sum_w alpha_w`` over the whole vocabulary. Defaults to
        ``prior.sum()``, which is right when ``prior`` covers every term.

    Returns
    -------
    delta, z : ndarray
        The log-odds ratio and ``delta / sqrt(1/(a + alpha_w) + 1/(b + alpha_w))``.

    Examples
    --------
    >>> delta, z = fightin_words([10, 90], [5, 195], 100, 200, prior=[15, 285])
    >>> round(float(z[0]), 4)
    1.5667
    """
    a, b, n_t, n_r = _counts(a, b, n_target, n_reference)
    alpha = np.asarray(prior, dtype=float)
    if np.any(~np.isfinite(alpha)) or np.any(alpha <= 0):
        raise ValueError("prior (alpha_w) must be positive for every term — a term absent "
                         "from the whole corpus has no prior; drop it first")
    alpha_0 = float(alpha.sum()) if prior_total is None else float(prior_total)
    if np.any(alpha > alpha_0):
        raise ValueError("prior_total (alpha_0) must be at least every alpha_w")
    delta = (np.log(a + alpha) - np.log(n_t + alpha_0 - a - alpha)
             - np.log(b + alpha) + np.log(n_r + alpha_0 - b - alpha))
    z = delta / np.sqrt(1.0 / (a + alpha) + 1.0 / (b + alpha))
    return delta, z


# --------------------------------------------------------------------------- #
# Paragraph permutation test                                                   #
# --------------------------------------------------------------------------- #
def paragraph_rates(counts, lengths=None) -> sparse.csr_matrix:
    """Each unit's relative frequencies: counts divided by the unit's token total.

    Units with no tokens get a row of zeros.

    Examples
    --------
    >>> paragraph_rates(sparse.csr_matrix([[1, 3], [0, 0]])).toarray().tolist()
    [[0.25, 0.75], [0.0, 0.0]]
    """
    x = sparse.csr_matrix(counts, dtype=float)
    lengths = np.asarray(x.sum(axis=1)).ravel() if lengths is None else np.asarray(lengths, float)
    if lengths.shape != (x.shape[0],):
        raise ValueError(f"lengths must have one entry per row of counts ({x.shape[0]}), "
                         f"not shape {lengths.shape}")
    inverse = np.divide(1.0, lengths, out=np.zeros_like(lengths), where=lengths > 0)
    return sparse.csr_matrix(sparse.diags(inverse) @ x)


def permutation_pvalues(counts, in_target, lengths=None, n_perm: int = config.N_PERM,
                        random_state: int | None = config.SEED,
                        batch_size: int = 500) -> np.ndarray:
    """Two-sided paragraph-permutation p-value for every term at once.

    The statistic is the difference between the target's and the reference's mean
    per-paragraph relative frequency of the term — a two-sample comparison with the
    paragraph, not the token, as the unit (Lijffijt et al. 2016 make the case for
    per-text frequencies). Paragraph labels are shuffled ``n_perm`` times with the
    number of target paragraphs fixed; one sparse product per batch of permutations
    gives the statistic of every term. Paragraphs without tokens are left out.

    A rate-based token statistic (such as ``fw_z`` itself) would be the wrong thing to
    permute: shuffling paragraphs changes the target's token total, so a target made of
    unusually short paragraphs would make every term it contains look extreme.

    Parameters
    ----------
    counts : sparse matrix or array, shape (n_units, n_terms)
        Term counts per unit (paragraphs of the target and the reference only).
    in_target : array-like of bool, shape (n_units,)
        True for the target's units, False for the reference's.
    lengths : array-like, shape (n_units,), optional
        Token total of each unit over the whole vocabulary; defaults to the row sums of
        ``counts`` (right only when ``counts`` holds every term).
    n_perm : int, default :data:`analysis.config.N_PERM`
    random_state : int, default :data:`analysis.config.SEED`
    batch_size : int
        Permutations per matrix product; changes memory use, never the result.

    Returns
    -------
    ndarray of float, shape (n_terms,)
        ``(1 + #{|d*| >= |d|}) / (1 + n_perm)`` (Phipson & Smyth 2010).

    Examples
    --------
    >>> x = sparse.csr_matrix([[2, 1], [2, 1], [0, 3], [0, 3]])
    >>> # 2 of the C(4, 2) = 6 splits are as extreme as the observed one
    >>> p = permutation_pvalues(x, [True, True, False, False], n_perm=2000, random_state=0)
    >>> bool(abs(p[0] - 1 / 3) < 0.03)
    True
    """
    x = sparse.csr_matrix(counts, dtype=float)
    labels = np.asarray(in_target, dtype=bool)
    if labels.ndim != 1 or labels.shape[0] != x.shape[0]:
        raise ValueError(f"in_target must have one entry per row of counts "
                         f"({x.shape[0]}), not shape {labels.shape}")
    if not (isinstance(n_perm, (int, np.integer)) and n_perm >= 1):
        raise ValueError(f"n_perm must be a positive integer, not {n_perm!r}")
    if not (isinstance(batch_size, (int, np.integer)) and batch_size >= 1):
        raise ValueError(f"batch_size must be a positive integer, not {batch_size!r}")
    rates = paragraph_rates(x, lengths)
    lengths = np.asarray(x.sum(axis=1)).ravel() if lengths is None else np.asarray(lengths, float)
    rows = lengths > 0
    rates, labels = rates[rows], labels[rows]
    k, m = int(labels.sum()), int(labels.size)
    if k == 0 or k == m:
        raise ValueError("in_target must mark at least one target unit and one reference "
                         "unit with tokens — a contrast needs paragraphs on both sides")
    total = np.asarray(rates.sum(axis=0)).ravel()

    def difference(indicator: np.ndarray) -> np.ndarray:
        # indicator: (m, n_labellings) of 0/1; returns (n_terms, n_labellings)
        in_t = np.asarray(rates.T @ indicator)
        return in_t / k - (total[:, None] - in_t) / (m - k)

    observed = np.abs(difference(labels[:, None].astype(float))[:, 0])
    rng = np.random.default_rng(random_state)
    shuffled = rng.permuted(np.tile(labels, (n_perm, 1)), axis=1)  # (n_perm, m)
    # A relative tolerance keeps permutations that reproduce the observed value up to
    # floating-point noise on the "as extreme" side.
    threshold = observed - 1e-9 * np.maximum(observed, 1e-12)
    exceed = np.zeros(x.shape[1], dtype=np.int64)
    for start in range(0, n_perm, batch_size):
        block = shuffled[start:start + batch_size].T.astype(float)
        exceed += (np.abs(difference(block)) >= threshold[:, None]).sum(axis=1)
    return (1.0 + exceed) / (1.0 + n_perm)


def bh_qvalues(pvalues) -> np.ndarray:
    """Benjamini & Hochberg (1995) q-values (scipy's ``false_discovery_control``).

    Examples
    --------
    >>> bh_qvalues([0.01, 0.02, 0.5]).round(3).tolist()
    [0.03, 0.03, 0.5]
    """
    p = np.asarray(pvalues, dtype=float)
    if np.any(~np.isfinite(p)) or np.any((p < 0) | (p > 1)):
        raise ValueError("pvalues must lie in [0, 1]")
    return bh_adjust(p)


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
        ``alpha_0`` of the Fightin' Words prior (see :func:`dirichlet_prior`).
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
