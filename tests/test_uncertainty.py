"""Tests for analysis.uncertainty against values derived by hand."""
from __future__ import annotations

import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.uncertainty import (bh_adjust, bootstrap_mean, group_intervals, pairwise_differences,
                                  permutation_pvalue, resample_means, stream, weighted_mean)


@pytest.mark.parametrize("values, weights, expected", [
    ([1.0, 2.0, 6.0], None, 3.0),                 # (1 + 2 + 6) / 3
    ([1.0, 3.0], [3.0, 1.0], 1.5),                # (3*1 + 1*3) / 4
    ([1.0, np.nan, 3.0], [1.0, 5.0, 1.0], 2.0),   # the NaN row and its weight are left out
    ([1.0, 3.0], [0.0, 0.0], np.nan),             # no weight: no mean
])
def test_weighted_mean(values, weights, expected):
    assert weighted_mean(values, weights).item() == pytest.approx(expected, nan_ok=True)


def test_bootstrap_of_a_constant_is_a_point():
    est, low, high = bootstrap_mean([2.5] * 4, n_boot=100)
    assert (est[0], low[0], high[0]) == (2.5, 2.5, 2.5)


def test_bootstrap_two_values_percentile_interval():
    # Resampling {0, 1} twice gives means 0, 0.5, 1 with probabilities 1/4, 1/2, 1/4, so the
    # 2.5% and 97.5% percentiles of 2,000 resampled means are 0 and 1.
    est, low, high = bootstrap_mean([0.0, 1.0], n_boot=2000, rng=np.random.default_rng(1))
    assert (est[0], low[0], high[0]) == (0.5, 0.0, 1.0)


def test_weighted_bootstrap_ignores_zero_weight_rows():
    # The second row has weight 0: any resample holding the first row has mean 5, a resample of the
    # second row only has no mean (NaN) and is left out, so the interval is [5, 5].
    est, low, high = bootstrap_mean([5.0, 100.0], n_boot=500, weights=[1.0, 0.0])
    assert (est[0], low[0], high[0]) == (5.0, 5.0, 5.0)


def test_bootstrap_is_seeded():
    x = np.arange(10.0)
    a = bootstrap_mean(x, 300, rng=stream(7, "doc"))
    b = bootstrap_mean(x, 300, rng=stream(7, "doc"))
    c = bootstrap_mean(x, 300, rng=stream(8, "doc"))
    assert np.array_equal(np.stack(a), np.stack(b))
    assert not np.array_equal(np.stack(a), np.stack(c))


@pytest.mark.parametrize("kwargs, message", [
    (dict(n_boot=0), "n_boot must be at least 1"),
    (dict(confidence=1.0), "confidence must lie strictly between 0 and 1"),
    (dict(weights=[1.0, -1.0]), "weights must not be negative"),
])
def test_bootstrap_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        bootstrap_mean([1.0, 2.0], **kwargs)


def test_bootstrap_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="no values to bootstrap"):
        bootstrap_mean([])


def bootstrap_all_at_once(values, n_boot, rng, weights=None, confidence=0.95):
    """The bootstrap as it was before it was drawn in blocks: every resample in one array."""
    x = np.asarray(values, dtype=float)
    x = x[:, None] if x.ndim == 1 else x
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float).reshape(x.shape[0], -1)
    w = np.broadcast_to(w, x.shape)
    draws = rng.integers(0, x.shape[0], size=(n_boot, x.shape[0]))
    means = weighted_mean(x[draws], w[draws], axis=1)
    alpha = (1 - confidence) / 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        low, high = np.nanquantile(means, [alpha, 1 - alpha], axis=0)
    return weighted_mean(x, w, axis=0), low, high


def awkward_table(n, m, seed):
    """Values with NaNs and weights with zeros: every branch of the weighted mean."""
    g = np.random.default_rng(seed)
    x = g.normal(size=(n, m))
    x[g.random((n, m)) < 0.1] = np.nan
    return x, g.random((n, m)) * (g.random((n, m)) > 0.1)


@pytest.mark.parametrize("n, m", [(1, 1), (2, 3), (7, 1), (40, 5), (333, 2)])
@pytest.mark.parametrize("memory", [None, "one resample"])
def test_small_bootstraps_are_bit_for_bit_the_old_ones(n, m, memory):
    # whole resamples per block (all at once, or one at a time) sum exactly as the old single array did
    x, w = awkward_table(n, m, seed=n)
    kwargs = {} if memory is None else {"memory": 8 * (1 + m) * n}
    new = bootstrap_mean(x, 500, rng=stream(3, "a"), weights=w, **kwargs)
    old = bootstrap_all_at_once(x, 500, stream(3, "a"), weights=w)
    for a, b in zip(new, old):
        assert np.array_equal(a, b, equal_nan=True)


