"""A topic-based measure of the framing contrasts (:class:`TopicFrameScorer`).

A paragraph's topic shares weighted by each topic's alignment with the codebook's poles
(:func:`analysis.topics.topic_pole_alignment`), validated with the other measures by
:mod:`analysis.validation`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from . import config
from .codebook import Codebook, load_codebook
from .topics import TopicModel, topic_pole_alignment


class TopicFrameScorer(TransformerMixin, BaseEstimator):
    """A paragraph's topic shares weighted by each topic's alignment with the poles.

    A topic model (:class:`analysis.topics.TopicModel`) is fitted on the units; each
    topic ``k`` gets its cosine ``a[k, p]`` with each pole's seed terms
    (:func:`analysis.topics.topic_pole_alignment`, on stems; a pole none of whose seeds is
    in the vocabulary has cosine 0). With ``theta[u, k]`` the topic shares of unit ``u``:

    ``raw_c(u) = sum_k theta[u, k] (a[k, positive] - a[k, negative])``,
    ``topic_<c> = raw_c(u) - mean over the fitted units of raw_c``,
    ``topic_<c>_salience = sum_k theta[u, k] (a[k, positive] + a[k, negative])``.

    The raw index has no meaningful zero (the poles' seed lists differ in size and in
    how many of their words the vocabulary keeps), so it is centred on the corpus mean,
    as latent semantic scaling is in :class:`analysis.frames.FrameScorer`.

    Parameters
    ----------
    codebook : Codebook, path or None
    method, n_components, min_df, stem, random_state
        Passed to :class:`~analysis.topics.TopicModel`.

    Attributes
    ----------
    model_ : fitted TopicModel
    alignment_ : DataFrame ``topic, pole, cosine, n_terms_found``
    weights_ : DataFrame (topics x poles) of cosines, NaN read as 0
    centre_ : dict ``{contrast: mean raw index}``

    Examples
    --------
    >>> docs = ["a deal of convenience and interest", "a bargain and a deal", "shared ideology and faith",
    ...         "ideology and shared values", "deterrence and retaliation", "credibility and resolve"]
    >>> t = TopicFrameScorer(n_components=2, min_df=1, random_state=0).fit(docs)
    >>> t.get_feature_names_out().tolist()
    ['topic_alliance', 'topic_alliance_salience', 'topic_force', 'topic_force_salience']
    """

    def __init__(self, codebook=None, method: str = "nmf", n_components: int = 8, min_df: int | float = 2,
                 stem: bool = False, random_state: int = config.SEED):
        self.codebook = codebook
        self.method = method
        self.n_components = n_components
        self.min_df = min_df
        self.stem = stem
        self.random_state = random_state

    def fit(self, X, y=None):
        """Fit the topic model on ``X`` and align its topics with the poles."""
        self.codebook_ = self.codebook if isinstance(self.codebook, Codebook) else load_codebook(self.codebook)
        texts = list(X)
        self.model_ = TopicModel(self.method, self.n_components, min_df=self.min_df, stem=self.stem,
                                 random_state=self.random_state).fit(texts)
        self.alignment_ = topic_pole_alignment(self.model_.components_, self.model_.terms_,
                                               self.codebook_.seed_terms(), analyzer=self.model_.vectorizer_.analyzer)
        self.weights_ = (self.alignment_.pivot(index="topic", columns="pole", values="cosine")
                         .fillna(0.0).sort_index())
        raw = self._raw(self.model_.transform(texts))
        self.centre_ = {c: float(raw[c].mean()) for c in self.codebook_.contrasts}
        return self

    def _raw(self, theta: np.ndarray) -> dict[str, np.ndarray]:
        out = {}
        for name, c in self.codebook_.contrasts.items():
            pos, neg = self.weights_[c.positive.name].to_numpy(), self.weights_[c.negative.name].to_numpy()
            out[name] = theta @ (pos - neg)
            out[f"{name}_salience"] = theta @ (pos + neg)
        return out

    def transform_frame(self, X) -> pd.DataFrame:
        """``topic_<c>`` (centred index) and ``topic_<c>_salience`` of every unit."""
        check_is_fitted(self, "centre_")
        raw = self._raw(self.model_.transform(list(X)))
        cols = {}
        for c in self.codebook_.contrasts:
            cols[f"topic_{c}"] = raw[c] - self.centre_[c]
            cols[f"topic_{c}_salience"] = raw[f"{c}_salience"]
        return pd.DataFrame(cols)

    def transform(self, X) -> np.ndarray:
        return self.transform_frame(X).to_numpy(dtype=float)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "centre_")
        return np.array([n for c in self.codebook_.contrasts for n in (f"topic_{c}", f"topic_{c}_salience")],
                        dtype=object)
