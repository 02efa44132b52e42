"""The supervised, stance-aware framing measure, trained on written exemplars.

For each contrast of the codebook two logistic regressions are fitted on the exemplars
(:mod:`analysis.exemplars`), never on the texts they score:

* *presence*: does the paragraph speak to the contrast (coded with a pole or ``mixed``)
  or not (``none``)? Output ``sup_<c>_salience``, a calibrated probability.
* *polarity*: among paragraphs coded with a pole, which one? Output ``sup_<c>``, the
  calibrated log-odds of the positive pole (negative pole < 0 < positive pole), the
  same sign convention as every other measure.

Features are TF-IDF weights (sublinear tf, l2 rows) of words and word pairs after
stance marking (:mod:`analysis.stance`): a word a writer denies, sets aside or
attributes to someone else is a different feature from the same word asserted, so
"more than a marriage of convenience" does not count as "marriage of convenience".

Calibration is Platt's sigmoid on out-of-fold decision values
(scikit-learn's ``CalibratedClassifierCV(method="sigmoid", ensemble=False)``); when
the exemplars come with their writers, each fold holds out whole writers
(:data:`CALIBRATION_FOLDS` folds, scikit-learn's ``GroupKFold``), so the calibration
reflects text by writers the model has not seen.

:meth:`SupervisedScorer.explain` lists the features that moved one paragraph's score
most: each feature's weight times its value in the paragraph, the terms of the linear
decision function.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.utils.validation import check_is_fitted

from . import config
from .codebook import Codebook, load_codebook
from .dtm import CodedTfidfVectorizer, TermCodes, dtm_ngram_counts_joined, tfidf_weight
from .lexicon import texts_check
from .stance import SEPARATOR, StanceAnalyzer
from .text import STOPWORDS

#: Calibration folds when the exemplars come with their writers (each fold holds out whole writers).
CALIBRATION_FOLDS = 4
#: Probabilities are clipped to this distance from 0 and 1 before the log-odds are taken.
EPS = 1e-6
#: Fitted models remembered in the process, by everything a fit depends on (see
#: :meth:`SupervisedScorer._fit_key`): the multiverse, the leave-one-out refits and the
#: notebooks fit the same model on the same exemplars many times, and a fit is deterministic.
FITS_KEPT = 64
_FITS: dict[str, dict] = {}
#: Exemplar texts whose features are remembered, as codes, per analyzer setting, for refits
#: on subsets of the same exemplars (cross-validation folds, writer subsets).
CODES_KEPT = 40_000
_CODES: dict[tuple, tuple[TermCodes, dict[str, np.ndarray]]] = {}
#: Feature matrices of exemplar sets, per feature setting: models that differ only in
#: their regularisation share one matrix.
MATRICES_KEPT = 16
_MATRICES: dict[str, tuple] = {}


def cache_clear() -> None:
    """Forget every remembered fit, feature matrix and analysed text (as ``functools``' caches do)."""
    _FITS.clear()
    _MATRICES.clear()
    _CODES.clear()


def _texts_digest(texts: list[str]) -> str:
    """SHA-256 of ``texts`` in order (the part of a fit's inputs that is costly to compare)."""
    h = hashlib.sha256()
    for t in texts:
        h.update(t.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


def _splits(y: np.ndarray, groups, seed: int):
    """Folds that hold out whole writers (at most :data:`CALIBRATION_FOLDS`) when every writer
    holds both classes, else stratified folds (at most 5)."""
    if groups is not None:
        g = np.asarray(groups)
        writers = np.unique(g)
        ok = len(writers) >= 2 and all(len(np.unique(y[g == w])) == 2 for w in writers)
        if ok:
            return list(GroupKFold(n_splits=min(CALIBRATION_FOLDS, len(writers))).split(y, y, g))
    n = int(min(5, np.bincount(y).min()))
    if n < 2:
        raise ValueError("each class needs at least two exemplars to calibrate — add exemplars of the rarer code")
    return list(StratifiedKFold(n, shuffle=True, random_state=seed).split(y, y))


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, EPS, 1 - EPS)
    return np.log(p) - np.log1p(-p)


class SupervisedScorer(TransformerMixin, BaseEstimator):
    """Presence and polarity of each contrast, learned from coded exemplars.

    Parameters
    ----------
    codebook : Codebook, path or None
    C : float
        Inverse L2 regularisation strength of the logistic regressions.
    ngram_max : int
        Longest word n-gram counted (1: words, 2: words and pairs).
    min_df : int
        A feature must occur in at least this many exemplars.
    stance : bool
        Mark stance scopes (:class:`analysis.stance.StanceMarker`) before counting.
    names : bool
        Replace capitalised words that do not open a sentence (proper names) by one
        placeholder (:func:`analysis.stance.names_masked`).
    stopwords : bool
        Drop scikit-learn's English stopwords (stance-tagged words are kept).
    random_state : int
        Seed of the calibration folds when no writers are given (the regressions
        themselves are deterministic).

    Attributes
    ----------
    vectorizer_ : TfidfVectorizer
    presence_, polarity_ : dict ``{contrast: CalibratedClassifierCV}``
    classes_ : dict ``{contrast: (negative pole, positive pole)}``

    Examples
    --------
    >>> texts = ["a deal for cash", "a deal for oil", "a shared creed", "a common creed", "rain", "wheat"] * 2
    >>> codes = pd.DataFrame({"alliance": ["transactional", "transactional", "ideological", "ideological",
    ...                                    "none", "none"] * 2})
    >>> s = SupervisedScorer(C=10.0, ngram_max=1, min_df=1).fit(texts, codes, contrasts=["alliance"])
    >>> bool(s.transform_frame(["a creed"])["sup_alliance"].iloc[0] > 0)
    True
    """

    def __init__(self, codebook=None, C: float = 1.0, ngram_max: int = 2, min_df: int = 2, stance: bool = True,
                 names: bool = False, stopwords: bool = False, random_state: int = config.SEED):
        self.codebook = codebook
        self.C = C
        self.ngram_max = ngram_max
        self.min_df = min_df
        self.stance = stance
        self.names = names
        self.stopwords = stopwords
        self.random_state = random_state

    def _vectorizer(self) -> TfidfVectorizer:
        analyzer = StanceAnalyzer(self.stance, names=self.names, ngram_max=self.ngram_max,
                                  stopwords=STOPWORDS if self.stopwords else None)
        return CodedTfidfVectorizer(analyzer=analyzer, min_df=self.min_df, sublinear_tf=True, dtype=np.float64)

    def _matrix(self, texts: list[str]):
        """TF-IDF rows of ``texts``: ``vectorizer_.transform``, with the tokenising done for
        all texts in one pass and the counting by :func:`analysis.dtm.dtm_ngram_counts_joined`
        (the same matrix, faster: word pairs are found as pairs of integer codes, never
        built as strings)."""
        analyzer = self.vectorizer_.analyzer
        counts = dtm_ngram_counts_joined(analyzer.joined_tokens(texts), SEPARATOR, len(texts),
                                         self.vectorizer_.vocabulary_, analyzer.ngram_max)
        return tfidf_weight(counts, self.vectorizer_)

    def _classifier(self, y: np.ndarray, groups) -> CalibratedClassifierCV:
        base = LogisticRegression(C=self.C, max_iter=2000, solver="liblinear")
        return CalibratedClassifierCV(base, method="sigmoid", cv=_splits(y, groups, self.random_state),
                                      ensemble=False)

    def fit(self, X, y: pd.DataFrame, groups: Sequence | None = None, contrasts: Sequence[str] | None = None):
        """Fit on exemplar texts ``X`` and their codes ``y`` (one column per contrast).

        Parameters
        ----------
        X : list of str
        y : DataFrame
            A column per contrast with the codebook's codes (poles, ``mixed``, ``none``).
        groups : sequence, optional
            The writer of each exemplar: calibration folds then hold out whole writers.
        contrasts : sequence of str, optional
            Fit only these contrasts (default: all of the codebook's).
        """
        texts = texts_check(X)
        y = pd.DataFrame(y).reset_index(drop=True)
        if len(y) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(y)} rows of codes — pass one row of codes per text")
        self.codebook_ = self.codebook if isinstance(self.codebook, Codebook) else load_codebook(self.codebook)
        self.contrasts_ = list(contrasts) if contrasts is not None else list(self.codebook_.contrasts)
        g = np.asarray(groups) if groups is not None else None
        digest = _texts_digest(texts)
        key = self._fit_key(digest, y, g)
        if key in _FITS:
            self.__dict__.update(_FITS[key])
            return self
        self.vectorizer_, matrix = self._features(texts, digest)
        self.presence_, self.polarity_, self.classes_ = {}, {}, {}
        for c in self.contrasts_:
            con = self.codebook_.contrasts[c]
            negative, positive = con.negative.name, con.positive.name
            codes = y[c].astype(str).to_numpy()
            framed = (codes != "none").astype(int)
            self.presence_[c] = self._classifier(framed, g).fit(matrix, framed)
            polar = np.isin(codes, [negative, positive])
            yp = (codes[polar] == positive).astype(int)
            self.polarity_[c] = self._classifier(yp, g[polar] if g is not None else None).fit(matrix[polar], yp)
            self.classes_[c] = (negative, positive)
        _FITS[key] = {k: v for k, v in self.__dict__.items() if k.endswith("_") and not k.startswith("_")}
        while len(_FITS) > FITS_KEPT:  # the oldest first (dicts keep insertion order)
            del _FITS[next(iter(_FITS))]
        return self

    def _fit_key(self, texts_digest: str, y: pd.DataFrame, groups) -> str:
        """A digest of every input of :meth:`fit`: settings, codebook, contrasts, texts, codes, writers."""
        h = hashlib.sha256()
        params = {k: v for k, v in self.get_params(deep=False).items() if k != "codebook"}
        h.update(repr((sorted(params.items()), repr(self.codebook_), self.contrasts_, texts_digest)).encode())
        h.update(pd.util.hash_pandas_object(y[self.contrasts_].astype(str), index=False).to_numpy().tobytes())
        h.update(b"groups" + (pd.util.hash_array(groups.astype(str)).tobytes() if groups is not None else b""))
        return h.hexdigest()

    def _features(self, texts: list[str], texts_digest: str):
        """A vectorizer fitted on ``texts`` and their TF-IDF matrix, remembered per feature setting."""
        key = repr((self.stance, self.names, self.ngram_max, self.stopwords, self.min_df, texts_digest))
        if key not in _MATRICES:
            vectorizer = self._vectorizer()
            table, codes = self._codes(texts)
            matrix = vectorizer.fit_codes(codes, table)
            # scikit-learn's vectorizers leave each row's columns unsorted, and the first classifier
            # fitted on the matrix sorts them in place: sorted here, every fit sees the same matrix,
            # so a fit's last digits do not depend on which fits the process made before
            matrix.sort_indices()
            _MATRICES[key] = (vectorizer, matrix)
            while len(_MATRICES) > MATRICES_KEPT:
                del _MATRICES[next(iter(_MATRICES))]
        return _MATRICES[key]

    def _codes(self, texts: list[str]) -> tuple[TermCodes, list[np.ndarray]]:
        """The codes of each text's features, remembered (per analyzer setting, in one table of
        codes) for the next fit on the same exemplars."""
        analyzer = self._vectorizer().analyzer
        table, memo = _CODES.setdefault((self.stance, self.names, self.ngram_max, self.stopwords), (TermCodes(), {}))
        out = []
        for t in texts:
            found = memo.get(t)
            if found is None:
                found = table.codes(analyzer(t))
                if len(memo) < CODES_KEPT:
                    memo[t] = found
            out.append(found)
        return table, out

    def transform_frame(self, X) -> pd.DataFrame:
        """``sup_<c>`` (log-odds of the positive pole) and ``sup_<c>_salience`` (probability of a frame)."""
        check_is_fitted(self, "polarity_")
        matrix = self._matrix(texts_check(X))
        out = {}
        for c in self.contrasts_:
            out[f"sup_{c}"] = _logit(self.polarity_[c].predict_proba(matrix)[:, 1])
            out[f"sup_{c}_salience"] = self.presence_[c].predict_proba(matrix)[:, 1]
        return pd.DataFrame(out)

    def transform(self, X) -> np.ndarray:
        return self.transform_frame(X).to_numpy(dtype=float)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "polarity_")
        return np.array([n for c in self.contrasts_ for n in (f"sup_{c}", f"sup_{c}_salience")], dtype=object)

    def coefficients(self, contrast: str, task: str = "polarity") -> pd.Series:
        """The fitted weights of one model by feature (before calibration, which is monotone)."""
        check_is_fitted(self, "polarity_")
        model = (self.polarity_ if task == "polarity" else self.presence_)[contrast]
        coef = model.calibrated_classifiers_[0].estimator.coef_.ravel()
        return pd.Series(coef, index=self.vectorizer_.get_feature_names_out())

    def explain(self, text: str, contrast: str, task: str = "polarity", n: int = 6) -> pd.DataFrame:
        """The features that moved ``text``'s score most: ``feature, value, weight, contribution``.

        ``contribution = weight * value`` is the feature's term in the decision function;
        positive pushes towards the positive pole (polarity) or towards a frame (presence).
        """
        coef = self.coefficients(contrast, task)
        row = self._matrix([text])
        idx = row.indices
        table = pd.DataFrame({"feature": coef.index[idx], "value": row.data, "weight": coef.to_numpy()[idx]})
        table["contribution"] = table["weight"] * table["value"]
        order = np.lexsort((table["feature"].to_numpy(), -table["contribution"].abs().to_numpy()))
        return table.iloc[order].head(n).reset_index(drop=True)


