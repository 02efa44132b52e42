"""Tests for analysis.topics: every statistic against a hand computation on a toy input."""
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from analysis import topics
from analysis.topics import (
    TopicModel, choose_k, coherence_npmi, coherence_umass, community_alignment, compare_topics,
    date_to_years, diagnostics_summary, frex_scores, match_topics, medoid_runs, run_stability,
    sweep_terms_table, top_term_indices, topic_communities, topic_concentration, topic_effects,
    topic_exclusivity, topic_labels, topic_network, topic_pole_alignment, topic_prevalence,
    topic_representatives, topic_stability, topic_sweep, topic_terms_table, unit_token_summary,
)

# Two planted themes, no word shared between them.
ENERGY = ["oil gas pipeline export", "gas pipeline oil price", "oil price export gas",
          "pipeline export price oil"]
ARMY = ["army troops missile base", "troops missile army drone", "missile drone base troops",
        "drone base army missile"]
TOY = ENERGY + ARMY

# Co-occurrence toy: units x terms (a, b, c) presence.
#   u1: a b      u2: a b c      u3: a c      u4: b
# D(a)=3 D(b)=3 D(c)=2 D(a,b)=2 D(a,c)=2 D(b,c)=1, n=4 units
COOC = np.array([[1, 1, 0], [1, 1, 1], [1, 0, 1], [0, 1, 0]])


# ------------------------------------------------------------------ TopicModel
@pytest.mark.parametrize("method", ["lda", "nmf"])
def test_topic_model_follows_estimator_contract(method):
    tm = TopicModel(method, 2, min_df=1, random_state=0)
    assert tm.fit(TOY) is tm
    assert tm.components_.shape == (2, len(tm.terms_))
    np.testing.assert_allclose(tm.components_.sum(axis=1), 1.0)
    np.testing.assert_allclose(tm.doc_topic_.sum(axis=1), 1.0)
    assert tm.get_feature_names_out().tolist() == ["topic1", "topic2"]
    assert clone(tm).get_params() == tm.get_params()
    assert not hasattr(clone(tm), "model_")


@pytest.mark.parametrize("method", ["lda", "nmf"])
def test_topic_model_recovers_planted_themes(method):
    tm = TopicModel(method, 2, min_df=1, random_state=0).fit(TOY)
    dominant = tm.doc_topic_.argmax(axis=1)
    assert len(set(dominant[:4])) == 1 and len(set(dominant[4:])) == 1
    assert dominant[0] != dominant[4]
    # new text goes to its theme's topic
    assert tm.transform(["oil and gas"]).argmax() == dominant[0]


@pytest.mark.parametrize("method", ["lda", "nmf"])
def test_topic_model_same_seed_same_topics(method):
    a = TopicModel(method, 3, min_df=1, random_state=5).fit(TOY)
    b = TopicModel(method, 3, min_df=1, random_state=5).fit(TOY)
    np.testing.assert_array_equal(a.components_, b.components_)
    np.testing.assert_array_equal(a.doc_topic_, b.doc_topic_)


def test_perplexity_only_for_lda():
    assert 1 < TopicModel("lda", 2, min_df=1, random_state=0).fit(TOY).perplexity_ < math.inf
    assert math.isnan(TopicModel("nmf", 2, min_df=1, random_state=0).fit(TOY).perplexity_)


def test_fixed_vocabulary_is_used():
    tm = TopicModel("lda", 2, vocabulary=["oil", "army", "drone"], random_state=0).fit(TOY)
    assert tm.terms_.tolist() == ["oil", "army", "drone"]


@pytest.mark.parametrize("kwargs, docs, match", [
    ({"method": "plsa"}, TOY, "method must be one of"),
    ({"n_components": 0}, TOY, "n_components must be a positive integer"),
    ({}, "one string", "not one string"),
    ({}, [], "raw_documents is empty"),
    ({}, ["text", None], "only str"),
    ({"min_df": 1}, ["the of and", "a an the"], "no term is left"),
])
def test_topic_model_rejects_bad_input(kwargs, docs, match):
    with pytest.raises(ValueError, match=match):
        TopicModel(**kwargs).fit(docs)


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


