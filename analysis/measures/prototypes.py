"""TF-IDF pole prototypes, and class-based TF-IDF.

TF-IDF prototypes (:class:`PrototypeScorer`, prefix ``tfidf_``)
    A TF-IDF space (stems, stopwords removed, smooth idf, l2 rows) is fitted on the
    corpus (and the exemplars, when given); each pole's prototype is the mean vector of
    the exemplars coded with that pole or, without exemplars, the codebook's own text of
    the pole (definition, indicators and terms) placed in the space. ``cos(pole)`` is the cosine between unit and prototype;
    ``index = cos(positive) - cos(negative)``, ``salience = cos(positive) + cos(negative)``.
    :func:`class_tfidf` adds class-based TF-IDF (Grootendorst 2022) by article or pole.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ..codebook import as_codebook
from ..dtm import dtm_codes_counts, dtm_group, tfidf_weight
from ..lexicon import Lexicon, bag_vectorizer, lexicon_of, texts_check

#: TF-IDF spaces of recent fits, by codebook, setting and texts (see :meth:`PrototypeScorer._space`).
SPACES_KEPT = 8
_SPACES: dict[tuple, tuple] = {}


def cache_clear() -> None:
    """Forget every remembered TF-IDF space (as ``functools``' caches do)."""
    _SPACES.clear()


def prototype_scores(cos: np.ndarray, n_contrasts: int) -> np.ndarray:
    """The prototype measure's columns from cosines to the pole prototypes: per contrast
    the two cosines, the index (positive minus negative) and the salience (their sum) —
    the measure's formula, used by :class:`PrototypeScorer` and by the multiverse.

    Examples
    --------
    >>> prototype_scores(np.array([[0.25, 0.5]]), 1).tolist()
    [[0.25, 0.5, 0.25, 0.75]]
    """
    columns = []
    for k in range(n_contrasts):
        neg, pos = cos[:, 2 * k], cos[:, 2 * k + 1]
        columns += [neg, pos, pos - neg, pos + neg]
    return np.column_stack(columns)


class PrototypeScorer(TransformerMixin, BaseEstimator):
    """Cosine similarity of each unit to each pole's prototype in the corpus' TF-IDF space.

    Parameters
    ----------
    codebook : Codebook, path or None
    sublinear_tf : bool, default False
        ``1 + log(tf)`` term frequencies.

    Examples
    --------
    >>> p = PrototypeScorer().fit(["a bargain of convenience", "a shared ideology",
    ...                            "the threat of retaliation", "their credibility and prestige"])
    >>> p.get_feature_names_out()[:3].tolist()
    ['tfidf_transactional', 'tfidf_ideological', 'tfidf_alliance']
    >>> cos_t, cos_i, index = p.transform(["an ideology"])[0, :3]
    >>> bool(cos_t == 0 and cos_i > 0 and index == cos_i - cos_t)
    True
    """

    def __init__(self, codebook=None, sublinear_tf: bool = False):
        self.codebook = codebook
        self.sublinear_tf = sublinear_tf

    def fit(self, X, y=None, exemplars: pd.DataFrame | None = None):
        """Fit the TF-IDF space on ``X`` and place the pole prototypes in it.

        With ``exemplars`` (a table with ``text`` and a column of codes per contrast,
        :func:`analysis.exemplars.load_exemplars`), the space is fitted on ``X`` and the
        exemplar texts, and a pole's prototype is the mean TF-IDF vector of the
        exemplars coded with that pole (Rocchio's centroid); without, it is the
        codebook's text of the pole.
        """
        self.codebook_ = as_codebook(self.codebook)
        self.lexicon_ = lexicon_of(self.codebook_)
        texts = texts_check(X)
        if not texts:
            raise ValueError("X is empty — fit the measure on at least one paragraph")
        extra = [] if exemplars is None else texts_check(exemplars["text"])
        self.vectorizer_, row_of, weighted = self._space(texts + extra, rows=exemplars is not None)
        poles = self.codebook_.poles
        if exemplars is None:
            # a prototype is the codebook's own text, not a unit: no target window applies to it
            self.prototypes_ = self.vectorizer_.transform([self.lexicon_.features(p.prototype(), targeted=False)
                                                           for p in poles])
        else:
            matrix = weighted[[row_of[t] for t in extra]]
            rows = []
            for p in poles:
                hit = (exemplars[p.contrast] == p.name).to_numpy()
                if not hit.any():
                    raise ValueError(f"no exemplar is coded {p.name!r} on {p.contrast!r} — add exemplars of "
                                     "that pole (see corpus/exemplars/README.md)")
                rows.append(sparse.csr_matrix(matrix[hit].mean(axis=0)))
            from sklearn.preprocessing import normalize
            self.prototypes_ = normalize(sparse.vstack(rows).tocsr())
        empty = [p.name for p, n in zip(poles, self.prototypes_.getnnz(axis=1)) if n == 0]
        if empty:
            raise ValueError(f"the prototype of pole {empty[0]!r} shares no term with the corpus — "
                             "fit on a larger corpus or extend the pole's definition and seeds")
        return self

    def _space(self, texts: list[str], rows: bool):
        """The TF-IDF space fitted on ``texts``, and with ``rows`` the rows of ``texts`` in it
        as the fitted vectorizer's ``transform`` weighs them: ``vectorizer, {text: row}, rows``
        (``rows`` None when not asked for).

        The space is learned from every word of the texts (a target window only decides
        which seed occurrences count when a unit is scored). It depends on the texts and
        not on their order, so it is remembered by the sorted texts: the folds of a
        leave-one-writer-out run fit on the same texts (the held-out writer's as the
        corpus, the others' as exemplars) and share one space.
        """
        key = (repr(self.codebook_), self.sublinear_tf, tuple(sorted(texts)))
        if key not in _SPACES:
            table, coded = self.lexicon_.feature_codes(texts, targeted=False)
            vectorizer = bag_vectorizer("tfidf", self.lexicon_, sublinear_tf=self.sublinear_tf)
            vectorizer.fit_codes(coded, table)
            _SPACES[key] = (vectorizer, None, None)
            while len(_SPACES) > SPACES_KEPT:  # the oldest first
                del _SPACES[next(iter(_SPACES))]
        vectorizer, row_of, weighted = _SPACES[key]
        if rows and weighted is None:  # each text's row once, in sorted order
            unique = list(dict.fromkeys(key[2]))
            table, coded = self.lexicon_.feature_codes(unique, targeted=False)
            weighted = tfidf_weight(dtm_codes_counts(coded, table, vectorizer.vocabulary_), vectorizer)
            row_of = {t: i for i, t in enumerate(unique)}
            _SPACES[key] = (vectorizer, row_of, weighted)
        return vectorizer, row_of, weighted

    def similarities(self, X) -> np.ndarray:
        """Cosine of every unit to every pole prototype (n x poles, codebook order)."""
        check_is_fitted(self, "prototypes_")
        return self._similarities(texts_check(X))

    def _similarities(self, units) -> np.ndarray:
        matrix = self.vectorizer_.transform(units)
        return np.asarray((matrix @ self.prototypes_.T).todense())

    def transform(self, X) -> np.ndarray:
        check_is_fitted(self, "prototypes_")
        return self.transform_features(texts_check(X))

    def transform_features(self, units) -> np.ndarray:
        """The scores of texts, or of their lists of features (:meth:`analysis.lexicon.Lexicon.features`)."""
        return self.scores_from_similarities(self._similarities(units))

    def scores_from_similarities(self, cos: np.ndarray) -> np.ndarray:
        """The scores from :meth:`similarities`' output, however it was computed."""
        check_is_fitted(self, "codebook_")
        return prototype_scores(cos, len(self.codebook_.contrasts))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "prototypes_")
        names = []
        for c in self.codebook_.contrasts.values():
            names += [f"tfidf_{c.negative.name}", f"tfidf_{c.positive.name}", f"tfidf_{c.name}",
                      f"tfidf_{c.name}_salience"]
        return np.array(names, dtype=object)

    def prototype_terms(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` heaviest corpus terms of each prototype: ``pole, rank, term, weight``."""
        check_is_fitted(self, "prototypes_")
        terms = self.vectorizer_.get_feature_names_out()
        rows = []
        for pole, row in zip(self.codebook_.poles, self.prototypes_.toarray()):
            order = np.lexsort((terms, -row))[:n]
            rows += [dict(pole=pole.name, rank=r + 1, term=terms[j], weight=row[j])
                     for r, j in enumerate(order) if row[j] > 0]
        return pd.DataFrame(rows, columns=["pole", "rank", "term", "weight"])


def class_tfidf(counts: sparse.spmatrix, classes: Sequence[str]) -> tuple[sparse.csr_matrix, list[str]]:
    """Class-based TF-IDF (Grootendorst 2022): one weighted row per class.

    ``W[c, x] = tf[c, x] / sum_x tf[c, x] * log(1 + A / f_x)``, where ``tf[c, x]`` is the
    count of term ``x`` in class ``c`` (rows of ``counts`` summed by class), ``A`` the mean
    number of tokens per class and ``f_x`` the term's total count over all classes.

    Parameters
    ----------
    counts : sparse matrix (units x terms)
    classes : sequence of str, one label per unit

    Returns
    -------
    weights : csr_matrix (classes x terms)
    labels : list of str, sorted

    Examples
    --------
    >>> w, labels = class_tfidf(sparse.csr_matrix([[2, 1, 0], [0, 1, 1]]), ["A", "B"])
    >>> labels, w.toarray().round(4).tolist()
    (['A', 'B'], [[0.5406, 0.2703, 0.0], [0.0, 0.4055, 0.6264]])
    """
    if counts.shape[0] != len(classes):
        raise ValueError(f"counts has {counts.shape[0]} rows but classes has {len(classes)} labels")
    tf, labels = dtm_group(sparse.csr_matrix(counts, dtype=float), list(classes))
    sizes = np.asarray(tf.sum(axis=1)).ravel()
    total = np.asarray(tf.sum(axis=0)).ravel()
    mean_size = sizes.mean()
    with np.errstate(divide="ignore", invalid="ignore"):
        idf = np.where(total > 0, np.log1p(mean_size / total), 0.0)
        inv = np.where(sizes > 0, 1.0 / sizes, 0.0)
    weights = sparse.diags(inv) @ tf @ sparse.diags(idf)
    return sparse.csr_matrix(weights), labels


def class_terms(texts: Sequence[str], classes: Sequence[str], codebook=None, n: int = 10) -> pd.DataFrame:
    """The ``n`` heaviest c-TF-IDF terms of each class: ``class, rank, term, weight, count``.

    Texts are prepared as for the other measures (false friends masked, negated seeds
    dropped, multiword seeds joined) and counted as stems without stopwords.
    """
    vec = bag_vectorizer("count", Lexicon(as_codebook(codebook)))
    counts = vec.fit_transform(texts_check(texts))
    weights, labels = class_tfidf(counts, classes)
    tf, _ = dtm_group(counts, list(classes))
    terms = vec.get_feature_names_out()
    rows = []
    for k, label in enumerate(labels):
        row = weights.getrow(k).toarray().ravel()
        order = np.lexsort((terms, -row))[:n]
        rows += [dict(**{"class": label}, rank=r + 1, term=terms[j], weight=row[j], count=int(tf[k, j]))
                 for r, j in enumerate(order) if row[j] > 0]
    return pd.DataFrame(rows, columns=["class", "rank", "term", "weight", "count"])
