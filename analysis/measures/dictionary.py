"""The dictionary measure: rates of each pole's seed terms, with negation and false friends.

Dictionary (:class:`DictionaryScorer`, prefix ``dict_``)
    ``rate(pole) = 1000 * matches(pole) / tokens`` (all word tokens of the unit);
    ``salience = rate(positive) + rate(negative)``; the index is the smoothed log ratio
    of the two counts, ``log((matches(positive) + 0.5) / (matches(negative) + 0.5))``
    (Lowe et al. 2011): zero without evidence, it depends on the balance of the evidence
    and not on the unit's length, so a one-line heading with one match is not an outlier.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ..codebook import as_codebook
from ..lexicon import lexicon_of, texts_check

def dictionary_scores(counts: np.ndarray, tokens: np.ndarray, n_contrasts: int, per: float = 1000.0,
                      smoothing: float = 0.5) -> np.ndarray:
    """The dictionary's columns from seed counts: per contrast the negative and positive
    pole's rate, the index and the salience, then the word count (the measure's formula,
    used by :class:`DictionaryScorer` and by the multiverse's variants of the counting).

    Parameters
    ----------
    counts : ndarray (n, 2 * n_contrasts)
        Counted seed matches per pole, each contrast's negative pole first.
    tokens : ndarray (n,)
        Word tokens per unit.

    Examples
    --------
    >>> dictionary_scores(np.array([[1.0, 0.0]]), np.array([8.0]), 1).round(3).tolist()
    [[125.0, 0.0, -1.099, 125.0, 8.0]]
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = np.where(tokens[:, None] > 0, per * counts / tokens[:, None], 0.0)
    columns = []
    for k in range(n_contrasts):
        neg, pos = rates[:, 2 * k], rates[:, 2 * k + 1]
        index = np.log((counts[:, 2 * k + 1] + smoothing) / (counts[:, 2 * k] + smoothing))
        columns += [neg, pos, index, pos + neg]
    return np.column_stack(columns + [tokens])


class DictionaryScorer(TransformerMixin, BaseEstimator):
    """Rate of each pole's seed terms per 1,000 tokens, with negation and false friends.

    Parameters
    ----------
    codebook : Codebook, path or None
        None reads the study's ``corpus/codebook.toml``.
    per : float, default 1000
        Rates are per this many word tokens.
    smoothing : float, default 0.5
        Added to both counts of the index's log ratio.

    Examples
    --------
    >>> d = DictionaryScorer().fit([])
    >>> row = d.transform(["a marriage of convenience, not an ideological alliance"])[0]
    >>> dict(zip(d.get_feature_names_out()[:4], row[:4].round(3)))
    {'dict_transactional': np.float64(125.0), 'dict_ideological': np.float64(0.0), 'dict_alliance': np.float64(-1.099), 'dict_alliance_salience': np.float64(125.0)}
    """

    def __init__(self, codebook=None, per: float = 1000.0, smoothing: float = 0.5):
        self.codebook = codebook
        self.per = per
        self.smoothing = smoothing

    def fit(self, X=None, y=None):
        """Compile the codebook (the dictionary learns nothing from the corpus)."""
        self.codebook_ = as_codebook(self.codebook)
        self.lexicon_ = lexicon_of(self.codebook_)
        return self

    def counts(self, X) -> tuple[np.ndarray, np.ndarray]:
        """Non-negated matches per pole (n x poles, codebook order) and word tokens per unit."""
        check_is_fitted(self, "lexicon_")
        return self._counts([self.lexicon_.analyse(t) for t in texts_check(X)])

    def _counts(self, analyses) -> tuple[np.ndarray, np.ndarray]:
        column = {p.name: j for j, p in enumerate(self.codebook_.poles)}
        counts = np.zeros((len(analyses), len(column)))
        tokens = np.zeros(len(analyses))
        for i, (spans, _, matches) in enumerate(analyses):
            tokens[i] = len(spans)
            for m in matches:
                if m.counted:
                    counts[i, column[m.pole]] += 1
        return counts, tokens

    def transform(self, X) -> np.ndarray:
        check_is_fitted(self, "lexicon_")
        return self.transform_analyses([self.lexicon_.analyse(t) for t in texts_check(X)])

    def transform_analyses(self, analyses) -> np.ndarray:
        """The scores of texts already analysed by the lexicon (:meth:`analysis.lexicon.Lexicon.analyse`)."""
        return self.scores_from_counts(*self._counts(analyses))

    def scores_from_counts(self, counts: np.ndarray, tokens: np.ndarray) -> np.ndarray:
        """The scores from :meth:`counts`' two arrays, however they were counted."""
        check_is_fitted(self, "codebook_")
        return dictionary_scores(counts, tokens, len(self.codebook_.contrasts), self.per, self.smoothing)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "lexicon_")
        names = []
        for c in self.codebook_.contrasts.values():
            names += [f"dict_{c.negative.name}", f"dict_{c.positive.name}", f"dict_{c.name}",
                      f"dict_{c.name}_salience"]
        return np.array(names + ["dict_tokens"], dtype=object)

    def match_table(self, X, unit_ids: Sequence[str] | None = None) -> pd.DataFrame:
        """Every match in every unit: ``unit_id, term, pole, contrast, start, end, negated, off_target, context``."""
        check_is_fitted(self, "lexicon_")
        texts = texts_check(X)
        ids = list(unit_ids) if unit_ids is not None else [str(i) for i in range(len(texts))]
        rows = []
        for uid, text in zip(ids, texts):
            for m in self.lexicon_.matches(text):
                rows.append(dict(unit_id=uid, term=m.term, pole=m.pole, contrast=m.contrast, start=m.start,
                                 end=m.end, negated=m.negated, off_target=m.off_target,
                                 context=text[max(0, m.start - 60):m.end + 60]))
        return pd.DataFrame(rows, columns=["unit_id", "term", "pole", "contrast", "start", "end", "negated",
                                           "off_target", "context"])