# ------------------------------------------------------------------ stability
def test_match_topics_finds_the_best_assignment():
    # cos(a1,b1)=.6 cos(a1,b2)=1 cos(a2,b1)=.8 cos(a2,b2)=0
    # a1->b2, a2->b1 totals 1.8; the other assignment .6
    partner, sim = match_topics(np.eye(2), np.array([[0.6, 0.8], [1.0, 0.0]]))
    assert partner.tolist() == [1, 0]
    np.testing.assert_allclose(sim, [1.0, 0.8])


def test_stability_matches_hand_computation():
    # runs r0 = I, r1 = I reversed, r2 = [[.6,.8],[1,0]]
    # r0~r1: both topics 1.  r0~r2: t1 1, t2 .8.  r1~r2: r1 t1 (0,1) -> r2 t1 .8, r1 t2 -> r2 t2 1
    # r0: t1 (1+1)/2=1,  t2 (1+.8)/2=.9
    # r1: t1 (1+.8)/2=.9, t2 (1+1)/2=1
    # r2: t1 (.8+.8)/2=.8, t2 (1+1)/2=1
    runs = [np.eye(2), np.eye(2)[::-1], np.array([[0.6, 0.8], [1.0, 0.0]])]
    np.testing.assert_allclose(topic_stability(runs), [[1.0, 0.9], [0.9, 1.0], [0.8, 1.0]])


def test_stability_errors():
    with pytest.raises(ValueError, match="at least 2 runs"):
        topic_stability([np.eye(2)])
    with pytest.raises(ValueError, match="same topics x terms shape"):
        match_topics(np.eye(2), np.eye(3))


# ------------------------------------------------------------------ the sweep
@pytest.fixture(scope="module")
def small_sweep():
    return topic_sweep(TOY, ks=[2, 3], n_seeds=2, n_terms=3, min_df=1, random_state=7)


def test_sweep_has_one_row_per_model_k_seed(small_sweep):
    d = small_sweep.diagnostics
    assert list(d.columns) == ["model", "k", "seed", "npmi", "umass", "exclusivity",
                               "perplexity", "stability"]
    assert len(d) == 2 * 2 * 2
    assert d[d["model"] == "nmf"]["perplexity"].isna().all()
    assert d[d["model"] == "lda"]["perplexity"].gt(0).all()
    assert d["stability"].between(0, 1 + 1e-12).all()
    assert sorted(d["seed"].unique()) == [7, 8]


def test_sweep_is_reproducible_and_refittable(small_sweep):
    again = topic_sweep(TOY, ks=[2, 3], n_seeds=2, n_terms=3, min_df=1, random_state=7)
    pd.testing.assert_frame_equal(small_sweep.diagnostics, again.diagnostics)
    refit = TopicModel("nmf", 3, min_df=1, random_state=8).fit(TOY)
    np.testing.assert_array_equal(refit.components_, small_sweep.topic_term["nmf", 3, 8])
    np.testing.assert_array_equal(refit.doc_topic_, small_sweep.doc_topic["nmf", 3, 8])


def test_sweep_coherence_is_that_of_the_run(small_sweep):
    phi = small_sweep.topic_term["lda", 2, 7]
    X = topics.topic_vectorizer("lda", min_df=1).fit_transform(TOY)
    row = small_sweep.diagnostics.query("model == 'lda' and k == 2 and seed == 7").iloc[0]
    assert row["npmi"] == pytest.approx(coherence_npmi(top_term_indices(phi, 3), X).mean())