def test_a_resample_summed_in_pieces_differs_only_by_rounding():
    x, w = awkward_table(500, 3, seed=1)
    whole = resample_means(x, w, 200, stream(1, "a"))
    pieces = resample_means(x, w, 200, stream(1, "a"), memory=8 * 4 * 64)  # 64 rows a piece
    np.testing.assert_allclose(pieces, whole, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("memory", [2 * 2**20, 16 * 2**20])  # pieces of a resample; several resamples a block
def test_a_large_bootstrap_stays_within_its_memory(memory):
    n, m, n_boot = 100_000, 2, 120
    x = np.random.default_rng(0).normal(size=(n, m))
    all_at_once = n_boot * n * 8 * (1 + m)  # the draws and the gathered values alone: 288 MB
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        est, low, high = bootstrap_mean(x, n_boot, rng=stream(1, "big"), memory=memory)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # the budget, plus a few arrays the size of the input (its weights and weighted values)
    assert peak < memory + 8 * x.nbytes < all_at_once / 4
    assert ((low < est) & (est < high)).all()


def test_pairwise_bootstrap_is_bit_for_bit_the_old_one():
    x, y = np.array([0.3, -1.2, 2.0, 0.7, 0.1]), np.array([1.5, 0.2, -0.4])
    table = pd.DataFrame({"doc_id": ["a"] * 5 + ["b"] * 3, "s": np.concatenate([x, y])})
    out = pairwise_differences(table, ["s"], n_boot=300, n_perm=50, seed=9).iloc[0]
    rng = stream(9, "s", "a", "b")
    ix = rng.integers(0, 5, size=(300, 5))
    iy = rng.integers(0, 3, size=(300, 3))
    w = np.ones(5)
    boot = weighted_mean(x[ix], w[ix], axis=1) - weighted_mean(y[iy], w[:3][iy], axis=1)
    alpha = (1 - 0.95) / 2  # as the code computes it: not exactly 0.025
    assert [out["diff_low"], out["diff_high"]] == np.nanquantile(boot, [alpha, 1 - alpha]).tolist()


TABLE = pd.DataFrame({"doc_id": ["a", "a", "b", "b", "b"], "x": [1.0, 3.0, 4.0, 4.0, 4.0],
                      "w": [3.0, 1.0, 1.0, 1.0, 1.0]})


def test_group_intervals():
    out = group_intervals(TABLE, ["x"], weights={"x": "w"}, n_boot=200)
    assert out["doc_id"].tolist() == ["a", "b"] and out["n_units"].tolist() == [2, 3]
    assert out["x"].tolist() == pytest.approx([1.5, 4.0])  # a: (3*1 + 1*3) / 4
    assert (out["x_low"] <= out["x"]).all() and (out["x"] <= out["x_high"]).all()
    assert out.loc[1, ["x_low", "x_high"]].tolist() == [4.0, 4.0]


def test_group_interval_does_not_depend_on_other_groups():
    alone = group_intervals(TABLE[TABLE.doc_id == "a"], ["x"], n_boot=200)
    together = group_intervals(TABLE, ["x"], n_boot=200)
    assert alone.iloc[0].to_dict() == together.iloc[0].to_dict()


def test_group_intervals_missing_column():
    with pytest.raises(ValueError, match="no column 'y'"):
        group_intervals(TABLE, ["y"])


@pytest.mark.parametrize("x, y, wx, wy, expected", [
    # all C(4, 2) = 6 splits of {0, 0, 1, 1}: two of them (the observed and its mirror) reach |diff| = 1
    ([0, 0], [1, 1], None, None, 2 / 6),
    # C(6, 3) = 20 splits of 1..6: only {1,2,3} and {4,5,6} reach |diff| = 3
    ([1, 2, 3], [4, 5, 6], None, None, 2 / 20),
    # x = {0}, y = {1, 3}. Unweighted: |0 - 2| = 2; the split x = {3} gives |3 - 0.5| = 2.5 >= 2, x = {1}
    # gives 0.5, so p = 2/3.
    ([0], [1, 3], None, None, 2 / 3),
    # Weighted (y weights 1 and 9): observed |0 - (1 + 27)/10| = 2.8; x = {1 (w 1)} gives
    # |1 - (0 + 27)/10| = 1.7 and x = {3 (w 9)} gives |3 - (0 + 1)/2| = 2.5, both below 2.8: p = 1/3.
    ([0], [1, 3], [1], [1, 9], 1 / 3),
])
def test_exact_permutation_pvalues(x, y, wx, wy, expected):
    assert permutation_pvalue(x, y, n_perm=1000, wx=wx, wy=wy) == pytest.approx(expected)


def test_monte_carlo_permutation_pvalue_is_never_zero():
    # 30 zeros against 30 ones: C(60, 30) splits, far more than 999, so splits are drawn at random;
    # none but the observed one separates the groups, so p = (1 + 0) / (1 + 999).
    assert permutation_pvalue(np.zeros(30), np.ones(30), n_perm=999, rng=np.random.default_rng(0)) == \
        pytest.approx(1 / 1000)


def test_permutation_pvalue_without_values_is_nan():
    assert np.isnan(permutation_pvalue([np.nan], [1.0, 2.0]))


def test_bh_adjust_hand_computed():
    # sorted p: 0.01, 0.03, 0.04, 0.20 (m = 4); p * m / rank: 0.04, 0.06, 0.0533, 0.20;
    # running minimum from the largest: 0.20, 0.0533, 0.0533, 0.04 -> back in the input order:
    assert bh_adjust([0.01, 0.04, 0.03, 0.20]) == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.20])
    # a NaN stays NaN and does not count towards m: [0.01, 0.04] -> 0.01*2/1 = 0.02, 0.04*2/2 = 0.04
    assert bh_adjust([0.01, np.nan, 0.04]) == pytest.approx([0.02, np.nan, 0.04], nan_ok=True)