def explanations(scorer: SupervisedScorer, units: pd.DataFrame, contrast_of: Sequence[str], n: int = 5) -> pd.DataFrame:
    """The features behind the supervised polarity of chosen paragraphs, one block per paragraph.

    Parameters
    ----------
    scorer : SupervisedScorer
        Fitted.
    units : DataFrame
        ``unit_id`` and ``text`` of the paragraphs to explain.
    contrast_of : sequence of str
        The contrast to explain for each row of ``units``.
    n : int
        Features per paragraph (largest contributions first).

    Returns
    -------
    DataFrame
        ``unit_id, contrast, score, rank, feature, value, weight, contribution``:
        ``score`` is the paragraph's ``sup_<contrast>``; a feature tagged ``neg:``,
        ``rej:`` or ``att:`` was read inside a stance scope.
    """
    blocks = []
    for uid, text, c in zip(units["unit_id"], units["text"], contrast_of):
        table = scorer.explain(text, c, n=n)
        score = float(scorer.transform_frame([text])[f"sup_{c}"].iloc[0])
        blocks.append(table.assign(unit_id=uid, contrast=c, score=score, rank=np.arange(1, len(table) + 1)))
    columns = ["unit_id", "contrast", "score", "rank", "feature", "value", "weight", "contribution"]
    return pd.concat(blocks, ignore_index=True)[columns] if blocks else pd.DataFrame(columns=columns)
