"""Tests for analysis.dtm: counts over a fitted vocabulary, word pairs found as integer codes."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
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


def _exemplar_features():
    from analysis.codebook import load_codebook
    from analysis.exemplars import corpus_exemplars
    from analysis.lexicon import Lexicon

    lexicon = Lexicon(load_codebook())
    texts = corpus_exemplars()["text"].tolist()[::3]
    return lexicon, texts, [lexicon.features(t, targeted=False) for t in texts]


@pytest.mark.parametrize("min_df", [1, 3, 0.01])
def test_coded_documents_fit_scikit_learns_vocabulary_and_weights(min_df):
    """Counted from codes, the TF-IDF space is scikit-learn's: vocabulary (keys in the same
    order), idf, and every row's entries stored in the same order, so every weight is equal."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from analysis.dtm import CodedTfidfVectorizer, TermCodes, dtm_codes_counts

    lexicon, texts, features = _exemplar_features()
    table = TermCodes()
    table.codes(["zzz", "aaa"])  # codes that no document uses, out of sorted order
    coded = [table.codes(f) for f in features]
    plain = TfidfVectorizer(analyzer=lambda d: d, min_df=min_df, sublinear_tf=True)
    want = plain.fit_transform(features)
    fast = CodedTfidfVectorizer(analyzer=lambda d: d, min_df=min_df, sublinear_tf=True)
    got = fast.fit_codes(coded, table)
    assert list(fast.vocabulary_.items()) == list(plain.vocabulary_.items())
    assert np.array_equal(fast.idf_, plain.idf_)
    for part in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(got, part), getattr(want, part)), part
    # a fixed vocabulary's counts are the fitted vectorizer's transform, entries sorted
    counts = dtm_codes_counts(coded, table, plain.vocabulary_)
    reference = CountVectorizer(analyzer=lambda d: d, vocabulary=plain.vocabulary_, dtype=np.float64).transform(features)
    for part in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(counts, part), getattr(reference, part)), part


def test_coded_counting_refuses_what_it_cannot_learn():
    from sklearn.utils._param_validation import InvalidParameterError

    from analysis.dtm import CodedTfidfVectorizer, TermCodes, dtm_codes_counts, dtm_fit_codes

    table = TermCodes()
    with pytest.raises(ValueError, match="empty vocabulary"):
        dtm_fit_codes([table.codes([]), table.codes([])], table)
    with pytest.raises(ValueError, match="no terms remain"):
        dtm_fit_codes([table.codes(["oil"]), table.codes(["gas"])], table, min_df=2)
    docs = [table.codes(["oil"]), table.codes(["oil", "gas"])]
    # settings that prune otherwise, or need the raw text, are refused; an integer max_df=1 prunes
    for settings in (dict(vocabulary={"oil": 0}), dict(max_df=1), dict(max_df=0.5), dict(binary=True),
                     dict(max_features=1)):
        with pytest.raises(ValueError, match="min_df only"):
            CodedTfidfVectorizer(analyzer=lambda d: d, **settings).fit_codes(docs, table)
    with pytest.raises(InvalidParameterError):  # scikit-learn's own check of its parameters
        CodedTfidfVectorizer(analyzer=lambda d: d, min_df=2.0).fit_codes(docs, table)
    # codes from another table are named as such, not read as other words
    other = TermCodes()
    other.codes(["a", "b", "c", "d"])
    for bad in ([other.codes(["d"])], [np.array([-1])]):
        with pytest.raises(ValueError, match="codes outside the table"):
            dtm_fit_codes(bad, table)
        with pytest.raises(ValueError, match="codes outside the table"):
            dtm_codes_counts(bad, table, {"oil": 0})


def test_term_codes_rank_terms_as_python_sorts_them():
    from analysis.dtm import TermCodes

    table = TermCodes()
    words = ["war", "Zeal", "oil", "óil", "army", "oil gas", "a", "ß"]
    assert table.codes(words).tolist() == list(range(len(words)))
    ranks = table.ranks()
    assert [words[i] for i in np.argsort(ranks)] == sorted(words)
    table.codes(["aardvark"])  # a new term re-ranks every term
    assert table.ranks()[len(words)] == sorted(words + ["aardvark"]).index("aardvark")


@pytest.mark.parametrize("measure", ["prototypes", "lss"])
def test_measures_fitted_from_codes_are_the_scikit_learn_fits(measure):
    """The prototype and LSS measures count their training text from codes; the fitted
    spaces are the ones scikit-learn's vectorizers learn from the same features."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    from analysis.exemplars import corpus_exemplars
    from analysis.measures import prototypes
    from analysis.measures.lss import LatentScaler
    from analysis.measures.prototypes import PrototypeScorer

    prototypes.cache_clear()
    lexicon, texts, features = _exemplar_features()
    units = texts[:40]
    if measure == "prototypes":
        ex = corpus_exemplars().iloc[::3].reset_index(drop=True)
        fitted = PrototypeScorer(lexicon.codebook).fit(units, exemplars=ex)
        plain = TfidfVectorizer(analyzer=lambda d: d).fit(
            [lexicon.features(t, targeted=False) for t in units] + features)
        assert np.array_equal(fitted.vectorizer_.idf_, plain.idf_)
        rows = plain.transform(features)
        means = [sparse.csr_matrix(rows[(ex[pole.contrast] == pole.name).to_numpy()].mean(axis=0))
                 for pole in lexicon.codebook.poles]
        want = normalize(sparse.vstack(means).tocsr())
        assert fitted.prototypes_.nnz > 1000
        for part in ("data", "indices", "indptr"):
            assert np.array_equal(getattr(fitted.prototypes_, part), getattr(want, part)), part
    else:
        from analysis.measures.lss import term_vectors, unit_rows

        fitted = LatentScaler(lexicon.codebook, n_components=5, context="paragraph").fit(texts)
        plain = TfidfVectorizer(analyzer=lambda d: d).fit(features)
        assert fitted.vocabulary_.tolist() == plain.get_feature_names_out().tolist()
        assert np.array_equal(fitted.vectorizer_.idf_, plain.idf_)
        counts = CountVectorizer(analyzer=lambda d: d, vocabulary=plain.vocabulary_).fit_transform(features)
        assert np.array_equal(fitted.frequency_, np.asarray(counts.sum(axis=0)).ravel())
        want = unit_rows(term_vectors(plain.transform(features), 5, fitted.algorithm, fitted.random_state))
        assert np.array_equal(fitted.embedding_, want)  # the SVD of the same matrix, to the last bit
