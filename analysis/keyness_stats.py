"""The keyness statistics of a term in two groups, on arrays of counts.

Every contrast is a 2 x 2 table per term — the term's count in the target and in the
reference, against the target's and the reference's token totals — read with four
statistics (the resampling test is :mod:`analysis.permutation`):

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
"""
from __future__ import annotations

import numpy as np
from scipy.special import xlogy


#: Hardie's (2014) stand-in for a zero frequency in the log ratio.
ZERO_ADJUST = 0.5


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
