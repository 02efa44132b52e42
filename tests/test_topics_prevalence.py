"""Tests for analysis.topics.prevalence: prevalence, concentration and covariate effects."""
import numpy as np
import pandas as pd
import pytest

from analysis.topics.prevalence import (
    date_to_years, topic_concentration, topic_effects, topic_prevalence,
)

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