def test_sweep_seeds_per_model_are_a_prefix_of_the_longer_sweep(small_sweep):
    mixed = topic_sweep(TOY, ks=[2, 3], n_seeds={"lda": 2, "nmf": 3}, n_terms=3, min_df=1,
                        random_state=7)
    d = mixed.diagnostics
    assert d.groupby("model")["seed"].unique().map(sorted).to_dict() == {"lda": [7, 8], "nmf": [7, 8, 9]}
    # the LDA runs are those of the two-seed sweep, the NMF runs are two of them plus one
    pd.testing.assert_frame_equal(d[d["model"] == "lda"].reset_index(drop=True),
                                  small_sweep.diagnostics.query("model == 'lda'").reset_index(drop=True))
    np.testing.assert_array_equal(mixed.topic_term["nmf", 3, 8], small_sweep.topic_term["nmf", 3, 8])
    assert run_stability(mixed, "nmf", 3, 9)["stability"].between(0, 1 + 1e-12).all()


def test_sweep_perplexity_is_the_fitted_models(small_sweep):
    X = topics.topic_vectorizer("lda", min_df=1).fit_transform(TOY)
    est, _, _ = topics._factorize(X, "lda", 3, 8, None)
    row = small_sweep.diagnostics.query("model == 'lda' and k == 3 and seed == 8").iloc[0]
    assert row["perplexity"] == pytest.approx(est.perplexity(X), rel=1e-10)


@pytest.mark.parametrize("kwargs, match", [
    ({"n_seeds": 1}, "n_seeds must be at least 2"),
    ({"n_seeds": {"lda": 2, "nmf": 1}}, "n_seeds must be at least 2"),
    ({"n_seeds": {"lda": 2}}, r"n_seeds has no entry for \['nmf'\]"),
    ({"ks": [0, 2]}, "ks must be positive integers"),
    ({"methods": ["lsa"]}, "method must be one of"),
])
def test_sweep_rejects_bad_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        topic_sweep(TOY, **{"ks": [2], "n_seeds": 2, **kwargs})


def test_sweep_terms_table_uses_each_medoid_run(small_sweep):
    table = sweep_terms_table(small_sweep, n_terms=2)
    assert list(table.columns) == ["model", "k", "seed", "topic", "rank", "term", "weight",
                                   "frex", "frex_rank"]
    medoids = medoid_runs(small_sweep.diagnostics)
    assert table.drop_duplicates(["model", "k"])[["model", "k", "seed"]].values.tolist() == \
        medoids.values.tolist()
    model, k, seed = medoids.iloc[-1]
    expected = topic_terms_table(small_sweep.topic_term[model, k, seed], small_sweep.terms[model], 2)
    got = table[(table["model"] == model) & (table["k"] == k)].drop(columns=["model", "k", "seed"])
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected)


def test_run_stability_is_the_run_row_of_topic_stability(small_sweep):
    runs = [small_sweep.topic_term["lda", 3, s] for s in (7, 8)]
    expected = topic_stability(runs)[1]
    out = run_stability(small_sweep, "lda", 3, 8)
    assert out["topic"].tolist() == [1, 2, 3]
    np.testing.assert_allclose(out["stability"], expected)
    with pytest.raises(ValueError, match=r"no run \('lda', 3, 9\)"):
        run_stability(small_sweep, "lda", 3, 9)


def test_compare_topics_reports_partners_and_cosines():
    # a1=(1,0) a2=(0,1); b1=(.6,.8) b2=(1,0): best a1->b2 (1), a2->b1 (.8)
    out = compare_topics(np.eye(2), np.array([[0.6, 0.8], [1.0, 0.0]]))
    assert out["partner"].tolist() == [2, 1]
    np.testing.assert_allclose(out["similarity"], [1.0, 0.8])


def test_unit_token_summary_counts_content_tokens():
    # "the oil and gas" -> oil gas (2); "army troops missile base drone" -> 5; "of the" -> 0
    # median 2; 10th percentile 0 + .2*(2-0) = .4; short (< 3): 2 of 3
    out = unit_token_summary({"u": ["the oil and gas", "army troops missile base drone", "of the"]},
                             short=3)
    assert out.values.tolist() == [["u", 3, 2.0, pytest.approx(0.4), pytest.approx(2 / 3)]]


