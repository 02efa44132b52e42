"""What a topic is: its top terms by probability and by FREX, labels, typical units."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .diagnostics import N_TERMS, frex_scores
from .sweep import TopicSweep, medoid_runs


def topic_terms_table(topic_term: np.ndarray, terms: Sequence[str], n_terms: int = N_TERMS,
                      frex_weight: float = 0.5) -> pd.DataFrame:
    """Top terms of each topic by probability and by FREX, in one long table.

    A term is listed when it is among a topic's ``n_terms`` most probable or its
    ``n_terms`` highest-FREX terms. ``rank`` is its probability rank and
    ``frex_rank`` its FREX rank in the whole vocabulary (1 = first); sort by
    ``frex_rank`` for FREX labels. Topics are numbered from 1.

    Returns
    -------
    DataFrame
        topic, rank, term, weight, frex, frex_rank

    Examples
    --------
    >>> t = topic_terms_table(np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]), ["a", "b", "c"], 1)
    >>> t[["topic", "term", "rank", "frex_rank"]].values.tolist()
    [[1, 'a', 1, 1], [2, 'c', 1, 1]]
    """
    phi = np.asarray(topic_term, dtype=float)
    terms = np.asarray(terms, dtype=object)
    if len(terms) != phi.shape[1]:
        raise ValueError(f"terms has {len(terms)} entries but topic_term has {phi.shape[1]} "
                         "columns: pass the model's terms_")
    frex = frex_scores(phi, frex_weight)
    n = min(n_terms, phi.shape[1])
    prob_order = np.argsort(-phi, axis=1, kind="stable")
    frex_order = np.argsort(-frex, axis=1, kind="stable")
    rows = []
    for k in range(phi.shape[0]):
        prob_rank = np.empty(phi.shape[1], dtype=int)
        prob_rank[prob_order[k]] = np.arange(1, phi.shape[1] + 1)
        frex_rank = np.empty(phi.shape[1], dtype=int)
        frex_rank[frex_order[k]] = np.arange(1, phi.shape[1] + 1)
        shown = sorted(set(prob_order[k, :n]) | set(frex_order[k, :n]), key=lambda w: prob_rank[w])
        rows.extend({"topic": k + 1, "rank": int(prob_rank[w]), "term": terms[w],
                     "weight": phi[k, w], "frex": frex[k, w], "frex_rank": int(frex_rank[w])}
                    for w in shown)
    return pd.DataFrame(rows)


def sweep_terms_table(sweep: TopicSweep, n_terms: int = N_TERMS,
                      frex_weight: float = 0.5) -> pd.DataFrame:
    """:func:`topic_terms_table` of the medoid run of every (model, k) of a sweep.

    Returns
    -------
    DataFrame
        model, k, seed, topic, rank, term, weight, frex, frex_rank
    """
    parts = []
    for model, k, seed in medoid_runs(sweep.diagnostics).itertuples(index=False):
        table = topic_terms_table(sweep.topic_term[model, k, seed], sweep.terms[model],
                                  n_terms, frex_weight)
        parts.append(table.assign(model=model, k=k, seed=seed))
    columns = ["model", "k", "seed", "topic", "rank", "term", "weight", "frex", "frex_rank"]
    return pd.concat(parts, ignore_index=True)[columns]


def topic_labels(terms_table: pd.DataFrame, n_terms: int = 4, by: str = "frex") -> dict[int, str]:
    """A short label per topic: its first ``n_terms`` terms by ``"frex"`` or ``"prob"``.

    Examples
    --------
    >>> t = pd.DataFrame({"topic": [1, 1], "rank": [1, 2], "frex_rank": [2, 1],
    ...                   "term": ["oil", "gas"]})
    >>> topic_labels(t, 2)
    {1: 'gas, oil'}
    """
    key = {"frex": "frex_rank", "prob": "rank"}.get(by)
    if key is None:
        raise ValueError(f"by must be 'frex' or 'prob', not {by!r}")
    ordered = terms_table.sort_values(["topic", key])
    return {int(t): ", ".join(g["term"].head(n_terms)) for t, g in ordered.groupby("topic", sort=True)}


def topic_representatives(doc_topic: np.ndarray, unit_ids: Sequence[str], n: int = 3) -> pd.DataFrame:
    """The ``n`` units with the highest share of each topic (ties: earlier unit first).

    Examples
    --------
    >>> r = topic_representatives(np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]), ["a", "b", "c"], 1)
    >>> r.values.tolist()
    [[1, 1, 'a', 0.9], [2, 1, 'b', 0.8]]
    """
    theta = np.asarray(doc_topic, dtype=float)
    unit_ids = list(unit_ids)
    if len(unit_ids) != theta.shape[0]:
        raise ValueError(f"unit_ids has {len(unit_ids)} entries for {theta.shape[0]} rows "
                         "of doc_topic: pass one id per unit")
    order = np.argsort(-theta, axis=0, kind="stable")[: min(n, theta.shape[0])]
    return pd.DataFrame([{"topic": k + 1, "rank": r + 1, "unit_id": unit_ids[order[r, k]],
                          "share": theta[order[r, k], k]}
                         for k in range(theta.shape[1]) for r in range(order.shape[0])])
