"""Document-term matrices built with scikit-learn on the project's own tokenizer."""
from __future__ import annotations

import itertools
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.preprocessing import normalize

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


def dtm_counts(features: Sequence[Sequence[str]], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    """Counts of each document's features over a fitted ``vocabulary`` (unknown features dropped).

    The matrix ``CountVectorizer(vocabulary=vocabulary).transform`` gives for the same
    features, built with one dictionary lookup per feature done in C (``map``) instead of
    a Python loop, which is what makes scoring millions of paragraphs affordable.

    Examples
    --------
    >>> dtm_counts([["a", "b", "a"], ["c"], []], {"a": 0, "b": 1}).toarray().tolist()
    [[2.0, 1.0], [0.0, 0.0], [0.0, 0.0]]
    """
    lengths = np.fromiter(map(len, features), dtype=np.int64, count=len(features))
    flat = [f for doc in features for f in doc]
    index = np.fromiter(map(vocabulary.get, flat, [-1] * len(flat)), dtype=np.int64, count=len(flat))
    rows = np.repeat(np.arange(len(features)), lengths)
    return _counted(rows, index, (len(features), len(vocabulary)))


def dtm_ngram_counts(tokens: Sequence[Sequence[str]], vocabulary: dict[str, int],
                     ngram_max: int = 2) -> sparse.csr_matrix:
    """Counts of each document's tokens and pairs of adjacent tokens over a fitted ``vocabulary``.

    The matrix :func:`dtm_counts` gives for the features ``tokens + ["a b" for adjacent
    a, b]`` (scikit-learn's word n-grams of length 1 and 2, joined by a space), without
    building the pair strings: each token is looked up once, and pairs are found as
    pairs of integer codes with numpy. Pairs never cross from one document to the next.

    Examples
    --------
    >>> vocab = {"oil": 0, "gas": 1, "oil gas": 2, "gas oil": 3}
    >>> dtm_ngram_counts([["oil", "gas", "oil"], ["gas", "army", "oil"]], vocab).toarray().tolist()
    [[2.0, 1.0, 1.0, 1.0], [1.0, 1.0, 0.0, 0.0]]
    """
    table = _ngram_table(vocabulary, ngram_max)
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    flat = [t for doc in tokens for t in doc]
    codes = np.fromiter(map(table.code.get, flat, itertools.repeat(-1, len(flat))), dtype=np.int64,
                        count=len(flat))
    return _ngram_counted(codes, np.repeat(np.arange(len(tokens)), lengths), len(tokens), table, len(vocabulary),
                          ngram_max)


def dtm_ngram_counts_joined(tokens: Sequence[str], separator: str, n_docs: int, vocabulary: dict[str, int],
                            ngram_max: int = 2) -> sparse.csr_matrix:
    """:func:`dtm_ngram_counts` of ``n_docs`` documents given as one list of tokens, in which
    the token ``separator`` stands between two documents.

    The form a tokeniser that reads a whole batch of texts in one pass returns
    (:meth:`analysis.stance.StanceMarker.joined_tokens`): no list per document is built.
    The separator must not be a word of the vocabulary.

    Examples
    --------
    >>> vocab = {"oil": 0, "gas": 1, "oil gas": 2, "gas oil": 3}
    >>> dtm_ngram_counts_joined(["oil", "gas", "oil", "|", "|", "gas", "army", "oil"], "|", 3,
    ...                         vocab).toarray().tolist()
    [[2.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0]]
    """
    table = _ngram_table(vocabulary, ngram_max)
    if separator in table.code:
        raise ValueError(f"the separator {separator!r} is a word of the vocabulary — use a token no text produces")
    code = dict(table.code)
    code[separator] = -2
    codes = np.fromiter(map(code.get, tokens, itertools.repeat(-1, len(tokens))), dtype=np.int64,
                        count=len(tokens))
    ends = codes == -2
    if n_docs == 0:
        if len(tokens):
            raise ValueError(f"{len(tokens)} tokens for 0 documents — pass n_docs, the number of texts joined")
        return sparse.csr_matrix((0, len(vocabulary)))
    if int(ends.sum()) != n_docs - 1:
        raise ValueError(f"{int(ends.sum())} separators for {n_docs} documents — pass one token list whose "
                         f"documents are joined by exactly one separator each")
    return _ngram_counted(codes, np.cumsum(ends), n_docs, table, len(vocabulary), ngram_max)


def _ngram_counted(codes: np.ndarray, rows: np.ndarray, n_docs: int, table: _NgramTable, n_features: int,
                   ngram_max: int) -> sparse.csr_matrix:
    """The count matrix of tokens given as codes (negative: not a word of the vocabulary) and rows."""
    cols = np.full(len(codes), -1, dtype=np.int64)
    known = codes >= 0
    cols[known] = table.column[codes[known]]
    if ngram_max == 2 and len(codes) > 1 and len(table.pair_keys):
        first, second = codes[:-1], codes[1:]
        at = table.pair_keys.get_indexer(first * len(table.column) + second)  # -1: not a feature
        hit = (rows[:-1] == rows[1:]) & (first >= 0) & (second >= 0) & (at >= 0)
        rows = np.concatenate([rows, rows[:-1][hit]])
        cols = np.concatenate([cols, table.pair_columns[at[hit]]])
    return _counted(rows, cols, (n_docs, n_features))


class TermCodes:
    """Integer codes of features, each given the next code the first time it is seen.

    Documents coded once (:meth:`codes`) can be counted again and again for different
    subsets of documents (:func:`dtm_fit_codes`) without hashing or sorting strings:
    the cross-validation folds of a model fitted on exemplars share one table.

    Examples
    --------
    >>> table = TermCodes()
    >>> table.codes(["oil", "gas", "oil"]).tolist(), table.codes(["army"]).tolist()
    ([0, 1, 0], [2])
    >>> table.ranks().tolist()  # each code's place in the sorted features
    [2, 1, 0]
    """

    def __init__(self):
        self.code: dict[str, int] = {}
        self.terms: list[str] = []
        self._ranks = np.empty(0, dtype=np.int64)

    def codes(self, features: Sequence[str]) -> np.ndarray:
        """The codes of ``features``, in order; unseen features get new codes."""
        code, terms = self.code, self.terms
        out = np.empty(len(features), dtype=np.int64)
        for i, f in enumerate(features):
            c = code.get(f)
            if c is None:
                c = code[f] = len(terms)
                terms.append(f)
            out[i] = c
        return out

    def ranks(self) -> np.ndarray:
        """Each code's position among the features sorted as Python sorts strings."""
        if len(self._ranks) != len(self.terms):
            order = sorted(range(len(self.terms)), key=self.terms.__getitem__)
            self._ranks = np.empty(len(order), dtype=np.int64)
            self._ranks[order] = np.arange(len(order))
        return self._ranks


def dtm_fit_codes(documents: Sequence[np.ndarray], table: TermCodes, min_df: int | float = 1,
                  dtype=np.float64) -> tuple[dict[str, int], sparse.csr_matrix]:
    """The vocabulary and count matrix that scikit-learn's ``CountVectorizer`` learns from
    analysed documents (``max_df=1.0``, no ``max_features``), from their codes in ``table``.

    The same vocabulary (features in at least ``min_df`` documents, numbered in sorted
    order; the dictionary's keys in order of first appearance, as scikit-learn leaves
    them) and the same matrix to the order in which each row stores its entries (order
    of first appearance in the documents), so that weights computed from it are
    scikit-learn's to the last bit.

    Examples
    --------
    >>> table = TermCodes()
    >>> docs = [table.codes(d) for d in [["oil", "gas", "oil"], ["army", "gas"], ["oil"]]]
    >>> vocabulary, counts = dtm_fit_codes(docs, table, min_df=2)
    >>> vocabulary, counts.toarray().tolist()
    ({'oil': 1, 'gas': 0}, [[1.0, 2.0], [1.0, 0.0], [0.0, 1.0]])
    """
    rows, flat = _coded(documents, table)
    n = len(documents)
    first, uniques = pd.factorize(flat, sort=False)  # columns in order of first appearance
    if not len(uniques):
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    counts = _counted(rows, first.astype(np.int64, copy=False), (n, len(uniques)))
    low = min_df if isinstance(min_df, (int, np.integer)) else min_df * n
    keep = np.bincount(counts.indices, minlength=len(uniques)) >= low
    if not keep.any():
        raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
    kept = uniques[keep]
    place = np.empty(len(kept), dtype=np.int64)
    place[np.argsort(table.ranks()[kept], kind="stable")] = np.arange(len(kept))
    column = np.full(len(uniques), -1, dtype=np.int64)
    column[keep] = place
    entry = keep[counts.indices]
    indptr = np.concatenate([[0], np.cumsum(entry)])[counts.indptr]
    matrix = sparse.csr_matrix((counts.data[entry].astype(dtype, copy=False), column[counts.indices[entry]], indptr),
                               shape=(n, len(kept)))
    terms = table.terms
    return {terms[c]: p for c, p in zip(kept.tolist(), place.tolist())}, matrix


def dtm_codes_counts(documents: Sequence[np.ndarray], table: TermCodes, vocabulary: dict[str, int],
                     dtype=np.float64) -> sparse.csr_matrix:
    """Counts of a fixed ``vocabulary``'s features in coded documents: the matrix (entries
    sorted in each row) of a ``CountVectorizer`` with that vocabulary, as its ``transform``
    builds it from the decoded documents.

    Examples
    --------
    >>> table = TermCodes()
    >>> docs = [table.codes(d) for d in [["oil", "gas", "oil"], ["army"]]]
    >>> dtm_codes_counts(docs, table, {"gas": 0, "oil": 1}).toarray().tolist()
    [[1.0, 2.0], [0.0, 0.0]]
    """
    column = np.full(len(table.terms), -1, dtype=np.int64)
    for term, j in vocabulary.items():
        c = table.code.get(term)
        if c is not None:
            column[c] = j
    rows, flat = _coded(documents, table)
    counts = _counted(rows, column[flat], (len(documents), len(vocabulary)))
    return counts.astype(dtype, copy=False)


class CodedTfidfVectorizer(TfidfVectorizer):
    """scikit-learn's ``TfidfVectorizer``, which can also be fitted on coded documents.

    :meth:`fit_codes` learns from documents given as codes of a :class:`TermCodes`
    table what :meth:`fit_transform` learns from the same documents as lists of
    features: the same vocabulary, idf and TF-IDF rows, to the last bit (tested on the
    exemplars). Everything else is scikit-learn's, unchanged.
    """

    def fit_codes(self, documents: Sequence[np.ndarray], table: TermCodes) -> sparse.csr_matrix:
        """Fit on coded documents and return their TF-IDF rows (as :meth:`fit_transform` would).

        Counting and pruning by ``min_df`` are :func:`dtm_fit_codes`; the weighting is
        scikit-learn's ``TfidfTransformer``, as in :meth:`fit_transform`. Settings that
        need the raw text or prune otherwise (a fixed vocabulary, binary counts,
        ``max_features``, ``max_df``) are refused.
        """
        self._validate_params()
        self._check_params()
        self._validate_ngram_range()
        self._validate_vocabulary()
        whole = not isinstance(self.max_df, numbers.Integral) and self.max_df == 1.0
        if self.fixed_vocabulary_ or self.binary or self.max_features is not None or not whole:
            raise ValueError("fit_codes learns a vocabulary pruned by min_df only: no fixed vocabulary, binary "
                             "counts, max_features or max_df (keep max_df=1.0)")
        vocabulary, counts = dtm_fit_codes(documents, table, self.min_df, self.dtype)
        self._tfidf = TfidfTransformer(norm=self.norm, use_idf=self.use_idf, smooth_idf=self.smooth_idf,
                                       sublinear_tf=self.sublinear_tf)
        self.vocabulary_ = vocabulary
        self._tfidf.fit(counts)
        return self._tfidf.transform(counts, copy=False)


def _coded(documents: Sequence[np.ndarray], table: TermCodes) -> tuple[np.ndarray, np.ndarray]:
    """The row of every code of ``documents``, and the codes, checked to be ``table``'s."""
    n = len(documents)
    lengths = np.fromiter(map(len, documents), dtype=np.int64, count=n)
    flat = np.concatenate(documents).astype(np.int64, copy=False) if n else np.empty(0, dtype=np.int64)
    if len(flat) and (flat.min() < 0 or flat.max() >= len(table.terms)):
        raise ValueError(f"the documents hold codes outside the table's 0..{len(table.terms) - 1}: code "
                         "them with the same TermCodes table that is passed here")
    return np.repeat(np.arange(n), lengths), flat


def _counted(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    """A count matrix with one count per ``(row, col)`` pair; pairs with ``col < 0`` (unknown) dropped."""
    keep = cols >= 0
    matrix = sparse.csr_matrix((np.ones(int(keep.sum())), (rows[keep], cols[keep])), shape=shape)
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix


@dataclass(frozen=True)
class _NgramTable:
    code: dict          # every word of the vocabulary's entries -> its code
    column: np.ndarray  # code -> column of the word as a feature, or -1
    pair_keys: pd.Index       # codes of pairs (first * n_codes + second), a hash table
    pair_columns: np.ndarray  # the column of each pair in pair_keys


_NGRAM_TABLES: dict[int, tuple[dict, _NgramTable]] = {}


def _ngram_table(vocabulary: dict[str, int], ngram_max: int) -> _NgramTable:
    """The integer tables of :func:`dtm_ngram_counts` for ``vocabulary``, built once per vocabulary."""
    if ngram_max not in (1, 2):
        raise ValueError(f"ngram_max must be 1 or 2, not {ngram_max!r}")
    found = _NGRAM_TABLES.get(id(vocabulary))
    if found is not None and found[0] is vocabulary:
        return found[1]
    # the words of every feature split in one call and numbered in C (pandas), with no list
    # per feature (a cross-validation builds a table for every fold's vocabulary, and many
    # small lists also cost the garbage collector its time)
    n_parts = np.fromiter(map(str.count, vocabulary, itertools.repeat(" ")), dtype=np.int64,
                          count=len(vocabulary)) + 1
    columns = np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary))
    flat = " ".join(vocabulary).split(" ") if vocabulary else []
    codes, words = pd.factorize(np.array(flat, dtype=object), sort=False)
    starts = np.cumsum(n_parts) - n_parts  # where each feature's words begin in ``codes``
    first = codes[starts]
    column = np.full(len(words), -1, dtype=np.int64)
    single, pair = n_parts == 1, n_parts == 2
    column[first[single]] = columns[single]
    second = codes[starts[pair] + 1]
    table = _NgramTable(dict(zip(words.tolist(), range(len(words)))), column,
                        pd.Index(first[pair].astype(np.int64) * len(words) + second), columns[pair])
    _NGRAM_TABLES[id(vocabulary)] = (vocabulary, table)
    while len(_NGRAM_TABLES) > 16:
        del _NGRAM_TABLES[next(iter(_NGRAM_TABLES))]
    return table


def tfidf_weight(counts: sparse.spmatrix, vectorizer) -> sparse.csr_matrix:
    """Term counts weighted as a fitted ``TfidfVectorizer`` weighs them (tf, idf, row norm).

    The same operations, in the same order, as scikit-learn's ``TfidfTransformer.transform``.

    Examples
    --------
    >>> from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    >>> docs = ["oil gas oil", "gas army"]
    >>> vec = TfidfVectorizer().fit(docs)
    >>> counts = CountVectorizer(vocabulary=vec.vocabulary_, dtype=float).transform(docs)
    >>> bool((tfidf_weight(counts, vec) != vec.transform(docs)).nnz == 0)
    True
    """
    weighted = sparse.csr_matrix(counts, dtype=np.float64, copy=True)
    if vectorizer.sublinear_tf:
        np.log(weighted.data, weighted.data)
        weighted.data += 1.0
    if vectorizer.use_idf:
        weighted.data *= vectorizer.idf_[weighted.indices]
    if vectorizer.norm is not None:
        weighted = normalize(weighted, norm=vectorizer.norm, copy=False)
    return weighted
