"""Tests for analysis.topics.diagnostics: coherence, exclusivity and FREX against hand computations."""
import math

import numpy as np
import pytest

from analysis.topics.diagnostics import (
    coherence_npmi, coherence_umass, frex_scores, top_term_indices, topic_exclusivity, window_doc_term,
)

# Co-occurrence toy: units x terms (a, b, c) presence.
#   u1: a b      u2: a b c      u3: a c      u4: b
# D(a)=3 D(b)=3 D(c)=2 D(a,b)=2 D(a,c)=2 D(b,c)=1, n=4 units
COOC = np.array([[1, 1, 0], [1, 1, 1], [1, 0, 1], [0, 1, 0]])


# ------------------------------------------------------------------ coherence
def test_npmi_matches_hand_computation():
    # P(a)=.75 P(b)=.75 P(c)=.5 P(ab)=.5 P(ac)=.5 P(bc)=.25
    # NPMI(a,b) = ln(.5/.5625)/-ln(.5)  = -0.117783/0.693147 = -0.169925
    # NPMI(a,c) = ln(.5/.375)/-ln(.5)   =  0.287682/0.693147 =  0.415037
    # NPMI(b,c) = ln(.25/.375)/-ln(.25) = -0.405465/1.386294 = -0.292481
    # mean = (-0.169925 + 0.415037 - 0.292481)/3 = -0.015790
    value = coherence_npmi(np.array([[0, 1, 2]]), COOC)
    assert value[0] == pytest.approx(-0.015790, abs=1e-6)


def test_npmi_smoothing_for_pairs_never_seen_together():
    # x only in u1, y only in u2: P(x)=P(y)=.5, P(x,y)=0
    # eps=.01: ln(.01/.25)/-ln(.01) = -3.218876/4.605170 = -0.698970
    units = np.array([[1, 0], [0, 1]])
    assert coherence_npmi(np.array([[0, 1]]), units, eps=0.01)[0] == pytest.approx(-0.698970, abs=1e-6)
    # with the default eps the value stays finite and near -1
    assert -1.0 < coherence_npmi(np.array([[0, 1]]), units)[0] < -0.9


def test_npmi_one_for_terms_always_together():
    # P(x)=P(y)=P(x,y)=.5: ln(.5/.25)/-ln(.5) = 1
    assert coherence_npmi(np.array([[0, 1]]), np.array([[1, 1], [0, 0]]))[0] == pytest.approx(1.0)


def test_umass_matches_hand_computation_and_order():
    # top terms [a, b, c], eps=1, conditioning on the earlier (heavier) term:
    # (b|a) ln((2+1)/3)=0; (c|a) ln((2+1)/3)=0; (c|b) ln((1+1)/3)=-0.405465
    # mean = -0.405465/3 = -0.135155
    assert coherence_umass(np.array([[0, 1, 2]]), COOC)[0] == pytest.approx(-0.135155, abs=1e-6)
    # top terms [c, a, b]: (a|c) ln((2+1)/2)=0.405465; (b|c) ln((1+1)/2)=0; (b|a) ln(3/3)=0
    # mean = 0.135155
    assert coherence_umass(np.array([[2, 0, 1]]), COOC)[0] == pytest.approx(0.135155, abs=1e-6)


def test_coherence_is_per_topic_and_accepts_sparse_counts():
    from scipy import sparse
    counts = sparse.csr_matrix(COOC * 3)  # counts >1 count as presence
    values = coherence_umass(np.array([[0, 1, 2], [2, 0, 1]]), counts)
    np.testing.assert_allclose(values, [-0.135155, 0.135155], atol=1e-6)


@pytest.mark.parametrize("func", [coherence_npmi, coherence_umass])
def test_coherence_needs_two_terms(func):
    with pytest.raises(ValueError, match="at least 2 top terms"):
        func(np.array([[0]]), COOC)


def test_top_term_indices_orders_and_breaks_ties_by_vocabulary():
    assert top_term_indices(np.array([[0.2, 0.5, 0.2, 0.1]]), 3).tolist() == [[1, 0, 2]]
    with pytest.raises(ValueError, match="n_terms must be between 1"):
        top_term_indices(np.array([[0.5, 0.5]]), 3)


# ------------------------------------------------------ exclusivity and FREX
PHI = np.array([[0.5, 0.3, 0.2], [0.15, 0.05, 0.8]])


def test_exclusivity_matches_hand_computation():
    # column sums .65 .35 1.0
    # topic 1 top-2 = a, b: (.5/.65 + .3/.35)/2 = (.769231 + .857143)/2 = .813187
    # topic 2 top-2 = c, a: (.8/1 + .15/.65)/2 = (.8 + .230769)/2     = .515385
    value = topic_exclusivity(PHI, top_term_indices(PHI, 2))
    np.testing.assert_allclose(value, [0.813187, 0.515385], atol=1e-6)


