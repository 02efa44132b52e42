"""Diagnostics of one fitted run: top terms, coherence, exclusivity and FREX.

* **NPMI coherence** (Bouma 2009; Aletras & Stevenson 2013; Röder et al. 2015): for
  each pair of a topic's top-N terms,
  ``NPMI(wi, wj) = log((P(wi, wj) + eps) / (P(wi) P(wj))) / -log(P(wi, wj) + eps)``
  with probabilities estimated as the share of co-occurrence contexts that contain the
  term(s) and ``eps = 1e-12``; a topic's value is the mean over its N(N-1)/2 pairs.
  The contexts are the rows of the matrix passed in: by default the units
  (paragraphs) themselves; :func:`window_doc_term` turns the units into the virtual
  documents of a boolean sliding window of w tokens (Röder et al. 2015), the setting
  of their C_NPMI (w = 10) and of gensim's ``c_npmi``.
* **UMass coherence** (Mimno et al. 2011): with the top-N terms in decreasing order of
  weight, ``log((D(wm, wl) + eps) / D(wl))`` for every pair with l < m, where ``D``
  counts units containing the term(s) and ``eps = 1``; a topic's value is the mean over
  pairs (Mimno et al. sum; the mean keeps values comparable across N).
* **Exclusivity as a mean share** (Bischof & Airoldi 2012): the mean, over a topic's
  top-N terms, of ``phi[k, w] / sum_j phi[j, w]``, where ``phi`` holds the topic-term
  distributions. It runs from ``1/K`` (terms shared evenly) to 1 (terms used by one
  topic only). This is not stm's ``exclusivity()``, which averages FREX scores (a
  harmonic mean of exclusivity and frequency ranks) over the top terms; FREX itself
  is :func:`frex_scores`.

Unless said otherwise the top-N terms are the N = 10 terms of highest weight.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from scipy.stats import rankdata

#: Terms per topic used by coherence, exclusivity and labels.
N_TERMS = 10
#: Smoothing added to joint probabilities (NPMI) and joint counts (UMass).
NPMI_EPS = 1e-12
UMASS_EPS = 1.0


def top_term_indices(topic_term: np.ndarray, n_terms: int = N_TERMS) -> np.ndarray:
    """Column indices of each topic's ``n_terms`` heaviest terms, heaviest first.

    Ties keep vocabulary order, so the result does not depend on the sort algorithm.

    Examples
    --------
    >>> top_term_indices(np.array([[0.1, 0.6, 0.3]]), 2).tolist()
    [[1, 2]]
    """
    topic_term = np.asarray(topic_term, dtype=float)
    if not 1 <= n_terms <= topic_term.shape[1]:
        raise ValueError(f"n_terms must be between 1 and the vocabulary size "
                         f"({topic_term.shape[1]}), not {n_terms}")
    return np.argsort(-topic_term, axis=1, kind="stable")[:, :n_terms]


def _doc_frequencies(doc_term, top_terms: np.ndarray):
    """Document frequencies of, and co-document frequencies between, the terms used."""
    present = (sparse.csr_matrix(doc_term) > 0).astype(float)
    used = np.unique(top_terms)
    sub = present[:, used].toarray()
    position = np.searchsorted(used, top_terms)
    co = sub.T @ sub
    return present.shape[0], np.diag(co), co, position


def coherence_npmi(top_terms: np.ndarray, doc_term, eps: float = NPMI_EPS) -> np.ndarray:
    """Mean pairwise NPMI of each topic's top terms, from co-occurrence in contexts.

    Parameters
    ----------
    top_terms : int array (K, N)
        Column indices of each topic's top terms (see :func:`top_term_indices`).
    doc_term : (n_contexts, V) matrix
        Any document-term matrix; only whether a term occurs in a row is used. The
        units' own matrix counts co-occurrence in the same unit (the study's
        setting); :func:`window_doc_term` gives sliding-window contexts instead.
    eps : float, default 1e-12
        Added to the joint probability so that pairs never seen together score
        close to -1 instead of minus infinity.

    Returns
    -------
    ndarray (K,)

    Examples
    --------
    >>> m = np.array([[1, 1], [1, 1], [0, 1]])
    >>> coherence_npmi(np.array([[0, 1]]), m).round(3).tolist()
    [0.0]
    """
    top_terms = np.atleast_2d(top_terms)
    if top_terms.shape[1] < 2:
        raise ValueError("coherence needs at least 2 top terms per topic: raise n_terms")
    n_units, df, co, pos = _doc_frequencies(doc_term, top_terms)
    p = df / n_units
    joint = co / n_units + eps
    npmi = np.log(joint / np.outer(p, p)) / -np.log(joint)
    i, j = np.triu_indices(top_terms.shape[1], k=1)
    return npmi[pos[:, i], pos[:, j]].mean(axis=1)


def window_doc_term(tokens: Sequence[Sequence[str]], vocabulary: Sequence[str],
                    window: int) -> sparse.csr_matrix:
    """Presence of each vocabulary term in every sliding window of ``window`` tokens.

    Röder, Both & Hinneburg's (2015) boolean sliding window: a window moves over each
    unit one token at a time and every position is a virtual document, so a unit of
    L >= w tokens gives L - w + 1 windows; a unit shorter than the window gives one
    (itself), as gensim does; an empty unit gives none. Windows never cross units.
    Tokens outside ``vocabulary`` still take up their place in the window. Pass the
    result as ``doc_term`` to :func:`coherence_npmi` or :func:`coherence_umass`.

    Parameters
    ----------
    tokens : sequence of token lists
        Each unit's tokens in reading order, e.g. ``[model.vectorizer_.analyzer(t) for t
        in texts]`` (content tokens: windows then count words after stopword removal).
    vocabulary : sequence of str
        The columns, e.g. the model's ``terms_``.
    window : int
        Window length in tokens, at least 2 (a window of 1 has no pairs).

    Returns
    -------
    scipy.sparse.csr_matrix (n_windows, V) of 0/1

    Examples
    --------
    >>> window_doc_term([["a", "b", "c"], ["c"]], ["a", "c"], 2).toarray().tolist()
    [[1, 0], [0, 1], [0, 1]]
    """
    if isinstance(window, bool) or int(window) != window or window < 2:
        raise ValueError(f"window must be an integer of at least 2 tokens, not {window!r}: "
                         "e.g. 10, the setting of Röder et al.'s C_NPMI")
    window = int(window)
    column = {term: j for j, term in enumerate(vocabulary)}
    rows, cols, n_windows = [], [], 0
    for unit in tokens:
        if isinstance(unit, str):
            raise ValueError("tokens must hold one list of tokens per unit, not strings: "
                             "split each text with the model's analyzer")
        ids = np.array([column.get(t, -1) for t in unit], dtype=int)
        if len(ids) == 0:
            continue
        # each row is one window's token ids (-1 outside the vocabulary)
        spans = (np.lib.stride_tricks.sliding_window_view(ids, window) if len(ids) >= window
                 else ids[None, :])
        for offset, span in enumerate(spans):
            kept = np.unique(span[span >= 0])
            rows.append(np.full(len(kept), n_windows + offset))
            cols.append(kept)
        n_windows += len(spans)
    data_rows = np.concatenate(rows) if rows else np.array([], dtype=int)
    data_cols = np.concatenate(cols) if cols else np.array([], dtype=int)
    return sparse.csr_matrix((np.ones(len(data_rows), dtype=int), (data_rows, data_cols)),
                             shape=(n_windows, len(column)))


def coherence_umass(top_terms: np.ndarray, doc_term, eps: float = UMASS_EPS) -> np.ndarray:
    """Mean UMass coherence of each topic's top terms (ordered heaviest first).

    For every pair with l < m (the heavier term ``wl`` is the conditioning term)
    the score is ``log((D(wm, wl) + eps) / D(wl))``.

    Examples
    --------
    >>> m = np.array([[1, 1], [1, 0]])
    >>> float(coherence_umass(np.array([[0, 1]]), m)[0])  # log((1 + 1) / 2)
    0.0
    """
    top_terms = np.atleast_2d(top_terms)
    if top_terms.shape[1] < 2:
        raise ValueError("coherence needs at least 2 top terms per topic: raise n_terms")
    _, df, co, pos = _doc_frequencies(doc_term, top_terms)
    # row index: the heavier (earlier) term; its df is the denominator
    lo, hi = np.triu_indices(top_terms.shape[1], k=1)
    heavier, lighter = pos[:, lo], pos[:, hi]
    return np.log((co[lighter, heavier] + eps) / df[heavier]).mean(axis=1)


def topic_exclusivity(topic_term: np.ndarray, top_terms: np.ndarray) -> np.ndarray:
    """Exclusivity as a mean share: mean of ``phi[k, w] / sum_j phi[j, w]`` over top terms.

    Bischof & Airoldi's (2012) share of a term's weight that topic k holds, averaged
    over the topic's top terms. It is not stm's ``exclusivity()``, which averages
    FREX scores over the top terms (see :func:`frex_scores`).

    Examples
    --------
    >>> phi = np.array([[0.6, 0.4], [0.2, 0.8]])
    >>> topic_exclusivity(phi, np.array([[0], [1]])).round(3).tolist()  # .6/.8, .8/1.2
    [0.75, 0.667]
    """
    phi = np.asarray(topic_term, dtype=float)
    share = phi / phi.sum(axis=0, keepdims=True)
    return np.take_along_axis(share, np.atleast_2d(top_terms), axis=1).mean(axis=1)


def frex_scores(topic_term: np.ndarray, weight: float = 0.5) -> np.ndarray:
    """FREX of every (topic, term): harmonic mean of exclusivity and frequency ranks.

    Roberts, Stewart & Airoldi (2016), after Bischof & Airoldi (2012):
    ``FREX[k, w] = 1 / (weight / ECDF_k(excl[k, w]) + (1 - weight) / ECDF_k(phi[k, w]))``
    with ``excl[k, w] = phi[k, w] / sum_j phi[j, w]`` and ``ECDF_k`` the empirical
    distribution function within topic k over the vocabulary (average rank / V, ties
    sharing their mean rank). Unlike stm's ``labelTopics``, exclusivity is not shrunk
    towards uniform by term counts.

    Parameters
    ----------
    topic_term : array (K, V)
    weight : float in [0, 1], default 0.5
        Weight on exclusivity (0.5 is stm's default: equal weight).

    Examples
    --------
    >>> frex_scores(np.array([[0.6, 0.4], [0.1, 0.9]])).round(3).tolist()
    [[1.0, 0.5], [0.5, 1.0]]
    """
    if not 0 <= weight <= 1:
        raise ValueError(f"weight must lie in [0, 1], not {weight}")
    phi = np.asarray(topic_term, dtype=float)
    n_terms = phi.shape[1]
    excl = phi / phi.sum(axis=0, keepdims=True)
    freq_rank = rankdata(phi, axis=1) / n_terms
    excl_rank = rankdata(excl, axis=1) / n_terms
    return 1.0 / (weight / excl_rank + (1 - weight) / freq_rank)
