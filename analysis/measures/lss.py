"""Latent semantic scaling of each contrast (Watanabe 2021).

Latent semantic scaling (:class:`LatentScaler`, prefix ``lss_``)
    Truncated SVD (seeded) of the TF-IDF of the corpus and the exemplars, with their
    sentences as documents (Watanabe's segmentation; the corpus split by Punkt trained on
    it, the exemplars at their full stops), gives each term a vector: its row of the right singular
    vectors, as in Watanabe's implementation. Seeds on the negative pole
    weigh ``-1/n_neg``, on the positive ``+1/n_pos`` (seeds found in the vocabulary).
    ``polarity(term) = sum_s cos(term, seed_s) * weight_s``. A unit's score is the mean
    polarity of its terms weighted by their frequency, ``sum_t f_t p_t / n`` with
    ``n = sum_t f_t``, and its standard error ``sqrt(sum_t f_t (p_t - score)^2 / n) / sqrt(n)``.
    A unit with no model term has no score (NaN). LSS gives no salience.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import linalg, sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.utils.validation import check_is_fitted

from .. import config
from ..codebook import as_codebook
from ..dtm import dtm_codes_counts, tfidf_weight
from ..lexicon import bag_vectorizer, lexicon_of, texts_check
from ..sentences import sentence_spans, sentence_tokenizer

def term_vectors(matrix, k: int, algorithm: str = "arpack", random_state: int = config.SEED) -> np.ndarray:
    """The top ``k`` right singular vectors of a context-term matrix, one row per term (terms x k).

    ``"arpack"`` and ``"randomized"`` are scikit-learn's :class:`~sklearn.decomposition.TruncatedSVD`;
    ``"lapack"`` is a full dense SVD (LAPACK ``gesdd``): the same subspace up to the sign
    of each dimension, which no cosine depends on, and many times faster when ``k`` is
    close to the number of contexts. The first ``k`` of a longer decomposition are its
    ``k``-dimensional one, so a caller may decompose once and keep fewer dimensions.
    """
    if algorithm == "lapack":
        _, _, vt = linalg.svd(matrix.toarray(), full_matrices=False, lapack_driver="gesdd")
        return vt[:k].T
    return TruncatedSVD(n_components=k, algorithm=algorithm, random_state=random_state).fit(matrix).components_.T


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Each row scaled to unit length (a row of zeros stays zero).

    Examples
    --------
    >>> unit_rows(np.array([[3.0, 4.0], [0.0, 0.0]])).tolist()
    [[0.6, 0.8], [0.0, 0.0]]
    """
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def term_polarity(embedding: np.ndarray, seeds: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Every term's polarity: ``sum_s cos(term, seed_s) * weight_s`` over unit-length rows.

    Examples
    --------
    >>> term_polarity(np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]]), np.array([0, 1]), np.array([-1.0, 1.0]))
    array([-1. ,  1. ,  0.2])
    """
    return (embedding @ embedding[seeds].T) @ weights


def lss_scores(counts: sparse.csr_matrix, polarity: np.ndarray):
    """Units' scores from term counts: the frequency-weighted mean polarity of their terms,
    its standard error, and the number of model terms (see the module docstring).

    ``polarity`` is terms x contrasts; a unit without a model term scores NaN.

    Examples
    --------
    >>> score, se, n = lss_scores(sparse.csr_matrix([[1, 1], [0, 0]]), np.array([[1.0], [0.0]]))
    >>> score.ravel().tolist(), se.ravel().round(3).tolist(), n.tolist()
    ([0.5, nan], [0.354, nan], [2, 0])
    """
    n = np.asarray(counts.sum(axis=1)).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        score = (counts @ polarity) / n[:, None]
        second = (counts @ polarity ** 2) / n[:, None]
        var = np.clip(second - score ** 2, 0, None)
        se = np.where(n[:, None] > 1, np.sqrt(var) / np.sqrt(n)[:, None], np.nan)
    score[n == 0] = np.nan
    return score, se, n


class LatentScaler(TransformerMixin, BaseEstimator):
    """Latent semantic scaling (Watanabe 2021) of each contrast.

    Parameters
    ----------
    codebook : Codebook, path or None
    n_components : int, default 100
        SVD dimensions; capped at ``min(contexts, terms) - 1``.
    algorithm : {"arpack", "randomized", "lapack"}
        The SVD (:func:`term_vectors`).
    random_state : int, default :data:`analysis.config.SEED`
    context : {"sentence", "paragraph"}, default "sentence"
        The documents of the term-document matrix the SVD factorises. Watanabe (2021)
        segments the corpus into sentences so that a term's vector reflects its close
        neighbours; the units passed to ``fit`` are split with Punkt trained on them
        (:mod:`analysis.sentences`). ``transform`` always scores the units it is given.

    Attributes
    ----------
    vocabulary_ : ndarray of str
    embedding_ : ndarray (terms x k), unit-length rows of the right singular vectors
    seeds_ : DataFrame
        ``contrast, pole, term, feature, weight`` of every seed found in the vocabulary.
    polarity_ : ndarray (terms x contrasts)
    """

    def __init__(self, codebook=None, n_components: int = 100, algorithm: str = "arpack",
                 random_state: int = config.SEED, context: str = "sentence"):
        self.codebook = codebook
        self.n_components = n_components
        self.algorithm = algorithm
        self.random_state = random_state
        self.context = context

    def _contexts(self, texts: list[str]) -> list[str]:
        if self.context == "paragraph":
            return texts
        if self.context != "sentence":
            raise ValueError(f"context must be 'sentence' or 'paragraph', not {self.context!r}")
        tokenizer = sentence_tokenizer(texts)
        return [t[a:b] for t in texts for a, b in sentence_spans(tokenizer, t)]

    def fit(self, X, y=None, extra: Sequence[str] | None = None):
        """Fit the TF-IDF space and its SVD on ``X`` (and ``extra``); compute every term's polarity.

        ``extra`` are further texts to learn the space from, such as the written exemplars:
        with ``context="sentence"`` they are split by :func:`analysis.exemplars.exemplar_sentences`
        (the project's own edited prose needs no trained splitter), while ``X`` is split
        by Punkt trained on ``X``.
        """
        from ..exemplars import exemplar_sentences

        self.codebook_ = as_codebook(self.codebook)
        self.lexicon_ = lexicon_of(self.codebook_)
        corpus = texts_check(X)
        contexts = self._contexts(corpus) if corpus else []
        if extra is not None:
            more = texts_check(extra)
            contexts += [s for t in more for s in exemplar_sentences(t)] if self.context == "sentence" else more
        if len(contexts) < 3:
            raise ValueError(f"LSS needs at least 3 contexts to fit, got {len(contexts)}")
        # term vectors are learned from every word of the corpus (no target window); the
        # contexts are counted from their codes, as the fitted vectorizer's transform counts them
        table, coded = self.lexicon_.feature_codes(contexts, targeted=False)
        self.vectorizer_ = bag_vectorizer("tfidf", self.lexicon_)
        self.vectorizer_.fit_codes(coded, table)
        counts = dtm_codes_counts(coded, table, self.vectorizer_.vocabulary_)
        matrix = tfidf_weight(counts, self.vectorizer_)
        k = min(self.n_components, min(matrix.shape) - 1)
        if k < 1:
            raise ValueError("the corpus is too small for an SVD — fit on more units")
        self.vocabulary_ = self.vectorizer_.get_feature_names_out()
        self.frequency_ = np.asarray(counts.sum(axis=0)).ravel()
        self.embedding_ = unit_rows(term_vectors(matrix, k, self.algorithm, self.random_state))
        self.seeds_ = self._seeds()
        self.polarity_ = np.column_stack([self._polarity(self.seeds_[self.seeds_.contrast == c])
                                          for c in self.codebook_.contrasts])
        return self

    def _seeds(self) -> pd.DataFrame:
        position = {t: j for j, t in enumerate(self.vocabulary_)}
        rows = []
        for pole in self.codebook_.poles:
            found = []
            for term in pole.terms:
                features = self.lexicon_.features(term, targeted=False)
                if len(features) == 1 and features[0] in position and features[0] not in [f for _, f in found]:
                    found.append((term, features[0]))
            if not found:
                raise ValueError(f"no seed term of pole {pole.name!r} occurs in the corpus — "
                                 "LSS needs at least one seed per pole; fit on a larger corpus")
            rows += [dict(contrast=pole.contrast, pole=pole.name, term=t, feature=f, index=position[f],
                          weight=pole.sign / len(found)) for t, f in found]
        return pd.DataFrame(rows)

    def _polarity(self, seeds: pd.DataFrame) -> np.ndarray:
        return term_polarity(self.embedding_, seeds["index"].to_numpy(), seeds["weight"].to_numpy())

    def _counts(self, X) -> sparse.csr_matrix:
        check_is_fitted(self, "polarity_")
        return self.count_features(texts_check(X))

    def count_features(self, units) -> sparse.csr_matrix:
        """Counts of the model's terms in texts, or in their lists of features (units x terms)."""
        vec = bag_vectorizer("count", self.lexicon_, vocabulary=self.vocabulary_)
        return vec.fit_transform(units).tocsr()

    def transform(self, X) -> np.ndarray:
        return self.transform_counts(self._counts(X))

    def transform_counts(self, counts: sparse.csr_matrix) -> np.ndarray:
        """The scores from :meth:`count_features`' matrix, however it was counted."""
        score, se, n = lss_scores(counts, self.polarity_)
        columns = []
        for k, _ in enumerate(self.codebook_.contrasts):
            columns += [score[:, k], se[:, k]]
        return np.column_stack(columns + [n])

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "polarity_")
        names = [n for c in self.codebook_.contrasts for n in (f"lss_{c}", f"lss_{c}_se")]
        return np.array(names + ["lss_terms"], dtype=object)

    def polar_terms(self, contrast: str, n: int = 15, include_seeds: bool = False) -> pd.DataFrame:
        """The ``n`` most polar terms towards each pole: ``pole, rank, term, polarity, frequency, seed``."""
        check_is_fitted(self, "polarity_")
        k = list(self.codebook_.contrasts).index(contrast)
        c = self.codebook_.contrasts[contrast]
        seeds = set(self.seeds_.loc[self.seeds_.contrast == contrast, "feature"])
        p = self.polarity_[:, k]
        keep = np.array([include_seeds or t not in seeds for t in self.vocabulary_])
        rows = []
        for pole, sign in ((c.negative.name, -1), (c.positive.name, 1)):
            order = [j for j in np.lexsort((self.vocabulary_, -sign * p)) if keep[j]][:n]
            rows += [dict(pole=pole, rank=r + 1, term=self.vocabulary_[j], polarity=p[j],
                          frequency=int(self.frequency_[j]), seed=self.vocabulary_[j] in seeds)
                     for r, j in enumerate(order)]
        return pd.DataFrame(rows, columns=["pole", "rank", "term", "polarity", "frequency", "seed"])

    def seed_stability(self, X, contrast: str) -> pd.DataFrame:
        """Leave-one-seed-out: unit scores without each seed, correlated with the full model.

        Returns one row per seed: ``pole, term, feature, r`` (Pearson correlation over the
        units of ``X`` that have a score) and ``max_shift`` (largest absolute change of a
        unit score). A pole's only seed cannot be left out (``r`` is NaN).
        """
        counts = self._counts(X)
        k = list(self.codebook_.contrasts).index(contrast)
        full = lss_scores(counts, self.polarity_[:, [k]])[0].ravel()
        seeds = self.seeds_[self.seeds_.contrast == contrast].reset_index(drop=True)
        rows = []
        for i, seed in seeds.iterrows():
            rest = seeds.drop(index=i)
            same = rest.pole == seed.pole
            r = shift = np.nan
            if same.any():
                rest = rest.assign(weight=np.where(same, np.sign(seed.weight) / same.sum(), rest.weight))
                loo = lss_scores(counts, self._polarity(rest)[:, None])[0].ravel()
                ok = ~np.isnan(full) & ~np.isnan(loo)
                if ok.sum() > 2:
                    r = float(np.corrcoef(full[ok], loo[ok])[0, 1])
                    shift = float(np.max(np.abs(full[ok] - loo[ok])))
            rows.append(dict(pole=seed.pole, term=seed.term, feature=seed.feature, r=r, max_shift=shift))
        return pd.DataFrame(rows, columns=["pole", "term", "feature", "r", "max_shift"])
