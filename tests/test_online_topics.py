"""Tests for analysis.online_topics: fixed-vocabulary counts equal the vectorizer's; online topic models."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from analysis.dtm import dtm_vectorizer, tfidf_weight
from analysis.online_topics import OnlineTopicModel, VocabularyCounter
from analysis.streaming import text_chunks


@pytest.mark.parametrize("sublinear_tf, norm", [(False, "l2"), (True, "l2"), (False, None)])
def test_tfidf_weight_equals_the_vectorizer(sublinear_tf, norm):
    docs = ["oil gas oil oil", "gas army", "army army base", "oil"]
    vec = TfidfVectorizer(sublinear_tf=sublinear_tf, norm=norm).fit(docs)
    counts = CountVectorizer(vocabulary=vec.vocabulary_, dtype=np.float64).transform(docs)
    assert (tfidf_weight(counts, vec) != vec.transform(docs)).nnz == 0


@pytest.mark.parametrize("kind, stem", [("count", False), ("count", True), ("tfidf", False)])
def test_vocabulary_counter_equals_the_vectorizer(study_corpus, kind, stem):
    from benchmarks import synthetic_paragraphs

    texts = study_corpus.paragraphs["text"].tolist()
    vec = dtm_vectorizer(kind, stem=stem, min_df=2).fit(texts)
    new = list(synthetic_paragraphs(texts, 100, seed=7)) + ["Iran\u2019s U.S.-backed rock'n'roll", ""]
    got, expected = VocabularyCounter(vec).transform(new), vec.transform(new)
    assert got.shape == expected.shape and (got != expected).nnz == 0


def test_vocabulary_counter_needs_single_word_features():
    vec = dtm_vectorizer("count", ngram_range=(1, 2)).fit(["oil and gas"])
    with pytest.raises(ValueError, match="ngram_range=\\(1, 1\\)"):
        VocabularyCounter(vec)


TOPIC_DOCS = ["oil gas pipeline oil", "gas oil refinery", "pipeline gas oil", "army troops base army",
              "troops army border", "base troops army"] * 10


@pytest.mark.parametrize("method", ["lda", "nmf"])
def test_online_topics_separate_two_vocabularies(method):
    m = OnlineTopicModel(method, 2, total_samples=len(TOPIC_DOCS), chunk_size=12, random_state=0).fit(TOPIC_DOCS)
    assert m.n_seen_ == len(TOPIC_DOCS)
    assert np.allclose(m.components_.sum(axis=1), 1) and np.allclose(m.transform(TOPIC_DOCS).sum(axis=1), 1)
    energy, military = {"oil", "gas", "pipeline", "refinery"}, {"army", "troops", "base", "border"}
    tops = [set(m.terms_[np.argsort(-row)[:3]]) for row in m.components_]
    assert sorted((t <= energy, t <= military) for t in tops) == [(False, True), (True, False)]


@pytest.mark.parametrize("method", ["lda", "nmf"])
def test_fit_is_partial_fit_chunk_by_chunk_and_reproducible(method):
    a = OnlineTopicModel(method, 2, total_samples=60, chunk_size=12, random_state=3).fit(iter(TOPIC_DOCS))
    b = OnlineTopicModel(method, 2, total_samples=60, chunk_size=12, random_state=3)
    for chunk in text_chunks(TOPIC_DOCS, 12):
        b.partial_fit(chunk)
    again = OnlineTopicModel(method, 2, total_samples=60, chunk_size=12, random_state=3).fit(TOPIC_DOCS)
    assert np.array_equal(a.components_, b.components_) and np.array_equal(a.components_, again.components_)


def test_lda_is_told_the_corpus_size():
    m = OnlineTopicModel("lda", 2, total_samples=123_456, chunk_size=30).fit(TOPIC_DOCS)
    assert m.model_.learning_method == "online" and m.model_.total_samples == 123_456


def test_fixed_vocabulary_is_kept():
    vec = dtm_vectorizer("count").fit(["oil gas", "army troops"])
    m = OnlineTopicModel("lda", 2, vectorizer=vec, total_samples=60).fit(TOPIC_DOCS)
    assert m.terms_.tolist() == ["army", "gas", "oil", "troops"]


@pytest.mark.parametrize("params, docs, message", [
    (dict(method="pca"), TOPIC_DOCS, "method must be 'lda' or 'nmf'"),
    (dict(n_components=0), TOPIC_DOCS, "n_components must be a positive integer"),
    (dict(total_samples=0), TOPIC_DOCS, "total_samples must be a positive integer"),
    (dict(), [], "X is empty"),
])
def test_online_topic_errors(params, docs, message):
    with pytest.raises(ValueError, match=message):
        OnlineTopicModel(**params).fit(docs)
