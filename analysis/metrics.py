"""Scores of a measure against a binary truth: AUC with its p-value and interval, F1, rank correlation.

The AUC is scikit-learn's ``roc_auc_score``, computed as it computes it: the probability
that a positive case scores above a negative one, ties counting one half; its one-sided
Mann–Whitney p-value tests it exceeding 0.5 (:func:`auc_pvalue`), and its interval is a
stratified bootstrap (:func:`auc_interval`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.integrate import trapezoid
from scipy.stats import mannwhitneyu

from . import config


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
    x = np.nan_to_num(np.asarray(score, dtype=float), nan=0.0)
    if y.ndim != 1 or x.ndim != 1 or len(y) != len(x):
        raise ValueError(f"auc needs one score per case, both as 1-d sequences: cases of shape {y.shape}, "
                         f"scores of shape {x.shape}")
    if y.all() or not y.any():
        return float("nan")
    return _roc_area(y, x)


def _roc_area(y: np.ndarray, x: np.ndarray) -> float:
    """scikit-learn's ``roc_auc_score`` for a boolean ``y`` and finite scores ``x``: the same
    steps in the same order (the ROC points at each distinct score, collinear points dropped,
    the trapezoidal area), so the same float to the last bit (tested), without the input
    checks that cost about a millisecond a call in the leave-one-writer-out tables. Cases
    with equal scores may be sorted in another order than scikit-learn sorts them; only the
    last case of each group of equal scores is read, so the order within it does not matter."""
    order = np.argsort(x, kind="stable")[::-1]
    x, y = x[order], y[order]
    ends = np.concatenate([np.nonzero(np.diff(x))[0], [len(x) - 1]])  # last case of each distinct score
    tps = np.cumsum(y.astype(np.float64))[ends]
    fps = 1 + ends.astype(np.float64) - tps
    if len(fps) > 2:
        kept = np.nonzero(np.concatenate([[True], np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), [True]]))[0]
        fps, tps = fps[kept], tps[kept]
    fps, tps = np.concatenate([[0.0], fps]), np.concatenate([[0.0], tps])
    return float(trapezoid(tps / tps[-1], fps / fps[-1]))


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