# ------------------------------------------------------------------ choosing K
def _diagnostics(rows):
    return pd.DataFrame(rows, columns=["model", "k", "seed", "npmi", "stability"])


def test_choose_k_takes_most_coherent_stable_k_and_medoid_seed():
    d = _diagnostics([
        ("lda", 2, 1, 0.10, 0.95), ("lda", 2, 2, 0.10, 0.95),
        ("lda", 3, 1, 0.30, 0.85), ("lda", 3, 2, 0.30, 0.90),  # stable, best NPMI
        ("lda", 4, 1, 0.50, 0.60), ("lda", 4, 2, 0.50, 0.60),  # best NPMI but unstable
    ])
    out = choose_k(d, threshold=0.8)
    assert out[["model", "k", "seed", "stable"]].values.tolist() == [["lda", 3, 2, True]]
    assert out["stability"].iloc[0] == pytest.approx(0.875)


def test_choose_k_ties_go_to_smaller_k_and_seed():
    d = _diagnostics([("nmf", 2, 1, 0.2, 0.9), ("nmf", 2, 2, 0.2, 0.9),
                      ("nmf", 3, 1, 0.2, 0.9), ("nmf", 3, 2, 0.2, 0.9)])
    assert choose_k(d)[["k", "seed"]].values.tolist() == [[2, 1]]


def test_choose_k_falls_back_to_most_stable_when_none_is_stable():
    d = _diagnostics([("lda", 2, 1, 0.4, 0.5), ("lda", 3, 1, 0.1, 0.7)])
    out = choose_k(d, threshold=0.8)
    assert out[["k", "stable"]].values.tolist() == [[3, False]]


def test_choose_k_needs_diagnostics_columns():
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['stability'\]"):
        choose_k(pd.DataFrame({"model": ["lda"], "k": [2], "seed": [1], "npmi": [0.1]}))


def test_medoid_runs_prefer_stable_then_smaller_seed():
    d = _diagnostics([("lda", 2, 5, 0.1, 0.8), ("lda", 2, 3, 0.1, 0.9), ("lda", 2, 4, 0.1, 0.9),
                      ("nmf", 2, 1, 0.1, 0.5)])
    assert medoid_runs(d).values.tolist() == [["lda", 2, 3], ["nmf", 2, 1]]


def test_diagnostics_summary_means_and_sds():
    d = _diagnostics([("lda", 2, 1, 0.1, 0.8), ("lda", 2, 2, 0.3, 1.0)])
    s = diagnostics_summary(d).iloc[0]
    # sd (ddof=1) of .1, .3 = sqrt(((-.1)^2 + .1^2)/1) = .141421
    assert (s["npmi_mean"], s["stability_mean"]) == pytest.approx((0.2, 0.9))
    assert s["npmi_sd"] == pytest.approx(0.141421, abs=1e-6)


# ------------------------------------------------------------------ labels
def test_terms_table_lists_probability_and_frex_terms():
    # PHI topic 1: by probability a(1) b(2) c(3); FREX a=.8, b=.8 (tie -> vocabulary order), c=1/3
    table = topic_terms_table(PHI, ["a", "b", "c"], n_terms=1)
    t1 = table[table["topic"] == 1]
    assert t1[["term", "rank", "frex_rank"]].values.tolist() == [["a", 1, 1]]
    # topic 2: probability c; FREX c (1.0)
    t2 = table[table["topic"] == 2]
    assert t2["term"].tolist() == ["c"]
    assert t2["weight"].iloc[0] == pytest.approx(0.8)