@pytest.mark.parametrize("weight, expected", [
    # topic 1: freq .5 .3 .2 -> ECDF 1, 2/3, 1/3; excl .769 .857 .2 -> ECDF 2/3, 1, 1/3
    # topic 2: freq .15 .05 .8 -> 2/3, 1/3, 1;     excl .231 .143 .8 -> 2/3, 1/3, 1
    # w=.5: a 1/(.5/(2/3) + .5/1) = .8; b 1/(.5/1 + .5/(2/3)) = .8; c 1/(1.5+1.5) = 1/3
    (0.5, [[0.8, 0.8, 1 / 3], [2 / 3, 1 / 3, 1.0]]),
    # w=1: the exclusivity ECDF alone
    (1.0, [[2 / 3, 1.0, 1 / 3], [2 / 3, 1 / 3, 1.0]]),
    # w=0: the frequency ECDF alone
    (0.0, [[1.0, 2 / 3, 1 / 3], [2 / 3, 1 / 3, 1.0]]),
])
def test_frex_matches_hand_computation(weight, expected):
    np.testing.assert_allclose(frex_scores(PHI, weight), expected, atol=1e-12)


def test_frex_ties_share_mean_rank():
    # topic 1 freq .5 .5 tie -> ECDF 1.5/2=.75 each; excl .5/.6=.833, .5/1.4=.357 -> 1, .5
    # a: 1/(.5/1 + .5/.75) = 1/1.166667 = .857143; b: 1/(.5/.5 + .5/.75) = .6
    np.testing.assert_allclose(frex_scores(np.array([[0.5, 0.5], [0.1, 0.9]]))[0],
                               [0.857143, 0.6], atol=1e-6)


def test_frex_rejects_bad_weight():
    with pytest.raises(ValueError, match=r"weight must lie in \[0, 1\]"):
        frex_scores(PHI, 1.5)


# ------------------------------------------------------------ sliding windows
# Units u1 = a b c a, u2 = b; windows of 2 tokens (Röder et al. 2015):
#   u1 -> [a b] [b c] [c a]; u2 is shorter than the window -> [b]; 4 virtual documents.
# P(a) = 2/4, P(b) = 3/4, P(c) = 2/4; P(a,b) = P(a,c) = P(b,c) = 1/4.
WINDOW_TOKENS = [["a", "b", "c", "a"], ["b"]]


def test_window_doc_term_makes_one_row_per_window():
    m = window_doc_term(WINDOW_TOKENS, ["a", "b", "c"], 2)
    assert m.toarray().tolist() == [[1, 1, 0], [0, 1, 1], [1, 0, 1], [0, 1, 0]]


def test_window_npmi_matches_hand_computation():
    # NPMI(a,b) = log(.25 / (.5 * .75)) / -log(.25) = log(2/3) / log 4 = -.292481
    # NPMI(a,c) = log(.25 / .25) / log 4 = 0;  NPMI(b,c) = NPMI(a,b)
    m = window_doc_term(WINDOW_TOKENS, ["a", "b", "c"], 2)
    expected = (2 * math.log(2 / 3) / math.log(4) + 0.0) / 3
    assert coherence_npmi(np.array([[0, 1, 2]]), m)[0] == pytest.approx(expected, abs=1e-9)
    # whole units instead: u1 = {a, b, c}, u2 = {b}; NPMI(a,b) = NPMI(b,c) = 0, NPMI(a,c) = 1
    units = np.array([[1, 1, 1], [0, 1, 0]])
    assert coherence_npmi(np.array([[0, 1, 2]]), units)[0] == pytest.approx(1 / 3, abs=1e-9)


def test_window_longer_than_every_unit_is_unit_cooccurrence():
    m = window_doc_term(WINDOW_TOKENS, ["a", "b", "c"], 10)
    assert m.toarray().tolist() == [[1, 1, 1], [0, 1, 0]]


def test_window_keeps_the_place_of_terms_outside_the_vocabulary():
    # a x b with a window of 2: [a x] [x b], so a and b never share a window
    m = window_doc_term([["a", "x", "b"], []], ["a", "b"], 2)
    assert m.toarray().tolist() == [[1, 0], [0, 1]]


@pytest.mark.parametrize("tokens, window, match", [
    (WINDOW_TOKENS, 1, "window must be an integer of at least 2"),
    (WINDOW_TOKENS, 2.5, "window must be an integer of at least 2"),
    (["a b c"], 2, "one list of tokens per unit"),
])
def test_window_doc_term_rejects_bad_input(tokens, window, match):
    with pytest.raises(ValueError, match=match):
        window_doc_term(tokens, ["a", "b", "c"], window)
