"""Tests for analysis.topics.labels: term tables, labels and representative units."""
import numpy as np
import pandas as pd
import pytest

from analysis.topics.labels import (
    sweep_terms_table, topic_labels, topic_representatives, topic_terms_table,
)
from analysis.topics.sweep import medoid_runs, topic_sweep

# Two planted themes, no word shared between them.
ENERGY = ["oil gas pipeline export", "gas pipeline oil price", "oil price export gas",
          "pipeline export price oil"]
ARMY = ["army troops missile base", "troops missile army drone", "missile drone base troops",
        "drone base army missile"]
TOY = ENERGY + ARMY

# Two topics over terms (a, b, c).
PHI = np.array([[0.5, 0.3, 0.2], [0.15, 0.05, 0.8]])


@pytest.fixture(scope="module")
def small_sweep():
    return topic_sweep(TOY, ks=[2, 3], n_seeds=2, n_terms=3, min_df=1, random_state=7)


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
