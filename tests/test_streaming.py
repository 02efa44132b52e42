"""Tests for analysis.streaming: the compiled scorer gives the estimator's scores exactly,
whatever the chunking, workers or cache; fixed-vocabulary counts; online topic models."""
from __future__ import annotations

import operator
import pickle
import random
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from analysis import streaming
from analysis.codebook import WORD_PATTERN, load_codebook
from analysis.dtm import dtm_vectorizer
from analysis.frames import FrameScorer
from analysis.streaming import (CompiledScorer, OnlineTopicModel, VocabularyCounter, stream_map, stream_scores,
                                text_chunks, tfidf_weight)
from analysis.text import TOKEN_PATTERN
from toys import COMBO, RULES, random_texts, toy_codebook


@pytest.fixture
def toy(tmp_path):
    return FrameScorer(toy_codebook(tmp_path), n_components=2, context="paragraph").fit(COMBO + RULES)


def assert_same_scores(scorer, texts):
    expected = scorer.transform_frame(texts)
    got = CompiledScorer(scorer).transform_frame(texts)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_rules_score_exactly_as_the_estimator(toy):
    assert_same_scores(toy, RULES + COMBO)


def test_random_rule_collisions_score_exactly_as_the_estimator(toy):
    assert_same_scores(toy, random_texts(400, seed=1))


# False friends that share a first word with another friend, overlap a multiword seed, hold
# a negation cue, or (case-sensitive) contain an apostrophe.
EXTRA_FRIENDS = [("Axis", False), ("convenience store", False), ("no deal zone", False), ("People's Deal", True)]
FRIEND_TEXTS = [
    "the axis of resistance, an ideology", "an axis of evil and resistance", "a marriage of convenience store",
    "a marriage of convenience", "the no deal zone ideology", "no deal zone, no ideology",
    "The People's Deal is a deal.", "The People\u2019s Deal is a deal.", "the people's deal",
]


@pytest.fixture
def friends(tmp_path):
    toy_codebook(tmp_path)
    path = tmp_path / "codebook.toml"
    extra = "".join(f'\n[[false_friends]]\nphrase = "{p}"\nreason = "name"\ncase_sensitive = {str(c).lower()}\n'
                    for p, c in EXTRA_FRIENDS)
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return FrameScorer(load_codebook(path), n_components=2, context="paragraph").fit(COMBO + RULES)


def test_friend_interactions_score_exactly_as_the_estimator(friends):
    assert_same_scores(friends, FRIEND_TEXTS + RULES + random_texts(200, seed=6))


def test_friend_interactions_by_hand(friends):
    poles = [p.name for p in friends.codebook_.poles]
    ev = CompiledScorer(friends).evidence(FRIEND_TEXTS)
    counted = [{p: int(v) for p, v in zip(poles, row) if v} for row in ev.poles]
    assert counted == [
        {"ideological": 1},                    # the longer friend masks 'resistance'; 'ideology' counts
        {"ideological": 1},                    # 'axis' alone is masked, 'resistance' counts
        {},                                    # the seed would end inside a false friend
        {"transactional": 1},
        {"ideological": 1},                    # a cue inside a false friend opens no scope
        {},                                    # ... but the second 'no' negates 'ideology'
        {"transactional": 1},                  # straight apostrophe: the proper name is masked
        {"transactional": 2},                  # typographic apostrophe: not the codebook's spelling
        {"transactional": 1},                  # lower case: not the proper name
    ]

def test_study_corpus_and_perturbed_text_score_exactly(study_corpus):
    from benchmarks import synthetic_paragraphs

    texts = study_corpus.paragraphs["text"].tolist()
    scorer = FrameScorer().fit(texts)
    assert_same_scores(scorer, texts + list(synthetic_paragraphs(texts, 150, seed=3)))


def test_study_scorer_with_exemplars_scores_exactly(study_corpus):
    from benchmarks import synthetic_paragraphs

    from analysis.exemplars import corpus_exemplars

    texts = study_corpus.paragraphs["text"].tolist()
    ex = corpus_exemplars()
    small = pd.concat([g.head(40) for _, g in ex.groupby("writer", sort=True)], ignore_index=True)
    scorer = FrameScorer(exemplars=small, index_measures=["dict", "sup"]).fit(texts)
    assert scorer.supervised_ is not None
    assert_same_scores(scorer, texts + list(synthetic_paragraphs(texts, 50, seed=5)))


def test_evidence_by_hand(toy):
    ev = CompiledScorer(toy).evidence(["Not a deal, a deal.", "A marriage of convenience; not credibility."])
    # 'Not a deal,': the scope opens after 'not' and closes at the comma, so only the second
    # 'deal' counts; words: not a deal a deal = 5
    assert ev.tokens.tolist() == [5.0, 6.0]
    poles = [p.name for p in toy.codebook_.poles]
    assert dict(zip(poles, ev.poles[0])) == {"transactional": 1, "ideological": 0, "deterrence": 0, "credibility": 0}
    # the multiword seed counts once; 'credibility' is negated
    assert dict(zip(poles, ev.poles[1])) == {"transactional": 1, "ideological": 0, "deterrence": 0, "credibility": 0}
    vocab = toy.prototypes_.vectorizer_.vocabulary_
    # bag of words: the negated 'deal' is dropped, stopwords too: one 'deal'
    assert ev.prototype_counts[0].toarray().ravel()[vocab["deal"]] == 1
    assert ev.prototype_counts[0].sum() == 1
    # the multiword match is one joined feature; 'credibility' (negated) is gone
    assert ev.prototype_counts[1].sum() == 1 and ev.prototype_counts[1, vocab["marriage-of-conveni"]] == 1


