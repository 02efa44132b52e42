"""Tests for analysis.permutation: the paragraph-permutation test against full enumeration, and q-values."""
from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from scipy import sparse

from analysis import config
from analysis.permutation import bh_qvalues, paragraph_rates, permutation_pvalues


# Ten paragraphs of four tokens each; the first five belong to the target.
#   column 0 "only":  once in each target paragraph, never in the reference
#   column 1 "even":  once in every paragraph
#   column 2 "mixed": once in target paragraphs 0, 1, 2 and in reference paragraph 5
#   column 3 filler:  the rest of each paragraph
def _toy_matrix():
    only = [1] * 5 + [0] * 5
    even = [1] * 10
    mixed = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    filler = [4 - o - e - m for o, e, m in zip(only, even, mixed)]
    return sparse.csr_matrix(np.array([only, even, mixed, filler]).T), np.arange(10) < 5


def test_permutation_known_answers():
    x, target = _toy_matrix()
    p = permutation_pvalues(x, target, n_perm=2000, random_state=config.SEED)
    # "only": every rate is 1/4; |d| = 1/4 - 0 is reached only when all five "only" paragraphs
    # land on one side: 2 of C(10, 5) = 252 splits -> exact p = 2/252 = 0.0079.
    assert p[0] < 0.02
    assert p[0] == pytest.approx(2 / 252, abs=0.006)  # 3 Monte Carlo standard errors
    # "even": the same rate in every paragraph, so every split ties -> p = 2001/2001 = 1.
    assert p[1] == 1.0
    # "mixed": d = (j/4)/5 - ((4 - j)/4)/5 = (2j - 4)/20 with j of its 4 paragraphs in the target;
    # observed j = 3 gives |d| = 0.1, reached by every split with j != 2.
    # P(j = 2) = C(4,2) C(6,3) / C(10,5) = 6 * 20 / 252 = 120/252 -> exact p = 132/252 = 0.524.
    assert p[2] == pytest.approx(132 / 252, abs=0.04)


def test_permutation_matches_full_enumeration():
    # Exact null distribution from all 252 splits, computed directly from per-paragraph rates.
    x, target = _toy_matrix()
    rates = x.toarray() / 4.0
    observed = np.abs(rates[target].mean(0) - rates[~target].mean(0))
    hits = np.zeros(4)
    for chosen in combinations(range(10), 5):
        mask = np.isin(np.arange(10), chosen)
        d = np.abs(rates[mask].mean(0) - rates[~mask].mean(0))
        hits += d >= observed - 1e-12
    exact = hits / 252
    p = permutation_pvalues(x, target, n_perm=4000, random_state=1)
    np.testing.assert_allclose(p, exact, atol=0.03)


def test_permutation_is_seeded_and_batch_invariant():
    x, target = _toy_matrix()
    first = permutation_pvalues(x, target, n_perm=500, random_state=7)
    again = permutation_pvalues(x, target, n_perm=500, random_state=7, batch_size=13)
    other = permutation_pvalues(x, target, n_perm=500, random_state=8)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_permutation_skips_empty_paragraphs():
    x, target = _toy_matrix()
    padded = sparse.vstack([x, sparse.csr_matrix((1, 4))])
    p_padded = permutation_pvalues(padded, np.append(target, False), n_perm=300, random_state=3)
    np.testing.assert_array_equal(p_padded, permutation_pvalues(x, target, n_perm=300, random_state=3))


def test_paragraph_rates_by_hand():
    # [1, 3] / 4 = [0.25, 0.75]; a paragraph with no tokens stays zero
    assert paragraph_rates(sparse.csr_matrix([[1, 3], [0, 0]])).toarray().tolist() == \
        [[0.25, 0.75], [0.0, 0.0]]


@pytest.mark.parametrize("kwargs, match", [
    (dict(in_target=[True, False]), "one entry per row"),
    (dict(in_target=[True] * 10), "both sides"),
    (dict(n_perm=0), "n_perm"),
    (dict(batch_size=0), "batch_size"),
    (dict(lengths=[4, 4]), "lengths"),
])
def test_permutation_errors(kwargs, match):
    x, target = _toy_matrix()
    args = dict(in_target=target, n_perm=10) | kwargs
    with pytest.raises(ValueError, match=match):
        permutation_pvalues(x, **args)


def test_bh_qvalues_by_hand():
    # sorted p = .01, .02, .03, .5 with m = 4: p*m/rank = .04, .04, .04, .5; cumulative min from top
    np.testing.assert_allclose(bh_qvalues([0.03, 0.01, 0.5, 0.02]), [0.04, 0.04, 0.5, 0.04])


def test_bh_qvalues_refuse_a_pvalue_outside_0_1():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        bh_qvalues([0.2, 1.5])


def test_batches_draw_the_labellings_of_one_draw_of_every_permutation():
    x, target = _toy_matrix()
    got = permutation_pvalues(x, target, n_perm=300, random_state=5, batch_size=7)
    # reference: every labelling drawn at once, then the statistic of each
    rates = x.multiply(1 / x.sum(axis=1)).tocsr().toarray()
    labels = np.asarray(target, dtype=bool)
    shuffled = np.random.default_rng(5).permuted(np.tile(labels, (300, 1)), axis=1)
    k, m = labels.sum(), labels.size

    def diff(lab):
        return rates[lab].sum(axis=0) / k - rates[~lab].sum(axis=0) / (m - k)

    observed = np.abs(diff(labels))
    exceed = sum((np.abs(diff(row)) >= observed - 1e-9 * np.maximum(observed, 1e-12)).astype(int) for row in shuffled)
    np.testing.assert_array_equal(got, (1.0 + exceed) / 301)
