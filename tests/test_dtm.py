"""Tests for analysis.dtm: counts over a fitted vocabulary, word pairs found as integer codes."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from analysis.dtm import dtm_counts, dtm_ngram_counts

DOCS = [["oil", "gas", "oil", "gas"], ["gas", "army", "oil"], [], ["army"], ["oil", "oil", "oil"]]


def test_pairs_by_hand():
    vocab = {"oil": 0, "gas": 1, "oil gas": 2, "gas oil": 3, "oil oil": 4}
    counts = dtm_ngram_counts(DOCS, vocab).toarray()
    assert counts.tolist() == [[2, 2, 2, 1, 0],   # oil gas | gas oil | oil gas
                               [1, 1, 0, 0, 0],   # 'army' breaks both pairs
                               [0, 0, 0, 0, 0],
                               [0, 0, 0, 0, 0],
                               [3, 0, 0, 0, 2]]   # overlapping pairs both count


def test_pairs_never_cross_documents():
    # 'gas' ends the first document and 'gas' starts the second: no 'gas gas' pair
    counts = dtm_ngram_counts([["oil", "gas"], ["gas", "oil"]], {"gas gas": 0, "oil gas": 1, "gas oil": 2})
    assert counts.toarray().tolist() == [[0, 1, 0], [0, 0, 1]]


@pytest.mark.parametrize("ngram_max", [1, 2])
def test_equals_scikit_learn_word_ngrams(ngram_max):
    rng = np.random.default_rng(0)
    words = ["neg:deal", "deal", "creed", "rej:creed", "oil", "pact", "a", "the"]
    docs = [list(rng.choice(words, size=rng.integers(0, 12))) for _ in range(200)]
    vec = CountVectorizer(analyzer=lambda d: d + [" ".join(p) for p in zip(d, d[1:])] if ngram_max == 2 else d,
                          min_df=3).fit(docs)
    expected = vec.transform(docs)
    got = dtm_ngram_counts(docs, vec.vocabulary_, ngram_max)
    assert (got != expected).nnz == 0
    assert (dtm_counts([vec.analyzer(d) for d in docs], vec.vocabulary_) != expected).nnz == 0


def test_a_pair_whose_words_are_not_features_still_counts():
    counts = dtm_ngram_counts([["so", "called"]], {"so called": 0})
    assert counts.toarray().tolist() == [[1]]


def test_longer_ngrams_are_refused():
    with pytest.raises(ValueError, match="ngram_max must be 1 or 2"):
        dtm_ngram_counts(DOCS, {"oil": 0}, ngram_max=3)


def test_vocabulary_counts_number_features_by_first_appearance_and_match_scikit_learn():
    from analysis.dtm import dtm_vocabulary_counts

    docs = [["war", "oil", "war"], [], ["army", "oil", "oil", "zeal"], ["war"]]
    vocab, counts = dtm_vocabulary_counts(docs)
    assert vocab == {"war": 0, "oil": 1, "army": 2, "zeal": 3}
    assert counts.toarray().tolist() == [[2, 1, 0, 0], [0, 0, 0, 0], [0, 2, 1, 1], [1, 0, 0, 0]]
    assert counts.has_sorted_indices
    # columns put in alphabetical order: scikit-learn's matrix
    vec = CountVectorizer(analyzer=lambda d: d)
    reference = vec.fit_transform(docs)
    order = [vocab[w] for w in sorted(vocab)]
    assert (counts[:, order] != reference).nnz == 0


@pytest.mark.parametrize("ngram_max", [1, 2])
def test_joined_documents_count_as_separate_lists(ngram_max):
    from analysis.dtm import dtm_ngram_counts_joined

    rng = np.random.default_rng(1)
    words = ["deal", "creed", "rej:creed", "oil", "pact", "a"]
    vocab = {w: i for i, w in enumerate(words[:4] + ["deal creed", "creed deal", "a a", "oil oil"])}
    for n in range(1, 30):
        docs = [list(rng.choice(words, size=rng.integers(0, 6))) for _ in range(n)]
        joined = [t for i, d in enumerate(docs) for t in (["|"] if i else []) + d]
        got = dtm_ngram_counts_joined(joined, "|", n, vocab, ngram_max)
        assert (got != dtm_ngram_counts(docs, vocab, ngram_max)).nnz == 0 and got.shape == (n, len(vocab))
    assert dtm_ngram_counts_joined([], "|", 0, vocab).shape == (0, len(vocab))


@pytest.mark.parametrize("vocab", [{}, {"oil": 0}, {"oil gas": 0}])
def test_joined_documents_with_the_smallest_vocabularies(vocab):
    from analysis.dtm import dtm_ngram_counts_joined

    docs = [["oil"], ["gas", "oil", "gas"], []]
    joined = ["oil", "|", "gas", "oil", "gas", "|"]
    got = dtm_ngram_counts_joined(joined, "|", 3, vocab)
    assert (got != dtm_ngram_counts(docs, vocab)).nnz == 0 and got.shape == (3, len(vocab))


def test_joined_documents_need_a_separator_per_joint_that_is_no_word():
    from analysis.dtm import dtm_ngram_counts_joined

    with pytest.raises(ValueError, match="1 separators for 3 documents"):
        dtm_ngram_counts_joined(["oil", "|", "gas"], "|", 3, {"oil": 0})
    with pytest.raises(ValueError, match="1 tokens for 0 documents"):
        dtm_ngram_counts_joined(["oil"], "|", 0, {"oil": 0})
    with pytest.raises(ValueError, match="is a word of the vocabulary"):
        dtm_ngram_counts_joined(["oil", "|", "gas"], "oil", 2, {"oil": 0})