@pytest.mark.parametrize("chunk_size", [1, 3, 1000])
def test_chunking_changes_nothing(toy, chunk_size):
    texts = RULES + random_texts(40, seed=2)
    chunks = list(stream_scores(iter(texts), toy, chunk_size=chunk_size))
    assert [len(c) for c in chunks] == [len(c) for c in text_chunks(texts, chunk_size)]
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), toy.transform_frame(texts),
                                  check_exact=True)


def test_two_workers_change_nothing(toy):
    texts = RULES + random_texts(60, seed=4)
    got = pd.concat(stream_scores(texts, toy, chunk_size=25, n_jobs=2), ignore_index=True)
    pd.testing.assert_frame_equal(got, toy.transform_frame(texts), check_exact=True)


def test_forgetting_word_forms_changes_nothing(toy, monkeypatch):
    monkeypatch.setattr(streaming, "MAX_TYPES", 5)
    compiled = CompiledScorer(toy)
    texts = random_texts(60, seed=5)
    parts = [compiled.transform_frame(c) for c in text_chunks(texts, 7)]
    assert len(compiled.word) <= 5 + 7 * 15  # emptied before each chunk once past the limit
    pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), toy.transform_frame(texts),
                                  check_exact=True)


def test_pickled_scorer_drops_its_word_table(toy):
    compiled = CompiledScorer(toy)
    compiled.transform_frame(RULES)
    loaded = pickle.loads(pickle.dumps(compiled))
    assert len(compiled.word) > 0 and len(loaded.word) == 0
    pd.testing.assert_frame_equal(loaded.transform_frame(RULES), toy.transform_frame(RULES), check_exact=True)


def test_stands_in_for_the_scorer_in_score_corpus(toy):
    from analysis.frame_tables import score_corpus

    units = pd.DataFrame({"doc_id": ["a", "a", "b"], "unit_id": ["a.p1", "a.p2", "b.p1"],
                          "text": ["A deal.", "Not a deal.", "Credibility."]})
    fast = score_corpus(units, scorer=CompiledScorer(toy), n_boot=20)
    slow = score_corpus(units, scorer=toy, n_boot=20)
    for got, expected in zip(fast, slow):
        pd.testing.assert_frame_equal(got, expected, check_exact=True)


@pytest.mark.parametrize("pattern, fast", [(WORD_PATTERN.pattern, streaming._WORDS),
                                           (TOKEN_PATTERN, streaming._TOKENS)])
def test_factored_word_patterns_find_the_same_words(pattern, fast):
    assert fast.__self__.pattern != pattern  # the factored form is in use
    rng = random.Random(0)
    alphabet = "aZq.'- ,\u2019x"
    strings = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(20000)]
    assert [fast(s) for s in strings] == [re.findall(pattern, s) for s in strings]


def test_unknown_pattern_is_used_as_given():
    assert streaming._factored(r"[a-z]+")("ab cd") == ["ab", "cd"]


# -- chunks and workers ------------------------------------------------------------------

def test_stream_map_keeps_order_and_reads_ahead_a_bounded_number():
    consumed = []

    def items():
        for i in range(6):
            consumed.append(i)
            yield i

    results = stream_map(operator.add, items(), 10, n_jobs=2, max_pending=2)
    assert next(results) == 10
    assert len(consumed) == 2  # two items in flight when the first result is handed back
    assert list(results) == [11, 12, 13, 14, 15]


def test_stream_map_in_process_is_lazy():
    consumed = []

    def items():
        for i in range(3):
            consumed.append(i)
            yield i

    results = stream_map(operator.mul, items(), 2)
    assert next(results) == 0 and consumed == [0]


@pytest.mark.parametrize("call, message", [
    (lambda: list(stream_map(operator.add, [1], 0, n_jobs=0)), "n_jobs must be a positive integer"),
    (lambda: list(text_chunks([1], 0)), "chunk_size must be a positive integer"),
])
def test_bad_worker_settings(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("texts, message", [
    ("a deal", "not a single string"),
    (pd.DataFrame({"text": ["a"]}), "not a DataFrame"),
    (["a deal", 3], r"texts\[1\] is int"),
])
def test_bad_texts(toy, texts, message):
    with pytest.raises(ValueError, match=message):
        CompiledScorer(toy).transform_frame(texts)


def test_unfitted_scorer(tmp_path):
    with pytest.raises(NotFittedError):
        CompiledScorer(FrameScorer(toy_codebook(tmp_path)))


# -- counts over a fixed vocabulary ------------------------------------------------------

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


# -- online topic models -----------------------------------------------------------------

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


def test_threads_sharing_one_compiled_scorer(toy):
    from concurrent.futures import ThreadPoolExecutor

    compiled = CompiledScorer(toy)
    batches = [random_texts(40, seed=s) for s in range(8)]
    with ThreadPoolExecutor(4) as pool:
        frames = list(pool.map(compiled.transform_frame, batches))
    for got, texts in zip(frames, batches):
        pd.testing.assert_frame_equal(got, toy.transform_frame(texts), check_exact=True)


def test_target_windows_score_exactly_as_the_estimator(tmp_path, study_corpus):
    from analysis.codebook import with_target_window

    cb = with_target_window(load_codebook(), "alliance", 10)
    texts = study_corpus.paragraphs["text"].tolist()
    scorer = FrameScorer(cb).fit(texts)
    assert CompiledScorer(scorer).targeted
    assert_same_scores(scorer, texts + RULES)
    # the window changes the study's scores (it is not silently ignored)
    plain = FrameScorer().fit(texts).transform_frame(texts)
    assert not plain["dict_alliance"].equals(scorer.transform_frame(texts)["dict_alliance"])
