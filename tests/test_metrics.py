"""Tests for analysis.metrics against values computed by hand."""
from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.metrics import auc, auc_pvalue, binary_scores


@pytest.mark.parametrize("truth, pred, expected", [
    # tp=2, fp=1, fn=1: precision 2/3, recall 2/3, F1 2/3
    ([1, 1, 1, 0, 0], [1, 1, 0, 1, 0], dict(tp=2, fp=1, fn=1, precision=2 / 3, recall=2 / 3, f1=2 / 3)),
    # tp=1, fp=0, fn=3: precision 1, recall 1/4, F1 = 2*1*0.25/1.25 = 0.4
    ([1, 1, 1, 1], [1, 0, 0, 0], dict(tp=1, fp=0, fn=3, precision=1.0, recall=0.25, f1=0.4)),
    # nothing predicted: precision undefined, recall 0, F1 undefined
    ([1, 0], [0, 0], dict(tp=0, fp=0, fn=1, precision=math.nan, recall=0.0, f1=math.nan)),
    # only wrong predictions: precision 0, recall 0, F1 0
    ([1, 0], [0, 1], dict(tp=0, fp=1, fn=1, precision=0.0, recall=0.0, f1=0.0)),
])
def test_binary_scores(truth, pred, expected):
    got = binary_scores(truth, pred)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, nan_ok=True), key


@pytest.mark.parametrize("y, score, expected", [
    # positives 0.35, 0.8 against negatives 0.1, 0.4: pairs won 1 + 0 + 1 + 1 = 3 of 4
    ([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 0.75),
    # a tie counts one half
    ([0, 1], [0.5, 0.5], 0.5),
    # a missing score is read as 0: the positive 0.2 beats the negative 0
    ([0, 1], [np.nan, 0.2], 1.0),
    # one class only: undefined
    ([1, 1], [0.1, 0.2], math.nan),
])
def test_auc(y, score, expected):
    assert auc(y, score) == pytest.approx(expected, nan_ok=True)


def test_auc_pvalue_exact():
    # Two positives above two negatives: U = 4, the largest of the C(4, 2) = 6 equally likely
    # labellings, so the one-sided p-value is 1/6.
    assert auc_pvalue([0, 0, 1, 1], [1.0, 2.0, 3.0, 4.0]) == pytest.approx(1 / 6)
    assert math.isnan(auc_pvalue([1, 1], [1.0, 2.0]))


def test_auc_is_scikit_learns_to_the_last_bit():
    """auc follows roc_auc_score's steps without its input checks: the same float, ties,
    repeated scores, missing scores and unbalanced classes included."""
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(7)
    for trial in range(600):
        n = int(rng.integers(2, 300))
        y = rng.random(n) < rng.uniform(0.05, 0.95)
        if y.all() or not y.any():
            y[0], y[-1] = True, False
        x = rng.normal(size=n) if trial % 3 else rng.integers(0, 5, n).astype(float)  # many ties
        if trial % 5 == 0:
            x[rng.random(n) < 0.2] = np.nan
        want = roc_auc_score(y, np.nan_to_num(x, nan=0.0))
        assert auc(y, x) == want, (trial, auc(y, x), want)


def test_auc_needs_one_score_per_case():
    with pytest.raises(ValueError, match=r"cases of shape \(3,\), scores of shape \(2,\)"):
        auc([True, False, True], [0.1, 0.2])
    with pytest.raises(ValueError, match="1-d"):
        auc([[True, False]], [[0.1, 0.2]])
