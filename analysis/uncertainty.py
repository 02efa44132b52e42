"""Uncertainty of article scores: paragraph bootstrap, permutation tests, FDR control.

An article's score is the mean of its paragraphs' scores, so its sampling uncertainty
comes from which paragraphs the writer happened to write:

Bootstrap intervals (:func:`bootstrap_mean`, :func:`group_intervals`)
    Paragraphs are resampled with replacement *within* the article, ``n_boot`` times;
    the interval is the percentile interval of the resampled means (Efron & Tibshirani
    1993, ch. 13). Each article draws from its own random stream, seeded from the
    study seed and the article id, so an article's interval does not depend on which
    other articles are scored with it.
Permutation test (:func:`permutation_pvalue`)
    For two articles, the paragraphs are pooled and split again at random into groups
    of the original sizes; the two-sided p-value is the share of splits whose difference
    in means is at least as large in absolute value as the observed one. When the number
    of distinct splits is at most ``n_perm`` every split is enumerated (an exact test);
    otherwise ``n_perm`` random splits give ``(1 + b) / (1 + n_perm)`` (Phipson & Smyth 2010).
Multiple comparisons (:func:`bh_adjust`)
    Benjamini & Hochberg (1995) adjusted p-values (q-values) across every comparison of
    a table.

Weighted means (:func:`weighted_mean`): a unit's weight travels with it through every
resample and permutation, so a weighted article mean gets an interval and a test in
exactly the same way as a plain one.

Memory: the resamples are drawn and averaged a block at a time, so the bootstrap's
working memory stays near :data:`BOOT_MEMORY` bytes whatever the number of units
(:func:`resample_means`).

Missing values (NaN) are left out of a mean; a group with no finite value has no score.
"""
from __future__ import annotations

import itertools
import math
import zlib
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.stats import false_discovery_control

from . import config

#: Working memory, in bytes, of the bootstrap's resamples (indices and gathered values).
BOOT_MEMORY = 64 * 2**20


def stream(seed: int, *labels: str) -> np.random.Generator:
    """A random generator seeded from ``seed`` and text labels (stable across runs).

    Examples
    --------
    >>> a = stream(1, "doc").integers(0, 100, 3); b = stream(1, "doc").integers(0, 100, 3)
    >>> bool((a == b).all())
    True
    """
    keys = [zlib.crc32(label.encode("utf-8")) for label in labels]
    return np.random.default_rng(np.random.SeedSequence([int(seed), *keys]))


