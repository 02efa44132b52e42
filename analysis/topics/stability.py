"""Whether topics reappear: matching the topics of two runs, and stability over seeds.

**Stability** (after Greene, O'Callaghan & Cunningham 2014): topics of two runs with
different seeds are matched one-to-one by the Hungarian algorithm (Kuhn 1955) on the
cosine similarity of their topic-term vectors; a run's stability is the mean matched
similarity, averaged over every other run.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment


def row_cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity of every row of ``a`` with every row of ``b`` (0 for zero rows).

    Examples
    --------
    >>> row_cosine(np.array([[1.0, 0.0], [0.0, 0.0]]), np.array([[1.0, 1.0]])).round(3).tolist()
    [[0.707], [0.0]]
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    na, nb = np.linalg.norm(a, axis=1), np.linalg.norm(b, axis=1)
    denom = np.outer(na, nb)
    return np.divide(a @ b.T, denom, out=np.zeros_like(denom), where=denom > 0)


def match_topics(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Match the topics of two runs one-to-one, maximising total cosine similarity.

    Returns, for each topic (row) of ``a``, the index of its partner in ``b`` and
    their cosine similarity.

    Examples
    --------
    >>> partner, sim = match_topics(np.eye(2), np.array([[0.0, 1.0], [1.0, 0.0]]))
    >>> partner.tolist(), sim.tolist()
    ([1, 0], [1.0, 1.0])
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"runs must have the same topics x terms shape, got {a.shape} and "
                         f"{b.shape}: fit both on one vocabulary with the same K")
    sim = row_cosine(a, b)
    rows, cols = linear_sum_assignment(sim, maximize=True)
    partner = np.empty(a.shape[0], dtype=int)
    partner[rows] = cols
    return partner, sim[np.arange(a.shape[0]), partner]


def topic_stability(runs: Sequence[np.ndarray]) -> np.ndarray:
    """Per run and topic: mean matched cosine similarity to the same model's other runs.

    Parameters
    ----------
    runs : sequence of arrays (K, V)
        Topic-term matrices of one model and K fitted with different seeds.

    Returns
    -------
    ndarray (n_runs, K)
        Entry ``[r, k]`` averages, over every other run, the similarity of topic k of
        run r to its Hungarian partner; a run's stability is its row mean.

    Examples
    --------
    >>> runs = [np.eye(2), np.eye(2)[::-1], np.array([[0.6, 0.8], [1.0, 0.0]])]
    >>> topic_stability(runs).round(2).tolist()
    [[1.0, 0.9], [0.9, 1.0], [0.8, 1.0]]
    """
    if len(runs) < 2:
        raise ValueError("stability needs at least 2 runs: pass more seeds")
    n = len(runs)
    total = np.zeros((n, np.asarray(runs[0]).shape[0]))
    for i in range(n):
        for j in range(i + 1, n):
            partner, sim = match_topics(runs[i], runs[j])
            total[i] += sim
            total[j, partner] += sim
    return total / (n - 1)


def compare_topics(a: np.ndarray, b: np.ndarray) -> pd.DataFrame:
    """Each topic of ``a`` with its Hungarian partner in ``b`` and their cosine similarity.

    Both topic-term matrices must share one vocabulary (fit the second model with
    ``vocabulary=first.terms_``).

    Examples
    --------
    >>> compare_topics(np.eye(2), np.eye(2)[::-1]).values.tolist()
    [[1.0, 2.0, 1.0], [2.0, 1.0, 1.0]]
    """
    partner, sim = match_topics(a, b)
    return pd.DataFrame({"topic": np.arange(1, len(partner) + 1), "partner": partner + 1,
                         "similarity": sim})
