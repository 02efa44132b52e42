"""Document-term matrices built with scikit-learn on the project's own tokenizer."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from .text import STOPWORDS, Analyzer


def dtm_vectorizer(kind: str = "count", *, lowercase: bool = True,
                   stopwords: frozenset[str] | None = STOPWORDS, stem: bool = False,
                   ngram_range: tuple[int, int] = (1, 1), min_df: int | float = 1,
                   max_df: int | float = 1.0, sublinear_tf: bool = False,
                   vocabulary: Sequence[str] | None = None):
    """An unfitted scikit-learn vectorizer using :class:`analysis.text.Analyzer`.

    Parameters
    ----------
    kind : {"count", "tfidf"}
        ``CountVectorizer`` or ``TfidfVectorizer`` (smooth idf, l2 norm).
    lowercase, stopwords, stem, ngram_range
        Passed to :class:`~analysis.text.Analyzer`.
    min_df, max_df, vocabulary
        As in scikit-learn.
    sublinear_tf : bool
        ``1 + log(tf)`` (tf-idf only).

    Examples
    --------
    >>> vec = dtm_vectorizer("count").fit(["an axis of resistance", "the axis"])
    >>> list(vec.get_feature_names_out())
    ['axis', 'resistance']
    """
    analyzer = Analyzer(lowercase=lowercase, stopwords=stopwords, stem=stem, ngram_range=ngram_range)
    common = dict(analyzer=analyzer, min_df=min_df, max_df=max_df, vocabulary=vocabulary,
                  dtype=np.float64)
    if kind == "count":
        return CountVectorizer(**common)
    if kind == "tfidf":
        return TfidfVectorizer(**common, sublinear_tf=sublinear_tf)
    raise ValueError(f"kind must be 'count' or 'tfidf', not {kind!r}")


def dtm_frame(matrix: sparse.spmatrix, index: Sequence[str], features: Sequence[str]) -> pd.DataFrame:
    """A dense labelled view of a (small) document-term matrix.

    Examples
    --------
    >>> m = sparse.csr_matrix([[1, 0], [2, 3]])
    >>> dtm_frame(m, ["a", "b"], ["x", "y"]).loc["b", "y"]
    np.int64(3)
    """
    return pd.DataFrame(matrix.toarray(), index=list(index), columns=list(features))


def dtm_group(matrix: sparse.spmatrix, groups: Sequence[str]) -> tuple[sparse.csr_matrix, list[str]]:
    """Sum the rows of ``matrix`` by group label (e.g. paragraphs → articles).

    Returns the grouped matrix and the sorted group labels, one row each.

    Examples
    --------
    >>> g, labels = dtm_group(sparse.csr_matrix([[1, 0], [2, 3], [0, 1]]), ["b", "a", "b"])
    >>> labels, g.toarray().tolist()
    (['a', 'b'], [[2, 3], [1, 1]])
    """
    labels = sorted(set(groups))
    position = {label: i for i, label in enumerate(labels)}
    rows = np.array([position[g] for g in groups])
    indicator = sparse.csr_matrix((np.ones(len(rows)), (rows, np.arange(len(rows)))),
                                  shape=(len(labels), len(rows)))
    grouped = indicator @ sparse.csr_matrix(matrix)
    return sparse.csr_matrix(grouped.astype(matrix.dtype)), labels
