"""Tests for analysis.keyness_stats: statistics checked against hand arithmetic and scipy."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import chi2_contingency

from analysis.keyness_stats import chi2_yates, dirichlet_prior, fightin_words, g2_williams, log_ratio

# --------------------------------------------------------------------------- #
# One 2 x 2 table worked by hand                                              #
#                                                                             #
#              target   reference                                             #
#   term         a=10       b=5      R1 = 15                                  #
#   other tokens c=90       d=195    R2 = 285                                 #
#              C1=100     C2=200     N  = 300                                 #
# --------------------------------------------------------------------------- #
A, B, NT, NR = 10, 5, 100, 200


def test_chi2_yates_by_hand():
    # ad - bc = 10*195 - 5*90 = 1950 - 450 = 1500;  |ad - bc| - N/2 = 1500 - 150 = 1350
    # chi2 = N * 1350^2 / (R1 R2 C1 C2) = 300 * 1_822_500 / (15*285*100*200)
    #      = 546_750_000 / 85_500_000 = 6.394736842...  (= 243/38)
    assert chi2_yates(A, B, NT, NR) == pytest.approx(243 / 38, rel=1e-12)


def test_g2_by_hand_with_and_without_williams():
    # Expected counts: E = R*C/N -> 15*100/300 = 5, 15*200/300 = 10, 285*100/300 = 95, 190.
    # G2 = 2 * [10 ln(10/5) + 5 ln(5/10) + 90 ln(90/95) + 195 ln(195/190)]
    #    = 2 * [6.931472 - 3.465736 - 4.866050 + 5.065220] = 2 * 3.664906 = 7.329812
    g2 = 2 * (10 * math.log(2) + 5 * math.log(0.5) + 90 * math.log(90 / 95)
              + 195 * math.log(195 / 190))
    assert g2 == pytest.approx(7.329812, abs=1e-6)
    assert g2_williams(A, B, NT, NR, williams=False) == pytest.approx(g2, rel=1e-12)
    # Williams: q = 1 + (N/R1 + N/R2 - 1)(N/C1 + N/C2 - 1) / (6N)
    #             = 1 + (20 + 1.052632 - 1)(3 + 1.5 - 1) / 1800
    #             = 1 + 20.052632 * 3.5 / 1800 = 1.038991
    q = 1 + (20 + 300 / 285 - 1) * (3 + 1.5 - 1) / 1800
    assert q == pytest.approx(1.038991, abs=1e-6)
    assert g2_williams(A, B, NT, NR) == pytest.approx(g2 / q, rel=1e-12)  # 7.054739


def test_log_ratio_by_hand():
    # log2((10/100) / (5/200)) = log2(0.1 / 0.025) = log2(4) = 2
    assert log_ratio(A, B, NT, NR) == pytest.approx(2.0, abs=1e-12)
    # Hardie's zero adjustment: a = 0 -> 0.5;  log2((0.5/100) / (5/200)) = log2(0.2) = -2.321928
    assert log_ratio(0, B, NT, NR) == pytest.approx(math.log2(0.2), abs=1e-12)
    # b = 0 -> 0.5;  log2((10/100) / (0.5/200)) = log2(40) = 5.321928
    assert log_ratio(A, 0, NT, NR) == pytest.approx(math.log2(40), abs=1e-12)
    assert np.isnan(log_ratio(0, 0, NT, NR))


def test_fightin_words_by_hand_default_prior():
    # Two-word vocabulary; corpus counts y = [15, 285], n = 300; alpha_0 = n so alpha_w = y_w.
    # For the term: alpha = 15.
    # delta = ln((10+15)/(100+300-10-15)) - ln((5+15)/(200+300-5-15))
    #       = ln(25/375) - ln(20/480) = ln(1/15) - ln(1/24) = ln(1.6) = 0.470004
    # var   = 1/(10+15) + 1/(5+15) = 0.04 + 0.05 = 0.09  ->  sd = 0.3
    # z     = 0.470004 / 0.3 = 1.566679
    prior = dirichlet_prior([15, 285])
    assert prior.tolist() == [15.0, 285.0]
    delta, z = fightin_words([10, 90], [5, 195], NT, NR, prior)
    assert delta[0] == pytest.approx(math.log(1.6), rel=1e-12)
    assert z[0] == pytest.approx(math.log(1.6) / 0.3, rel=1e-12)
    assert z[0] == pytest.approx(1.566679, abs=1e-6)


def test_fightin_words_by_hand_smaller_prior_scale():
    # alpha_0 = 30 -> alpha_w = 30 * 15/300 = 1.5
    # delta = ln(11.5 / (100 + 30 - 11.5)) - ln(6.5 / (200 + 30 - 6.5)) = ln(11.5/118.5) - ln(6.5/223.5)
    # var   = 1/11.5 + 1/6.5
    prior = dirichlet_prior([15, 285], prior_scale=30)
    assert prior.tolist() == [1.5, 28.5]
    expected = (math.log(11.5 / 118.5) - math.log(6.5 / 223.5)) / math.sqrt(1 / 11.5 + 1 / 6.5)
    _, z = fightin_words([10, 90], [5, 195], NT, NR, prior)
    assert z[0] == pytest.approx(expected, rel=1e-12)


def test_fightin_words_is_antisymmetric():
    _, z_ab = fightin_words([10, 90], [5, 195], NT, NR, [15, 285])
    _, z_ba = fightin_words([5, 195], [10, 90], NR, NT, [15, 285])
    np.testing.assert_allclose(z_ab, -z_ba)


TABLES = [(10, 5, 100, 200), (3, 2, 700, 2500), (2, 0, 480, 2842), (0, 7, 50, 60),
          (1, 1, 10, 10), (40, 2, 90, 75)]


@pytest.mark.parametrize("a, b, nt, nr", TABLES)
def test_chi2_matches_scipy_with_yates(a, b, nt, nr):
    table = np.array([[a, b], [nt - a, nr - b]])
    expected = chi2_contingency(table, correction=True)[0]
    assert chi2_yates(a, b, nt, nr) == pytest.approx(expected, rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("a, b, nt, nr", TABLES)
def test_g2_uncorrected_matches_scipy_log_likelihood(a, b, nt, nr):
    table = np.array([[a, b], [nt - a, nr - b]])
    expected = chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
    assert g2_williams(a, b, nt, nr, williams=False) == pytest.approx(expected, rel=1e-10, abs=1e-12)


def test_statistics_are_vectorised():
    a, b = np.array([10, 0, 3]), np.array([5, 7, 2])
    out = chi2_yates(a, b, NT, NR)
    assert out.shape == (3,)
    assert out[0] == pytest.approx(243 / 38)


@pytest.mark.parametrize("call, match", [
    (lambda: chi2_yates(-1, 5, 100, 200), "non-negative"),
    (lambda: chi2_yates(101, 5, 100, 200), "exceeds"),
    (lambda: g2_williams(1, 5, 0, 200), "positive token totals"),
    (lambda: log_ratio(1, 5, 100, 200, zero_adjust=0), "zero_adjust"),
    (lambda: dirichlet_prior([1, 2], prior_scale=-1), "prior_scale"),
    (lambda: dirichlet_prior([0, 0]), "positive total"),
    (lambda: fightin_words([1], [1], 10, 10, prior=[0.0]), "prior"),
])
def test_statistic_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()