def test_terms_table_adds_frex_terms_outside_probability_top():
    # topic 1 = (.4 .3 .2 .1), topic 2 = (.7 .1 .1 .1); column sums 1.1 .4 .3 .2
    # topic 1 freq ECDF a 1, b .75, c .5, d .25
    #   exclusivity .364 .75 .667 .5 -> ECDF a .25, b 1, c .75, d .5
    #   FREX a 1/(.5/.25 + .5/1) = .4; b 1/(.5/1 + .5/.75) = .857143; c 1/(.5/.75 + .5/.5) = .6;
    #   d 1/(.5/.5 + .5/.25) = 1/3  -> FREX order b c a d
    phi = np.array([[0.4, 0.3, 0.2, 0.1], [0.7, 0.1, 0.1, 0.1]])
    table = topic_terms_table(phi, ["a", "b", "c", "d"], n_terms=1)
    t1 = table[table["topic"] == 1]
    assert t1[["term", "rank", "frex_rank"]].values.tolist() == [["a", 1, 3], ["b", 2, 1]]
    np.testing.assert_allclose(t1["frex"], [0.4, 0.857143], atol=1e-6)
    # topic 2: freq ECDF a 1, b c d tied at mean rank 2 -> .5; exclusivity ECDF a 1 -> FREX a = 1
    t2 = table[table["topic"] == 2]
    assert t2[["term", "rank", "frex_rank"]].values.tolist() == [["a", 1, 1]]
    assert t2["frex"].iloc[0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="terms has 2 entries"):
        topic_terms_table(phi, ["a", "b"])


def test_topic_labels_by_frex_or_probability():
    t = pd.DataFrame({"topic": [1, 1, 1], "rank": [1, 2, 3], "frex_rank": [3, 1, 2],
                      "term": ["x", "y", "z"]})
    assert topic_labels(t, 2, by="prob") == {1: "x, y"}
    assert topic_labels(t, 2, by="frex") == {1: "y, z"}
    with pytest.raises(ValueError, match="by must be 'frex' or 'prob'"):
        topic_labels(t, by="lift")


def test_representatives_are_highest_share_units():
    theta = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.6, 0.4]])
    r = topic_representatives(theta, ["u1", "u2", "u3", "u4"], n=3)
    assert r[r["topic"] == 1]["unit_id"].tolist() == ["u1", "u3", "u4"]  # tie: earlier first
    assert r[r["topic"] == 2]["unit_id"].tolist() == ["u2", "u3", "u4"]
    with pytest.raises(ValueError, match="one id per unit"):
        topic_representatives(theta, ["u1"])


# ------------------------------------------------------ prevalence and effects
def test_prevalence_means_and_bootstrap_interval():
    # group a: shares of topic 1 are 0 and 1 -> bootstrap means 0, .5, 1 with probs
    # .25, .5, .25; the 2.5% and 97.5% percentiles of 2000 draws are 0 and 1.
    # group b: identical units -> every resample gives .3 -> interval [.3, .3]
    theta = np.array([[0.0, 1.0], [1.0, 0.0], [0.3, 0.7], [0.3, 0.7]])
    p = topic_prevalence(theta, ["a", "a", "b", "b"], n_boot=2000, random_state=1)
    a1 = p[(p["doc_id"] == "a") & (p["topic"] == 1)].iloc[0]
    assert (a1["share"], a1["low"], a1["high"]) == (0.5, 0.0, 1.0)
    b1 = p[(p["doc_id"] == "b") & (p["topic"] == 1)].iloc[0]
    assert (b1["share"], b1["low"], b1["high"]) == pytest.approx((0.3, 0.3, 0.3))


def test_prevalence_is_seeded():
    rng = np.random.default_rng(0)
    theta = rng.dirichlet([1, 1, 1], size=12)
    groups = ["a"] * 6 + ["b"] * 6
    one = topic_prevalence(theta, groups, n_boot=300, random_state=3)
    two = topic_prevalence(theta, groups, n_boot=300, random_state=3)
    pd.testing.assert_frame_equal(one, two)
    assert (one["low"] <= one["share"]).all() and (one["share"] <= one["high"]).all()


