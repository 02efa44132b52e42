"""Topic models from raw text: LDA on counts and NMF on TF-IDF, as one estimator.

Two models are fitted side by side on the same units: latent Dirichlet allocation
(LDA; Blei, Ng & Jordan 2003) on term counts and non-negative matrix factorisation
(NMF; Lee & Seung 1999) on TF-IDF weights. Both are wrapped in :class:`TopicModel`,
a scikit-learn estimator that owns its vectorizer, so a model fitted once can be
applied to new text. :func:`unit_token_summary` says how much text each kind of unit
(article, paragraph, sentence) gives such a model.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.utils.validation import check_is_fitted

from ..config import SEED
from ..dtm import dtm_vectorizer
from ..text import Analyzer

#: Model names, in the order tables list them.
METHODS = ("lda", "nmf")
#: Iterations: LDA runs this many batch EM passes (a sweep fits it dozens of times,
#: so the cap is what keeps it fast; the study notebook checks the chosen model against
#: a ten-times-longer fit); NMF stops earlier once its relative change is below 1e-4.
LDA_MAX_ITER = 20
NMF_MAX_ITER = 3000


def method_check(method: str) -> str:
    """``method`` if it is one of :data:`METHODS`, else a ValueError saying which to use."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}: "
                         "use 'lda' (counts) or 'nmf' (TF-IDF)")
    return method


def documents_check(raw_documents) -> list[str]:
    """``raw_documents`` as a list of texts; a single string, an empty sequence or a non-text is refused."""
    if isinstance(raw_documents, str):
        raise ValueError("raw_documents must be a sequence of texts, not one string: "
                         "wrap it in a list")
    docs = list(raw_documents)
    if not docs:
        raise ValueError("raw_documents is empty: pass at least one text per unit")
    if not all(isinstance(d, str) for d in docs):
        raise ValueError("raw_documents must contain only str: convert or drop missing texts")
    return docs


def topic_vectorizer(method: str, *, min_df: int | float = 2, stem: bool = False,
                     vocabulary: Sequence[str] | None = None):
    """The unfitted vectorizer a topic model of ``method`` uses.

    Counts for LDA (its likelihood is defined on counts), TF-IDF for NMF (so that
    frequent but uninformative terms weigh less in the least-squares fit).

    Examples
    --------
    >>> type(topic_vectorizer("nmf")).__name__
    'TfidfVectorizer'
    """
    kind = {"lda": "count", "nmf": "tfidf"}[method_check(method)]
    return dtm_vectorizer(kind, min_df=min_df, stem=stem, vocabulary=vocabulary)


