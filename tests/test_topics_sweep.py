"""Tests for analysis.topics.sweep: the K sweep and the K rule."""
import numpy as np
import pandas as pd
import pytest

from analysis.topics.diagnostics import coherence_npmi, top_term_indices, window_doc_term
from analysis.topics.model import TopicModel, topics_factorize, topic_vectorizer
from analysis.topics.stability import topic_stability
from analysis.topics.sweep import (
    choose_k, diagnostics_summary, medoid_runs, run_stability, sweep_coherence, topic_sweep,
    window_sensitivity,
)

# Two planted themes, no word shared between them.
ENERGY = ["oil gas pipeline export", "gas pipeline oil price", "oil price export gas",
          "pipeline export price oil"]
ARMY = ["army troops missile base", "troops missile army drone", "missile drone base troops",
        "drone base army missile"]
TOY = ENERGY + ARMY


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
    X = topic_vectorizer("lda", min_df=1).fit_transform(TOY)
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
    X = topic_vectorizer("lda", min_df=1).fit_transform(TOY)
    est, _, _ = topics_factorize(X, "lda", 3, 8, None)
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


def test_run_stability_is_the_run_row_of_topic_stability(small_sweep):
    runs = [small_sweep.topic_term["lda", 3, s] for s in (7, 8)]
    expected = topic_stability(runs)[1]
    out = run_stability(small_sweep, "lda", 3, 8)
    assert out["topic"].tolist() == [1, 2, 3]
    np.testing.assert_allclose(out["stability"], expected)
    with pytest.raises(ValueError, match=r"no run \('lda', 3, 9\)"):
        run_stability(small_sweep, "lda", 3, 9)


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


# ------------------------------------------------------ coherence in windows
def test_sweep_coherence_recounts_npmi_in_windows_of_each_run(small_sweep):
    windowed = sweep_coherence(small_sweep, TOY, 2)
    vec = topic_vectorizer("lda", min_df=1).fit(TOY)
    contexts = window_doc_term([vec.build_analyzer()(t) for t in TOY], vec.get_feature_names_out(), 2)
    phi = small_sweep.topic_term["lda", 3, 8]
    row = windowed.query("model == 'lda' and k == 3 and seed == 8").iloc[0]
    assert row["npmi"] == pytest.approx(coherence_npmi(top_term_indices(phi, 3), contexts).mean())
    # only the coherence columns change
    same = ["model", "k", "seed", "exclusivity", "perplexity", "stability"]
    pd.testing.assert_frame_equal(windowed[same], small_sweep.diagnostics[same])
    assert not np.allclose(windowed["npmi"], small_sweep.diagnostics["npmi"])


def test_a_window_longer_than_every_unit_gives_the_unit_coherence(small_sweep):
    # every TOY unit has 4 content tokens: a 4-token window is the whole unit
    windowed = sweep_coherence(small_sweep, TOY, 4)
    np.testing.assert_allclose(windowed["npmi"], small_sweep.diagnostics["npmi"])
    np.testing.assert_allclose(windowed["umass"], small_sweep.diagnostics["umass"])


def test_window_sensitivity_applies_the_k_rule_to_each_counting(small_sweep):
    table = window_sensitivity(small_sweep, TOY, windows=(2, 3), threshold=0.5)
    assert list(table.columns) == ["contexts", "window", "model", "k", "npmi", "stability", "stable"]
    assert table["contexts"].unique().tolist() == ["same unit", "window of 2 tokens", "window of 3 tokens"]
    unit = table[table["window"] == 0].drop(columns=["contexts", "window"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(unit, choose_k(small_sweep.diagnostics, threshold=0.5)
                                  [["model", "k", "npmi", "stability", "stable"]])
    two = table[table["window"] == 2].drop(columns=["contexts", "window"]).reset_index(drop=True)
    expected = choose_k(sweep_coherence(small_sweep, TOY, 2), threshold=0.5)
    pd.testing.assert_frame_equal(two, expected[["model", "k", "npmi", "stability", "stable"]])
