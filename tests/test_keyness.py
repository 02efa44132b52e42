"""Tests for analysis.keyness: statistics checked against hand arithmetic and scipy."""
from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.stats import chi2_contingency

from analysis import config
from analysis.keyness import (KEYNESS_COLUMNS, bh_qvalues, chi2_yates, dirichlet_prior,
                              fightin_words, g2_williams, is_key, key_terms, keyness_table,
                              log_ratio, one_vs_rest, paragraph_rates, permutation_pvalues,
                              resolve_contrasts, tfidf_by_group, tfidf_top_terms)

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
    (lambda: bh_qvalues([0.2, 1.5]), r"\[0, 1\]"),
])
def test_statistic_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_bh_qvalues_by_hand():
    # sorted p = .01, .02, .03, .5 with m = 4: p*m/rank = .04, .04, .04, .5; cumulative min from top
    np.testing.assert_allclose(bh_qvalues([0.03, 0.01, 0.5, 0.02]), [0.04, 0.04, 0.5, 0.04])


# --------------------------------------------------------------------------- #
# Paragraph permutation test                                                  #
# --------------------------------------------------------------------------- #
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


# --------------------------------------------------------------------------- #
# Keyness tables on a toy corpus                                              #
# --------------------------------------------------------------------------- #
UNITS = pd.DataFrame({
    "doc_id": ["a", "a", "b", "b", "c"],
    "unit_id": ["a.p01", "a.p02", "b.p01", "b.p02", "c.p01"],
    "text": ["axis axis resistance", "axis deal", "deal deal trade", "trade axis",
             "trade trade trade axis"],
})
# Token totals: a = 5 (axis 3, resistance 1, deal 1), b = 5 (deal 2, trade 2, axis 1),
# c = 4 (trade 3, axis 1). Whole corpus: axis 5, deal 3, resistance 1, trade 5; n = 14.


def test_keyness_table_columns_and_counts_by_hand():
    table = keyness_table(UNITS, [("a", "rest")], n_perm=200, random_state=0)
    assert list(table.columns) == KEYNESS_COLUMNS
    axis = table.set_index("term").loc["axis"]
    assert (axis.group, axis.reference) == ("a", "rest")
    assert (axis.count_target, axis.count_reference) == (3, 2)
    # chi2: a=3, b=2, c=2, d=7, N=14; ad - bc = 21 - 4 = 17; 17 - 7 = 10;
    #       14 * 100 / (5 * 9 * 5 * 9) = 1400 / 2025 = 0.691358
    assert axis.chi2 == pytest.approx(1400 / 2025)
    # log ratio: log2((3/5) / (2/9)) = log2(2.7) = 1.432959
    assert axis.log_ratio == pytest.approx(math.log2(2.7))
    # Fightin' Words, prior from the WHOLE corpus: alpha_axis = 5, alpha_0 = 14
    # delta = ln(8 / (5 + 14 - 8)) - ln(7 / (9 + 14 - 7)) = ln(8/11) - ln(7/16) = ln(128/77)
    # var = 1/8 + 1/7 = 15/56;  z = ln(128/77) / sqrt(15/56) = 0.981984
    assert axis.fw_z == pytest.approx(math.log(128 / 77) / math.sqrt(15 / 56))


def test_keyness_prior_comes_from_documents_outside_the_contrast():
    table = keyness_table(UNITS, [("a", "b")], n_perm=200, random_state=0)
    axis = table.set_index("term").loc["axis"]
    assert (axis.count_target, axis.count_reference) == (3, 1)
    # alpha_axis = 5 and alpha_0 = 14 still include document c:
    # delta = ln(8/11) - ln((1 + 5) / (5 + 14 - 1 - 5)) = ln(8/11) - ln(6/13); var = 1/8 + 1/6
    expected = (math.log(8 / 11) - math.log(6 / 13)) / math.sqrt(1 / 8 + 1 / 6)
    assert axis.fw_z == pytest.approx(expected)


def test_keyness_frequency_floor():
    # "resistance" occurs once: below the default floor of 2, kept with min_count=1
    assert "resistance" not in set(keyness_table(UNITS, [("a", "rest")], n_perm=20).term)
    assert "resistance" in set(keyness_table(UNITS, [("a", "rest")], min_count=1, n_perm=20).term)


def test_keyness_several_contrasts_match_single_runs():
    contrasts = one_vs_rest(UNITS.doc_id) + [("ab", "c")]
    groups = {"ab": ["a", "b"]}
    both = keyness_table(UNITS, contrasts, groups, n_perm=100, random_state=5)
    assert list(both[["group", "reference"]].drop_duplicates().itertuples(index=False)) == \
        [("a", "rest"), ("b", "rest"), ("c", "rest"), ("ab", "c")]
    alone = keyness_table(UNITS, [("ab", "c")], groups, n_perm=100, random_state=5)
    pd.testing.assert_frame_equal(both[both.group == "ab"].reset_index(drop=True), alone)


def test_keyness_is_reproducible():
    first = keyness_table(UNITS, one_vs_rest(UNITS.doc_id), n_perm=100, random_state=11)
    second = keyness_table(UNITS, one_vs_rest(UNITS.doc_id), n_perm=100, random_state=11)
    pd.testing.assert_frame_equal(first, second)


def test_resolve_contrasts():
    out = resolve_contrasts([("x", "rest"), ("a", "c")], ["a", "b", "c"], {"x": ["a", "b"]})
    assert out == [("x", "rest", ["a", "b"], ["c"]), ("a", "c", ["a"], ["c"])]


