"""The paragraph-permutation test of a term's keyness, and Benjamini–Hochberg q-values.

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
"""
from __future__ import annotations

import numpy as np
from scipy import sparse

from . import config
from .uncertainty import bh_adjust


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
    # A relative tolerance keeps permutations that reproduce the observed value up to
    # floating-point noise on the "as extreme" side.
    threshold = observed - 1e-9 * np.maximum(observed, 1e-12)
    exceed = np.zeros(x.shape[1], dtype=np.int64)
    for start in range(0, n_perm, batch_size):
        # each batch's labellings are drawn when needed (the generator shuffles row after
        # row, so the draws are those of all n_perm rows at once), never all n_perm x m
        shuffled = rng.permuted(np.tile(labels, (min(batch_size, n_perm - start), 1)), axis=1)
        exceed += (np.abs(difference(shuffled.T.astype(float))) >= threshold[:, None]).sum(axis=1)
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