@pytest.mark.parametrize("kwargs, match", [
    ({"groups": ["a"]}, "one label per row"),
    ({"confidence": 1.0}, "confidence must lie strictly between 0 and 1"),
])
def test_prevalence_rejects_bad_input(kwargs, match):
    args = {"doc_topic": np.eye(2), "groups": ["a", "b"], **kwargs}
    with pytest.raises(ValueError, match=match):
        topic_prevalence(args.pop("doc_topic"), args.pop("groups"), **args)


def test_topic_concentration_matches_hand_computation():
    # topic 1 weights: a .9+.7 = 1.6, b .2 -> a holds 1.6/1.8 = .888889 (a has 2/3 of units)
    # topic 2 weights: a .1+.3 = .4, b .8 -> b holds .8/1.2 = .666667 (b has 1/3 of units)
    out = topic_concentration(np.array([[0.9, 0.1], [0.7, 0.3], [0.2, 0.8]]), ["a", "a", "b"])
    assert out["group"].tolist() == ["a", "b"]
    np.testing.assert_allclose(out["concentration"], [0.888889, 0.666667], atol=1e-6)
    np.testing.assert_allclose(out["baseline"], [2 / 3, 1 / 3])
    with pytest.raises(ValueError, match="one label per row"):
        topic_concentration(np.eye(2), ["a"])


def test_date_to_years():
    # 2020 is a leap year: 366 days / 365.25 = 1.002053
    np.testing.assert_allclose(date_to_years(["2021-01-01", "2020-01-01"]), [1.002053, 0.0], atol=1e-6)
    with pytest.raises(ValueError, match="ISO YYYY-MM-DD"):
        date_to_years(["2020-01-01", "Jan 2021"])


THETA_FX = np.array([[0.2, 0.8], [0.4, 0.6], [0.6, 0.4], [0.8, 0.2]])


def test_numeric_effect_is_ols_slope():
    # x = 0 0 1 1, y = .2 .4 .6 .8: means .5 .5
    # Sxy = (-.5)(-.3)+(-.5)(-.1)+(.5)(.1)+(.5)(.3) = .4, Sxx = 4(.25) = 1 -> slope .4
    e = topic_effects(THETA_FX, [0, 0, 1, 1], kind="numeric", n_boot=200, random_state=0)
    assert e["term"].unique().tolist() == ["slope"]
    np.testing.assert_allclose(e["estimate"], [0.4, -0.4])


def test_categorical_effect_is_level_minus_rest():
    # level b: mean(.6, .8) - mean(.2, .4) = .7 - .3 = .4; level a: -.4
    e = topic_effects(THETA_FX, ["a", "a", "b", "b"], n_boot=200, random_state=0)
    t1 = e[e["topic"] == 1].set_index("term")["estimate"]
    assert t1.to_dict() == pytest.approx({"a": -0.4, "b": 0.4})


def test_effect_interval_is_degenerate_when_strata_are_homogeneous():
    # within each stratum the units are identical, so every stratified resample is the
    # original sample: low = high = estimate = .6 - .2 = .4
    theta = np.array([[0.2, 0.8], [0.2, 0.8], [0.6, 0.4], [0.6, 0.4]])
    e = topic_effects(theta, [0.0, 0.0, 1.0, 1.0], kind="numeric", strata=["a", "a", "b", "b"],
                      n_boot=100)
    row = e[e["topic"] == 1].iloc[0]
    assert (row["estimate"], row["low"], row["high"]) == pytest.approx((0.4, 0.4, 0.4))


@pytest.mark.parametrize("kwargs, match", [
    ({"covariate": [1, 1, 1, 1], "kind": "numeric"}, "covariate is constant"),
    ({"covariate": [1, 2], "kind": "numeric"}, "one value per row"),
    ({"covariate": ["a", "a", "b", "b"], "kind": "ordinal"}, "kind must be 'categorical' or 'numeric'"),
    ({"covariate": ["a", "a", "b", "b"], "strata": ["x"]}, "strata must have one label per unit"),
])
def test_effects_reject_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        topic_effects(THETA_FX, **kwargs)