def _normalize_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to sum to 1; an all-zero row becomes uniform (it carries no signal)."""
    matrix = np.asarray(matrix, dtype=float)
    sums = matrix.sum(axis=1, keepdims=True)
    uniform = np.full_like(matrix, 1.0 / matrix.shape[1])
    return np.divide(matrix, sums, out=uniform, where=sums > 0)


def topics_factorize(X, method: str, n_components: int, random_state: int, max_iter: int | None):
    """Fit one factorisation of ``X``; return (estimator, topic-term, doc-topic).

    Topic-term rows sum to 1. For NMF, ``X ≈ W H``; a unit's share of topic k is the
    part of its reconstructed mass that topic k carries, ``W[d,k] |H[k]|_1``, normalised.
    """
    if method == "lda":
        est = LatentDirichletAllocation(
            n_components=n_components, learning_method="batch",
            max_iter=max_iter or LDA_MAX_ITER, random_state=random_state, n_jobs=1)
        doc_topic = est.fit_transform(X)
        topic_term = _normalize_rows(est.components_)
    else:
        est = NMF(n_components=n_components, init="random", max_iter=max_iter or NMF_MAX_ITER,
                  random_state=random_state)
        W = est.fit_transform(X)
        mass = est.components_.sum(axis=1)
        doc_topic = _normalize_rows(W * mass)
        topic_term = _normalize_rows(est.components_)
    return est, topic_term, _normalize_rows(doc_topic)


def model_perplexity(est) -> float:
    """In-sample perplexity of a fitted LDA on the counts it was fitted on.

    scikit-learn computes it at the end of ``fit`` (``bound_``) from the same e-step that
    ``est.perplexity(X)`` would repeat; reading it saves one e-step and one bound per fit.
    The two agree to within floating-point rounding (about 1e-13, relative).
    """
    return float(est.bound_)


class TopicModel(TransformerMixin, BaseEstimator):
    """LDA on counts or NMF on TF-IDF, from raw text to topic shares.

    Parameters
    ----------
    method : {"lda", "nmf"}, default "lda"
        LDA: scikit-learn ``LatentDirichletAllocation`` (batch variational Bayes,
        priors 1/K, ``n_jobs=1`` because its output changes with ``n_jobs``). NMF:
        scikit-learn ``NMF`` (Frobenius loss, coordinate descent) from a seeded random
        start, so that different seeds probe different starting points.
    n_components : int, default 5
        Number of topics K.
    min_df : int or float, default 2
        Terms in fewer units are dropped: a term seen once cannot co-occur.
    stem : bool, default False
        Snowball-stem tokens.
    vocabulary : sequence of str, optional
        A fixed vocabulary (e.g. that of another fitted model), overriding ``min_df``.
    max_iter : int, optional
        Iteration cap; defaults :data:`LDA_MAX_ITER` / :data:`NMF_MAX_ITER`.
    random_state : int, default :data:`analysis.config.SEED`

    Attributes
    ----------
    vectorizer_ : fitted vectorizer (see :func:`topic_vectorizer`)
    model_ : fitted scikit-learn ``LatentDirichletAllocation`` or ``NMF``
    terms_ : ndarray of str, the vocabulary
    components_ : ndarray (K, V), topic-term distributions (rows sum to 1)
    doc_topic_ : ndarray (n_units, K), topic shares of the training units
    perplexity_ : float, in-sample perplexity (LDA) or NaN (NMF)

    Examples
    --------
    >>> docs = ["oil gas oil", "gas oil pipeline", "army troops army", "troops army base"]
    >>> tm = TopicModel("nmf", 2, min_df=1, random_state=0).fit(docs)
    >>> tm.get_feature_names_out().tolist()
    ['topic1', 'topic2']
    >>> tm.transform(["oil gas"]).round(2).sum()
    np.float64(1.0)
    """

    def __init__(self, method: str = "lda", n_components: int = 5, *, min_df: int | float = 2,
                 stem: bool = False, vocabulary: Sequence[str] | None = None,
                 max_iter: int | None = None, random_state: int = SEED):
        self.method = method
        self.n_components = n_components
        self.min_df = min_df
        self.stem = stem
        self.vocabulary = vocabulary
        self.max_iter = max_iter
        self.random_state = random_state

    def fit(self, raw_documents, y=None):
        """Learn the vocabulary and the topics of ``raw_documents``; return ``self``."""
        method_check(self.method)
        if int(self.n_components) != self.n_components or self.n_components < 1:
            raise ValueError(f"n_components must be a positive integer, not {self.n_components!r}")
        docs = documents_check(raw_documents)
        self.vectorizer_ = topic_vectorizer(self.method, min_df=self.min_df, stem=self.stem,
                                            vocabulary=self.vocabulary)
        try:
            X = self.vectorizer_.fit_transform(docs)
        except ValueError as err:  # scikit-learn's empty-vocabulary errors
            raise ValueError(f"no term is left after stopwords and min_df ({err}): lower "
                             "min_df or check that the texts are not empty") from None
        self.model_, self.components_, self.doc_topic_ = topics_factorize(
            X, self.method, int(self.n_components), self.random_state, self.max_iter)
        self.terms_ = self.vectorizer_.get_feature_names_out()
        self.perplexity_ = model_perplexity(self.model_) if self.method == "lda" else np.nan
        return self

    def transform(self, raw_documents) -> np.ndarray:
        """Topic shares (rows sum to 1) of new texts."""
        check_is_fitted(self, "model_")
        X = self.vectorizer_.transform(documents_check(raw_documents))
        if self.method == "lda":
            return _normalize_rows(self.model_.transform(X))
        W = self.model_.transform(X)
        return _normalize_rows(W * self.model_.components_.sum(axis=1))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names of the output columns: ``topic1`` … ``topicK``."""
        check_is_fitted(self, "model_")
        return np.array([f"topic{k + 1}" for k in range(self.components_.shape[0])], dtype=object)
def unit_token_summary(units: Mapping[str, Sequence[str]], analyzer=None,
                       short: int = 10) -> pd.DataFrame:
    """How much text each kind of unit gives a topic model.

    Parameters
    ----------
    units : mapping kind → texts
        E.g. ``{"paragraph": ..., "sentence": ...}``.
    analyzer : callable, optional
        Text → content tokens (default :class:`analysis.text.Analyzer`).
    short : int, default 10
        Units with fewer content tokens than this are counted as short.

    Returns
    -------
    DataFrame
        unit, n_units, median_tokens, p10_tokens, share_short

    Examples
    --------
    >>> unit_token_summary({"s": ["oil gas", "army troops missile base"]}, short=3).values.tolist()
    [['s', 2, 3.0, 2.2, 0.5]]
    """
    analyzer = analyzer or Analyzer()
    rows = []
    for kind, texts in units.items():
        lengths = np.array([len(analyzer(t)) for t in documents_check(texts)])
        rows.append({"unit": kind, "n_units": len(lengths), "median_tokens": float(np.median(lengths)),
                     "p10_tokens": float(np.percentile(lengths, 10)),
                     "share_short": float((lengths < short).mean())})
    return pd.DataFrame(rows)

