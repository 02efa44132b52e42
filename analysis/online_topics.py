"""Topic models for corpora larger than memory, over a fixed fitted vocabulary.

Topic models for corpora that do not fit (:class:`OnlineTopicModel`): online
variational Bayes LDA (Hoffman, Blei & Bach 2010; scikit-learn's
``LatentDirichletAllocation(learning_method="online")`` with ``total_samples`` set to
the corpus size) and mini-batch NMF (Mairal et al. 2010; scikit-learn's
``MiniBatchNMF``), both updated one chunk at a time on counts over a fixed vocabulary
(:class:`VocabularyCounter`).
"""
from __future__ import annotations

import itertools
import threading
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import LatentDirichletAllocation, MiniBatchNMF
from sklearn.utils.validation import check_is_fitted

from . import config, word_codes
from .dtm import tfidf_weight
from .lexicon import texts_check
from .streaming import CHUNK_SIZE, text_chunks
from .text import TOKEN_PATTERN, normalize_apostrophes
from .word_codes import FormCodes, pattern_findall


_TOKENS = pattern_findall(TOKEN_PATTERN)


class VocabularyCounter:
    """Counts (or TF-IDF weights) of texts over a fitted vectorizer's vocabulary, fast.

    For a vectorizer from :func:`analysis.dtm.dtm_vectorizer` with single-word features
    (``ngram_range=(1, 1)``), ``transform`` equals ``vectorizer.transform``: each distinct
    token is passed through the vectorizer's own analyzer once and remembered.

    Parameters
    ----------
    vectorizer : fitted CountVectorizer or TfidfVectorizer with an :class:`analysis.text.Analyzer`

    Examples
    --------
    >>> from analysis.dtm import dtm_vectorizer
    >>> vec = dtm_vectorizer("count").fit(["oil and gas", "gas pipeline"])
    >>> VocabularyCounter(vec).transform(["gas, gas and oil"]).toarray().tolist()
    [[2.0, 1.0, 0.0]]
    """

    def __init__(self, vectorizer):
        check_is_fitted(vectorizer, "vocabulary_")
        analyzer = vectorizer.analyzer
        if not callable(analyzer) or tuple(getattr(analyzer, "ngram_range", (0, 0))) != (1, 1):
            raise ValueError("the vectorizer must use analysis.text.Analyzer with ngram_range=(1, 1) — "
                             "build it with analysis.dtm.dtm_vectorizer")
        self.vectorizer = vectorizer
        self.tfidf = hasattr(vectorizer, "idf_")
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.codes = FormCodes(self._add)
        self._column: list[int] = []
        self.multi: dict[int, list[int]] = {}

    def __getstate__(self):
        return {"vectorizer": self.vectorizer, "tfidf": self.tfidf}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self._reset()

    def _add(self, form: str) -> int:
        vocabulary = self.vectorizer.vocabulary_
        found = [vocabulary[f] for f in self.vectorizer.analyzer(form) if f in vocabulary]
        code = len(self._column)
        self._column.append(found[0] if len(found) == 1 else -1 if not found else -2)
        if len(found) > 1:
            self.multi[code] = found
        return code

    def counts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Term counts (float64) of ``texts``, as the vectorizer's ``CountVectorizer`` part gives them."""
        texts = texts_check(texts, "texts")
        forms = [_TOKENS(normalize_apostrophes(t)) for t in texts]
        lengths = np.fromiter(map(len, forms), dtype=np.int64, count=len(forms))
        with self._lock:
            if len(self._column) > word_codes.MAX_TYPES:
                self._reset()
            codes = np.fromiter(map(self.codes.__getitem__, itertools.chain.from_iterable(forms)),
                                dtype=np.int64, count=int(lengths.sum()))
            column, multi = np.array(self._column, dtype=np.int64), dict(self.multi)
        cols = column[codes]
        row_of = np.repeat(np.arange(len(texts)), lengths)
        use = cols >= 0
        rows, used = [row_of[use]], [cols[use]]
        for i in np.flatnonzero(cols == -2).tolist():
            found = multi[int(codes[i])]
            rows.append(np.full(len(found), row_of[i]))
            used.append(np.array(found, dtype=np.int64))
        r, c = np.concatenate(rows), np.concatenate(used)
        matrix = sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(texts), len(self.vectorizer.vocabulary_)))
        matrix.sum_duplicates()
        return matrix

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """What ``vectorizer.transform(texts)`` gives: counts, or TF-IDF weights for a TF-IDF vectorizer."""
        counts = self.counts(texts)
        return tfidf_weight(counts, self.vectorizer) if self.tfidf else counts