def test_pairwise_differences():
    table = pd.DataFrame({"doc_id": ["a", "a", "b", "b", "c"], "x": [0.0, 0.0, 1.0, 1.0, 5.0]})
    out = pairwise_differences(table, ["x"], n_perm=1000, n_boot=200)
    assert out[["doc_a", "doc_b"]].values.tolist() == [["a", "b"], ["a", "c"], ["b", "c"]]
    assert out["diff"].tolist() == pytest.approx([-1.0, -5.0, -4.0])
    # a vs b is the 2-of-6 exact case; a vs c and b vs c: 3 splits of 3 units, only the observed
    # one reaches the observed difference, so p = 1/3
    assert out["p_value"].tolist() == pytest.approx([1 / 3, 1 / 3, 1 / 3])
    assert out["q_value"].tolist() == pytest.approx([1 / 3, 1 / 3, 1 / 3])
    assert (out["diff_low"] <= out["diff"]).all() and (out["diff"] <= out["diff_high"]).all()


def test_bounds_of_columns_without_values_are_nan_and_raise_no_warning():
    import warnings

    from analysis.uncertainty import nan_bounds

    draws = np.array([[1.0, np.nan, 2.0], [3.0, np.nan, np.nan], [5.0, np.nan, 4.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        low, high = nan_bounds(draws, 0.25)
    # column 0: quantiles of 1, 3, 5 at 0.25 and 0.75 (linear): 2 and 4; column 2: of 2, 4: 2.5 and 3.5
    assert low[0] == 2.0 and high[0] == 4.0 and np.isnan(low[1]) and np.isnan(high[1])
    assert (low[2], high[2]) == (2.5, 3.5)
    assert np.array_equal(np.stack([low, high])[:, [0, 2]],
                          np.nanquantile(draws[:, [0, 2]], [0.25, 0.75], axis=0))


def test_permutation_pvalue_draws_its_splits_in_blocks_without_changing_them(monkeypatch):
    from analysis import uncertainty

    rng = np.random.default_rng(3)
    x, y = rng.normal(size=40), rng.normal(0.3, 1, size=25)
    whole = permutation_pvalue(x, y, n_perm=999, rng=np.random.default_rng(11))
    # the same splits drawn all at once, as a reference: one (n_perm, n) array
    pool = np.concatenate([x, y])
    order = np.random.default_rng(11).permuted(np.tile(np.arange(65), (999, 1)), axis=1)[:, :40]
    diffs = np.abs(pool[order].mean(axis=1) - (pool.sum() - pool[order].sum(axis=1)) / 25)
    observed = abs(x.mean() - y.mean())
    assert whole == pytest.approx((1 + np.sum(diffs >= observed - 1e-12)) / 1000, abs=0)
    monkeypatch.setattr(uncertainty, "PERMUTATION_BLOCK", 100)  # one split per block
    assert permutation_pvalue(x, y, n_perm=999, rng=np.random.default_rng(11)) == whole