# ------------------------------------------------------------ topics → frames
def test_alignment_cosines_match_hand_computation():
    # topic 1 = (.5, .5, 0, 0), topic 2 = (0, 0, .5, .5) over [axis, resistance, oil, deal]
    # pole p: "axis of resistance" -> (1,1,0,0): cos t1 = 1/(.7071*1.4142) = 1, t2 = 0
    # pole q: ["deal", "oil deals"] -> stems deal x2, oil x1 -> (0,0,1,2):
    #   cos t2 = (.5+1)/(.7071*2.2361) = 1.5/1.581139 = .948683
    phi = np.array([[0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]])
    a = topic_pole_alignment(phi, ["axis", "resistance", "oil", "deal"],
                             {"q": ["deal", "oil deals"], "p": ["axis of resistance"], "r": ["zzz"]})
    cos = a.set_index(["topic", "pole"])["cosine"]
    assert cos[1, "p"] == pytest.approx(1.0) and cos[2, "p"] == pytest.approx(0.0)
    assert cos[2, "q"] == pytest.approx(0.948683, abs=1e-6)
    assert math.isnan(cos[1, "r"])
    found = a.drop_duplicates("pole").set_index("pole")["n_terms_found"]
    assert found.to_dict() == {"p": 2, "q": 2, "r": 0}


def test_alignment_exact_match_does_not_stem():
    a = topic_pole_alignment(np.array([[1.0, 0.0]]), ["deal", "oil"], {"q": ["deals"]}, match="exact")
    assert a["n_terms_found"].iloc[0] == 0


@pytest.mark.parametrize("poles, terms, match", [
    ({}, ["a", "b"], "poles is empty"),
    ({"p": "axis"}, ["a", "b"], "single string"),
    ({"p": ["a"]}, ["a"], "terms has 1 entries"),
])
def test_alignment_rejects_bad_input(poles, terms, match):
    with pytest.raises(ValueError, match=match):
        topic_pole_alignment(np.array([[0.5, 0.5]]), terms, poles)


def test_topic_network_edges_are_cosines_of_doc_topic_columns():
    # columns t1=(1,.5,0) t2=(0,.5,0) t3=(0,0,1)
    # cos(t1,t2) = .25/(1.118034*.5) = .447214; t3 is orthogonal to both
    theta = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    g = topic_network(theta)
    assert sorted(g.nodes) == [1, 2, 3]
    assert [(u, v) for u, v in g.edges] == [(1, 2)]
    assert g.edges[1, 2]["weight"] == pytest.approx(0.447214, abs=1e-6)
    # prevalence = column means 1.5/3, .5/3, 1/3
    assert g.nodes[1]["prevalence"] == pytest.approx(0.5)
    assert g.nodes[2]["prevalence"] == pytest.approx(1 / 6)
    assert topic_network(theta, min_similarity=0.5).number_of_edges() == 0


def test_communities_split_two_cliques():
    g = nx.Graph()
    g.add_weighted_edges_from([(1, 2, 0.9), (2, 3, 0.9), (1, 3, 0.9),
                               (4, 5, 0.9), (5, 6, 0.9), (4, 6, 0.9), (3, 4, 0.05)])
    assert topic_communities(g, random_state=0) == [[1, 2, 3], [4, 5, 6]]
    assert topic_communities(g, random_state=0) == topic_communities(g, random_state=0)


def test_community_alignment_averages_member_topics():
    a = pd.DataFrame({"topic": [1, 2, 3], "pole": ["p"] * 3, "cosine": [0.2, 0.4, 0.9]})
    out = community_alignment(a, [[1, 2], [3]])
    np.testing.assert_allclose(out[["community", "cosine", "n_topics"]].to_numpy(dtype=float),
                               [[1, 0.3, 2], [2, 0.9, 1]])
    with pytest.raises(ValueError, match=r"topics \[3\] are in no community"):
        community_alignment(a, [[1, 2]])