def _shares(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to sum to 1; an all-zero row becomes uniform."""
    sums = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, sums, out=np.full_like(matrix, 1.0 / matrix.shape[1]), where=sums > 0)


class OnlineTopicModel(TransformerMixin, BaseEstimator):
    """LDA or NMF topics learned one chunk at a time, over a fixed fitted vocabulary.

    For corpora that do not fit in memory: ``partial_fit`` on successive chunks, or
    ``fit`` on an iterable that is read ``chunk_size`` texts at a time (one pass).

    Parameters
    ----------
    method : {"lda", "nmf"}
        LDA: scikit-learn ``LatentDirichletAllocation`` with online variational Bayes
        (Hoffman, Blei & Bach 2010) on counts; ``total_samples`` tells it the size of the
        whole corpus, which scales each chunk's contribution to the topic-word statistics.
        NMF: scikit-learn ``MiniBatchNMF`` (Frobenius loss) on TF-IDF weights.
    n_components : int
        Number of topics K.
    vectorizer : fitted vectorizer, optional
        Its vocabulary (and, for NMF, its idf) stays fixed, e.g. the ``vectorizer_`` of an
        :class:`analysis.topics.TopicModel` fitted on a sample. Default: a
        :func:`analysis.topics.topic_vectorizer` fitted on the first chunk.
    total_samples : int
        Number of texts in the whole corpus (LDA).
    chunk_size : int
        Texts per update in :meth:`fit`.
    random_state : int

    Attributes
    ----------
    vectorizer_, model_, terms_, components_ (topic-term rows summing to 1), n_seen_

    Examples
    --------
    >>> docs = ["oil gas oil", "gas oil pipeline", "army troops army", "troops army base"] * 5
    >>> m = OnlineTopicModel("lda", 2, total_samples=len(docs), chunk_size=8, random_state=0).fit(docs)
    >>> m.n_seen_, m.transform(["oil gas"]).shape
    (20, (1, 2))
    """

    def __init__(self, method: str = "lda", n_components: int = 5, *, vectorizer=None,
                 total_samples: int = 1_000_000, chunk_size: int = CHUNK_SIZE, random_state: int = config.SEED):
        self.method = method
        self.n_components = n_components
        self.vectorizer = vectorizer
        self.total_samples = total_samples
        self.chunk_size = chunk_size
        self.random_state = random_state

    def _start(self, texts: list[str]) -> None:
        from .topics import topic_vectorizer

        if self.method not in ("lda", "nmf"):
            raise ValueError(f"method must be 'lda' or 'nmf', not {self.method!r}")
        if int(self.n_components) != self.n_components or self.n_components < 1:
            raise ValueError(f"n_components must be a positive integer, not {self.n_components!r}")
        if int(self.total_samples) != self.total_samples or self.total_samples < 1:
            raise ValueError(f"total_samples must be a positive integer (the corpus size), not {self.total_samples!r}")
        vec = self.vectorizer if self.vectorizer is not None else topic_vectorizer(self.method).fit(texts)
        self.vectorizer_ = vec
        self.counter_ = VocabularyCounter(vec)
        if self.method == "lda":
            self.model_ = LatentDirichletAllocation(
                n_components=int(self.n_components), learning_method="online",
                total_samples=int(self.total_samples), random_state=self.random_state, n_jobs=1)
        else:
            self.model_ = MiniBatchNMF(n_components=int(self.n_components), init="random",
                                       random_state=self.random_state)
        self.terms_ = vec.get_feature_names_out()
        self.n_seen_ = 0

    def partial_fit(self, X, y=None):
        """Update the topics with one chunk of texts."""
        texts = texts_check(X, "texts")
        if not texts:
            raise ValueError("X is empty — pass at least one text per chunk")
        if not hasattr(self, "model_"):
            self._start(texts)
        self.model_.partial_fit(self.counter_.transform(texts))
        self.n_seen_ += len(texts)
        self.components_ = _shares(np.asarray(self.model_.components_, dtype=float))
        return self

    def fit(self, X, y=None):
        """One pass over ``X`` (any iterable of texts), ``chunk_size`` texts per update."""
        for name in ("model_", "vectorizer_", "counter_", "terms_", "n_seen_", "components_"):
            self.__dict__.pop(name, None)
        for chunk in text_chunks(X, self.chunk_size):
            self.partial_fit(chunk)
        if not hasattr(self, "model_"):
            raise ValueError("X is empty — pass at least one text")
        return self

    def transform(self, X) -> np.ndarray:
        """Topic shares of texts (rows sum to 1), as :class:`analysis.topics.TopicModel` gives them."""
        check_is_fitted(self, "model_")
        W = self.model_.transform(self.counter_.transform(texts_check(X, "texts")))
        if self.method == "nmf":
            W = W * self.model_.components_.sum(axis=1)
        return _shares(W)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "model_")
        return np.array([f"topic{k + 1}" for k in range(int(self.n_components))], dtype=object)