@pytest.mark.parametrize("kwargs, match", [
    (dict(units=UNITS.drop(columns="text")), "lacks column"),
    (dict(units=UNITS.iloc[:0]), "empty"),
    (dict(contrasts=[("zz", "rest")]), "neither a document id"),
    (dict(contrasts=[("rest", "a")]), "only be a reference"),
    (dict(contrasts=[("a", "a")]), "disjoint"),
    (dict(contrasts=[]), "contrasts is empty"),
    (dict(contrasts=("a", "rest")), "list of"),
    (dict(contrasts=[("a", "rest"), ("a", "rest")]), "listed twice"),
    (dict(contrasts=[("g", "rest")], groups={"g": ["a", "nope"]}), "unknown document"),
    (dict(contrasts=[("g", "rest")], groups={"g": ["a", "b", "c"]}), "reference of 'g' is empty"),
    (dict(min_count=0), "min_count"),
])
def test_keyness_table_errors(kwargs, match):
    args = dict(units=UNITS, contrasts=[("a", "rest")], n_perm=10) | kwargs
    with pytest.raises(ValueError, match=match):
        keyness_table(**args)


def test_is_key_rule_and_key_terms():
    table = pd.DataFrame({
        "group": ["a"] * 4, "reference": ["rest"] * 4, "term": ["w", "x", "y", "z"],
        "log_ratio": [1.0, 1.0, -1.0, 2.0], "fw_z": [1.0, 2.0, -2.0, 3.0],
        "p_perm": [0.01, 0.04, 0.01, 0.2], "q_bh": [0.03, 0.06, 0.03, 0.3]})
    assert is_key(table).tolist() == [True, True, False, False]
    assert is_key(table, use="q_bh").tolist() == [True, False, False, False]
    assert key_terms(table).term.tolist() == ["x", "w"]  # by fw_z, key terms only
    with pytest.raises(ValueError, match="use must be"):
        is_key(table, use="chi2")
    with pytest.raises(ValueError, match="lacks column"):
        is_key(table.drop(columns="p_perm"))


# --------------------------------------------------------------------------- #
# TF-IDF                                                                      #
# --------------------------------------------------------------------------- #
def test_tfidf_by_hand():
    units = pd.DataFrame({"doc_id": ["a", "a", "b"], "text": ["axis war", "axis", "trade war"]})
    w = tfidf_by_group(units, ngram_range=(1, 1), min_count=1)
    # a: axis tf 2 -> 1 + ln 2 = 1.693147, idf ln(3/2) + 1 = 1.405465 -> 2.379659
    #    war  tf 1 -> 1,                   idf ln(3/3) + 1 = 1        -> 1
    #    l2 norm sqrt(2.379659^2 + 1) = 2.581236 -> axis 0.921907, war 0.387411
    # b: trade 1.405465, war 1 -> norm 1.724917 -> trade 0.814802, war 0.579739
    assert w.loc["a", "axis"] == pytest.approx(0.921907, abs=1e-6)
    assert w.loc["a", "war"] == pytest.approx(0.387411, abs=1e-6)
    assert w.loc["a", "trade"] == 0
    assert w.loc["b", "trade"] == pytest.approx(0.814802, abs=1e-6)
    assert w.loc["b", "war"] == pytest.approx(0.579739, abs=1e-6)


def test_tfidf_bigrams_stay_inside_paragraphs():
    units = pd.DataFrame({"doc_id": ["a", "a"], "text": ["axis war", "trade deal"]})
    w = tfidf_by_group(units, min_count=1)
    assert "axis war" in w.columns
    assert "war trade" not in w.columns


def test_tfidf_top_terms_order_and_ties():
    w = pd.DataFrame({"x": [0.5, 0.1], "y": [0.5, 0.0], "z": [0.2, 0.9]},
                     index=pd.Index(["a", "b"], name="doc_id"))
    top = tfidf_top_terms(w, n=2)
    assert top.values.tolist() == [["a", 1, "x", 0.5], ["a", 2, "y", 0.5],
                                   ["b", 1, "z", 0.9], ["b", 2, "x", 0.1]]


@pytest.mark.parametrize("call, match", [
    (lambda: tfidf_by_group(UNITS, min_count=100), "min_count"),
    (lambda: tfidf_by_group(UNITS, by="outlet"), "lacks column"),
    (lambda: tfidf_top_terms(pd.DataFrame({"x": [1.0]}), n=0), "positive integer"),
])
def test_tfidf_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# --------------------------------------------------------------------------- #
# The study's own table (written by notebooks/02-vocabulary)                  #
# --------------------------------------------------------------------------- #
KEYNESS_CSV = config.ROOT / "results" / "tables" / "keyness.csv"


@pytest.mark.skipif(not KEYNESS_CSV.exists(),
                    reason="results/tables/keyness.csv does not exist yet; run the study "
                           "(notebooks/02-vocabulary) to write it")
@pytest.mark.parametrize("group, term", [("lobel-2022", "ideological"),
                                         ("aljazeera-2024", "credibility")])
def test_study_key_terms(group, term):
    table = pd.read_csv(KEYNESS_CSV)
    assert list(table.columns) == KEYNESS_COLUMNS
    row = table[(table.group == group) & (table.reference == "rest") & (table.term == term)]
    assert len(row) == 1, f"{term!r} missing from the {group} vs rest contrast"
    assert bool(is_key(row).iloc[0]), row.to_dict("records")