def _check_level(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie strictly between 0 and 1, not {confidence!r}")


def weighted_mean(values, weights=None, axis: int = 0) -> np.ndarray:
    """``sum(w * x) / sum(w)`` along ``axis`` over the finite ``x`` (plain mean when ``weights`` is None).

    NaN when no finite value has positive total weight.

    Examples
    --------
    >>> weighted_mean([1.0, 3.0, np.nan], [3.0, 1.0, 5.0]).item()  # (3*1 + 1*3) / (3 + 1)
    1.5
    """
    x = np.asarray(values, dtype=float)
    w = np.ones_like(x) if weights is None else np.broadcast_to(np.asarray(weights, dtype=float), x.shape)
    ok = ~np.isnan(x) & ~np.isnan(w)
    num = np.where(ok, w * np.where(ok, x, 0.0), 0.0).sum(axis=axis)
    den = np.where(ok, w, 0.0).sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def resample_means(x: np.ndarray, w: np.ndarray, n_boot: int, rng: np.random.Generator,
                   memory: int = BOOT_MEMORY) -> np.ndarray:
    """Weighted column means (:func:`weighted_mean`) of ``n_boot`` resamples of the rows of ``x``.

    Resample ``b`` takes rows ``rng.integers(0, n, size=(n_boot, n))[b]``: the draws are
    made a block at a time, and since a generator's stream does not depend on how it is
    cut into calls, every resample takes the same rows as in one call. When
    ``memory`` bytes hold whole resamples, a block is as many whole resamples as fit, and
    each mean is summed exactly as one call over all ``n_boot`` resamples would sum it
    (the same bits: the intervals of the study do not change). When a single resample of
    ``n`` rows does not fit, each is summed a piece of rows at a time; the means then
    differ from a sum in one call only by floating-point rounding.

    Parameters
    ----------
    x, w : arrays (n, m)
        Values and their weights (NaN in either leaves the value out).
    n_boot : int
    rng : numpy Generator
    memory : int
        Bytes for the draws and the values gathered for them, per block.

    Returns
    -------
    array (n_boot, m)

    Examples
    --------
    >>> x = np.array([[1.0], [3.0]]); w = np.ones_like(x)
    >>> a = resample_means(x, w, 4, np.random.default_rng(0))
    >>> b = resample_means(x, w, 4, np.random.default_rng(0), memory=1)  # a row at a time
    >>> bool((a == b).all())
    True
    """
    n, m = x.shape
    ok = ~np.isnan(x) & ~np.isnan(w)
    # the same values weighted_mean would compute after gathering, computed once per row
    wx = np.where(ok, w * np.where(ok, x, 0.0), 0.0)
    wk = np.where(ok, w, 0.0)
    num, den = np.empty((n_boot, m)), np.empty((n_boot, m))
    per_draw = 8 * (1 + m)  # one int64 index and the m gathered float64 values
    rows = memory // (n * per_draw)
    if rows >= 1:
        for start in range(0, n_boot, rows):
            stop = min(start + rows, n_boot)
            draws = rng.integers(0, n, size=(stop - start, n))
            num[start:stop] = wx[draws].sum(axis=1)
            den[start:stop] = wk[draws].sum(axis=1)
    else:
        piece = max(1, memory // per_draw)
        for b in range(n_boot):
            num[b], den[b] = 0.0, 0.0
            for start in range(0, n, piece):
                draws = rng.integers(0, n, size=min(piece, n - start))
                num[b] += wx[draws].sum(axis=0)
                den[b] += wk[draws].sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def bootstrap_mean(values, n_boot: int = config.N_BOOT, confidence: float = config.CONFIDENCE,
                   rng: np.random.Generator | None = None, weights=None, memory: int = BOOT_MEMORY
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean of each column with a percentile bootstrap interval over rows.

    Parameters
    ----------
    values : array (n,) or (n, m)
    n_boot : int
        Number of resamples.
    confidence : float
    rng : numpy Generator, default seeded from :data:`analysis.config.SEED`
    weights : array like ``values``, optional
        Row weights: each resample's statistic is then the weighted mean
        :func:`weighted_mean` (rows are resampled together with their weights).
    memory : int
        Bytes of working memory for the resamples (:func:`resample_means`): any number
        of rows is bootstrapped within it. Whenever one resample fits in it (for the
        study, by far) the result is bit for bit the one of drawing all resamples at
        once; above that, sums are taken in pieces and may differ in the last bits.

    Returns
    -------
    estimate, low, high : arrays (m,)

    Examples
    --------
    >>> est, low, high = bootstrap_mean([2.0, 2.0, 2.0], n_boot=50)
    >>> est.tolist(), low.tolist(), high.tolist()
    ([2.0], [2.0], [2.0])
    """
    _check_level(confidence)
    if n_boot < 1:
        raise ValueError(f"n_boot must be at least 1, not {n_boot}")
    x = np.asarray(values, dtype=float)
    x = x[:, None] if x.ndim == 1 else x
    if x.shape[0] == 0:
        raise ValueError("no values to bootstrap — the group has no units")
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float).reshape(x.shape[0], -1)
    w = np.broadcast_to(w, x.shape)
    if (w < 0).any():
        raise ValueError("weights must not be negative")
    rng = rng if rng is not None else np.random.default_rng(config.SEED)
    estimate = weighted_mean(x, w, axis=0)
    means = resample_means(x, w, n_boot, rng, memory)  # (n_boot, m)
    alpha = (1 - confidence) / 2
    low, high = nan_bounds(means, alpha)
    return estimate, low, high


def nan_bounds(draws, alpha: float) -> tuple:
    """The ``alpha`` and ``1 - alpha`` quantiles of each column of ``draws``, NaN ignored.

    A column without any value gets NaN bounds. Such columns are left out of numpy's call
    rather than its "All-NaN slice" warning silenced: silencing a warning is not safe when
    several threads score at once (a thread can restore the filters while another one
    still computes).

    Examples
    --------
    >>> low, high = nan_bounds(np.array([[1.0, np.nan], [3.0, np.nan]]), 0.25)
    >>> low.tolist(), high.tolist()
    ([1.5, nan], [2.5, nan])
    >>> nan_bounds(np.array([1.0, 3.0]), 0.25)
    (1.5, 2.5)
    """
    values = np.asarray(draws, dtype=float)
    table = values[:, None] if values.ndim == 1 else values
    low, high = np.full(table.shape[1], np.nan), np.full(table.shape[1], np.nan)
    some = ~np.isnan(table).all(axis=0)
    if some.any():
        low[some], high[some] = np.nanquantile(table[:, some], [alpha, 1 - alpha], axis=0)
    return (low[0].item(), high[0].item()) if values.ndim == 1 else (low, high)


def group_intervals(table: pd.DataFrame, columns: Sequence[str], group: str = "doc_id", *,
                    weights: Mapping[str, str] | None = None, n_boot: int = config.N_BOOT,
                    confidence: float = config.CONFIDENCE, seed: int = config.SEED) -> pd.DataFrame:
    """Per group: ``n_units`` and, for each column, its mean with ``_low``/``_high`` bounds.

    Groups appear in the order of their first row. ``weights`` maps a column to the
    column holding its row weights (a weighted mean); other columns get plain means.

    Examples
    --------
    >>> t = pd.DataFrame({"doc_id": ["a", "a", "b"], "x": [1.0, 1.0, 4.0]})
    >>> group_intervals(t, ["x"], n_boot=20).to_dict("records")
    [{'doc_id': 'a', 'n_units': 2, 'x': 1.0, 'x_low': 1.0, 'x_high': 1.0}, {'doc_id': 'b', 'n_units': 1, 'x': 4.0, 'x_low': 4.0, 'x_high': 4.0}]
    """
    weights = dict(weights or {})
    missing = [c for c in [group, *columns, *weights.values()] if c not in table.columns]
    if missing:
        raise ValueError(f"table has no column {missing[0]!r} — pass the unit scores table")
    # One pass over the table: group codes in order of first appearance, then each
    # group's rows as a slice of a stable sort (row order within a group is kept).
    codes, names = pd.factorize(table[group], sort=False)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(names) + 1))
    values = table[list(columns)].to_numpy(dtype=float)
    row_weights = np.column_stack([table[weights[c]].to_numpy(dtype=float) if c in weights
                                   else np.ones(len(table)) for c in columns]) if columns else values
    rows = []
    for i, name in enumerate(names):
        take = order[bounds[i]:bounds[i + 1]]
        part, w = values[take], row_weights[take]
        est, low, high = bootstrap_mean(part, n_boot, confidence, stream(seed, str(name)), weights=w)
        row = {group: name, "n_units": len(part)}
        for j, col in enumerate(columns):
            row.update({col: est[j], f"{col}_low": low[j], f"{col}_high": high[j]})
        rows.append(row)
    return pd.DataFrame(rows)


def _finite(x, w):
    x = np.asarray(x, dtype=float)
    w = np.ones_like(x) if w is None else np.asarray(w, dtype=float)
    ok = ~np.isnan(x) & ~np.isnan(w)
    return x[ok], w[ok]


#: Entries of the largest block of random splits :func:`permutation_pvalue` holds at once
#: (8 bytes each: 32 MiB).
PERMUTATION_BLOCK = 1 << 22


def permutation_pvalue(x, y, n_perm: int = config.N_PERM, rng: np.random.Generator | None = None,
                       wx=None, wy=None) -> float:
    """Two-sided permutation p-value of ``mean(x) - mean(y)`` (NaNs dropped).

    With weights ``wx``/``wy`` the means are weighted and each unit moves with its
    weight. Exact (all splits enumerated) when there are at most ``n_perm`` distinct
    splits; otherwise ``(1 + b) / (1 + n_perm)`` from random splits.

    Examples
    --------
    >>> permutation_pvalue([0, 0], [1, 1])  # 2 of the C(4, 2) = 6 splits are as extreme
    0.3333333333333333
    """
    x, wx = _finite(x, wx)
    y, wy = _finite(y, wy)
    if len(x) == 0 or len(y) == 0 or wx.sum() <= 0 or wy.sum() <= 0:
        return float("nan")
    pool, weight = np.concatenate([x, y]), np.concatenate([wx, wy])
    n, k = len(pool), len(x)
    observed = abs(weighted_mean(x, wx) - weighted_mean(y, wy))
    tolerance = 1e-12 * max(1.0, observed)
    total_wx, total_w = (weight * pool).sum(), weight.sum()

    def spread(wx_sum, w_sum):
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.abs(wx_sum / w_sum - (total_wx - wx_sum) / (total_w - w_sum))

    if math.comb(n, k) <= n_perm:
        splits = np.array(list(itertools.combinations(range(n), k)))
        diffs = spread((weight * pool)[splits].sum(axis=1), weight[splits].sum(axis=1))
        return float(np.mean(diffs >= observed - tolerance))
    rng = rng if rng is not None else np.random.default_rng(config.SEED)
    # the random splits are drawn a block of rows at a time (at most PERMUTATION_BLOCK
    # entries), never all n_perm x n at once; the generator shuffles row after row, so the
    # splits are those of one draw of every row
    rows = max(1, PERMUTATION_BLOCK // n)
    exceed = 0
    for start in range(0, n_perm, rows):
        order = rng.permuted(np.tile(np.arange(n), (min(rows, n_perm - start), 1)), axis=1)[:, :k]
        diffs = spread((weight * pool)[order].sum(axis=1), weight[order].sum(axis=1))
        exceed += int(np.sum(diffs >= observed - tolerance))
    return float((1 + exceed) / (1 + n_perm))


def bh_adjust(pvalues) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values; NaN entries stay NaN and are not counted.

    Examples
    --------
    >>> bh_adjust([0.01, 0.04, 0.03, 0.20]).round(4).tolist()
    [0.04, 0.0533, 0.0533, 0.2]
    """
    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = false_discovery_control(p[ok], method="bh")
    return out


def pairwise_differences(table: pd.DataFrame, columns: Sequence[str], group: str = "doc_id", *,
                         weights: Mapping[str, str] | None = None, n_perm: int = config.N_PERM,
                         n_boot: int = config.N_BOOT, confidence: float = config.CONFIDENCE,
                         seed: int = config.SEED) -> pd.DataFrame:
    """Every pair of groups compared on every column.

    For each column and each pair ``(a, b)`` (groups in order of first appearance):
    ``diff = mean(a) - mean(b)`` over units (weighted by the column ``weights`` names for
    it, if any), a bootstrap interval of the difference (each group resampled within
    itself), the permutation p-value, and the BH q-value across all rows of the table.

    Returns
    -------
    DataFrame
        ``measure, doc_a, doc_b, n_a, n_b, mean_a, mean_b, diff, diff_low, diff_high, p_value, q_value``
        (``doc_a``/``doc_b`` name the groups whatever ``group`` is).
    """
    _check_level(confidence)
    weights = dict(weights or {})
    missing = [c for c in [group, *columns, *weights.values()] if c not in table.columns]
    if missing:
        raise ValueError(f"table has no column {missing[0]!r} — pass the unit scores table")
    names = list(pd.unique(table[group]))
    alpha = (1 - confidence) / 2
    rows = []
    for col in columns:
        values = {}
        for g in names:
            part = table.loc[table[group] == g]
            values[g] = _finite(part[col], part[weights[col]] if col in weights else None)
        for a, b in itertools.combinations(names, 2):
            (x, wx), (y, wy) = values[a], values[b]
            rng = stream(seed, col, str(a), str(b))
            mean_a, mean_b = weighted_mean(x, wx).item(), weighted_mean(y, wy).item()
            low = high = np.nan
            if len(x) and len(y):
                # x's resamples are all drawn before y's, as when each was one call
                boot = (resample_means(x[:, None], wx[:, None], n_boot, rng)
                        - resample_means(y[:, None], wy[:, None], n_boot, rng))[:, 0]
                low, high = nan_bounds(boot, alpha)
            rows.append(dict(measure=col, doc_a=a, doc_b=b, n_a=len(x), n_b=len(y), mean_a=mean_a,
                             mean_b=mean_b, diff=mean_a - mean_b, diff_low=low, diff_high=high,
                             p_value=permutation_pvalue(x, y, n_perm, rng, wx, wy)))
    out = pd.DataFrame(rows, columns=["measure", "doc_a", "doc_b", "n_a", "n_b", "mean_a", "mean_b", "diff",
                                      "diff_low", "diff_high", "p_value"])
    out["q_value"] = bh_adjust(out["p_value"].to_numpy())
    return out
