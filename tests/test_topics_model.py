"""Tests for analysis.topics.model: the topic-model estimator and unit sizes."""
import math
import numpy as np
import pytest
from sklearn.base import clone

from analysis.topics.model import TopicModel, unit_token_summary

# Two planted themes, no word shared between them.
ENERGY = ["oil gas pipeline export", "gas pipeline oil price", "oil price export gas",
          "pipeline export price oil"]
ARMY = ["army troops missile base", "troops missile army drone", "missile drone base troops",
        "drone base army missile"]
TOY = ENERGY + ARMY


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


def test_unit_token_summary_counts_content_tokens():
    # "the oil and gas" -> oil gas (2); "army troops missile base drone" -> 5; "of the" -> 0
    # median 2; 10th percentile 0 + .2*(2-0) = .4; short (< 3): 2 of 3
    out = unit_token_summary({"u": ["the oil and gas", "army troops missile base drone", "of the"]},
                             short=3)
    assert out.values.tolist() == [["u", 3, 2.0, pytest.approx(0.4), pytest.approx(2 / 3)]]
