"""Topics → frames: alignment with the codebook's poles, and the topic network (ANTMN)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import networkx as nx
import numpy as np
import pandas as pd

from ..config import SEED
from ..text import Analyzer
from ..text import stem as stem_token
from .stability import row_cosine


def topic_pole_alignment(topic_term: np.ndarray, terms: Sequence[str],
                         poles: Mapping[str, Sequence[str]], analyzer=None,
                         match: str = "stem") -> pd.DataFrame:
    """Cosine of each topic-term vector with each frame pole's seed-term vector.

    Each seed term (or any pole text, such as a prototype passage) is split into
    tokens by ``analyzer`` (multi-word seeds contribute each content word). A pole's
    vector puts, on every vocabulary term, the number of the pole's tokens that match
    it, so the cosine measures how much of a topic's weight falls on the pole's words.

    Parameters
    ----------
    topic_term : array (K, V)
    terms : sequence of str (V,)
    poles : mapping pole name → list of seed terms or texts
    analyzer : callable, optional
        Text → tokens; use the model's (``model.vectorizer_.analyzer``). Default:
        :class:`analysis.text.Analyzer` with its defaults.
    match : {"stem", "exact"}, default "stem"
        Match tokens to vocabulary terms on their Snowball stems (``deterred``
        matches ``deter``), as the codebook's measures do, or exactly.

    Returns
    -------
    DataFrame
        topic, pole, cosine (NaN when no vocabulary term matches), n_terms_found
        (vocabulary terms matched)

    Examples
    --------
    >>> a = topic_pole_alignment(np.array([[0.5, 0.5, 0.0]]), ["axis", "resistance", "oil"],
    ...                          {"ideology": ["axis of resistance"]})
    >>> a[["pole", "n_terms_found"]].values.tolist(), a["cosine"].round(3).tolist()
    ([['ideology', 2]], [1.0])
    """
    if not poles:
        raise ValueError("poles is empty: pass {pole_name: [seed terms]} or the codebook's seed_terms()")
    if match not in ("stem", "exact"):
        raise ValueError(f"match must be 'stem' or 'exact', not {match!r}")
    phi = np.asarray(topic_term, dtype=float)
    terms = list(terms)
    if len(terms) != phi.shape[1]:
        raise ValueError(f"terms has {len(terms)} entries but topic_term has {phi.shape[1]} "
                         "columns: pass the model's terms_")
    analyzer = analyzer or Analyzer()
    key = stem_token if match == "stem" else str  # stems are cached in analysis.text
    term_keys = [key(t) for t in terms]
    names = sorted(poles)
    vectors = np.zeros((len(names), len(terms)))
    for p, name in enumerate(names):
        if isinstance(poles[name], str):
            raise ValueError(f"poles[{name!r}] is a single string: give a list of seed terms")
        counts = Counter(key(token) for seed_term in poles[name] for token in analyzer(seed_term))
        vectors[p] = [counts.get(k, 0) for k in term_keys]
    cos = row_cosine(phi, vectors)
    found = (vectors > 0).sum(axis=1)
    cos[:, found == 0] = np.nan
    return pd.DataFrame([{"topic": k + 1, "pole": name, "cosine": cos[k, p],
                          "n_terms_found": int(found[p])}
                         for k in range(phi.shape[0]) for p, name in enumerate(names)])


def topic_network(doc_topic: np.ndarray, min_similarity: float = 0.0) -> nx.Graph:
    """Topics as nodes, linked by the cosine similarity of their document-topic columns.

    The network of Walter & Ophir's (2019) analysis of topic model networks (ANTMN):
    topics that appear in the same units are linked, and edges are kept when their
    similarity exceeds ``min_similarity``. Nodes are numbered from 1 and carry their
    ``prevalence`` (mean share over units).

    Examples
    --------
    >>> g = topic_network(np.array([[0.5, 0.5, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 1.0]]))
    >>> [(u, v, round(w, 3)) for u, v, w in sorted(g.edges(data="weight"))]
    [(1, 2, 1.0)]
    """
    theta = np.asarray(doc_topic, dtype=float)
    sim = row_cosine(theta.T, theta.T)
    graph = nx.Graph()
    for k in range(theta.shape[1]):
        graph.add_node(k + 1, prevalence=float(theta[:, k].mean()))
    for i, j in zip(*np.triu_indices(theta.shape[1], k=1)):
        if sim[i, j] > min_similarity:
            graph.add_edge(int(i) + 1, int(j) + 1, weight=float(sim[i, j]))
    return graph


def topic_communities(graph: nx.Graph, resolution: float = 1.0,
                      random_state: int = SEED) -> list[list[int]]:
    """Louvain communities (Blondel et al. 2008) of a topic network, as candidate frames.

    Returns sorted lists of topics, ordered by their smallest member, so that the
    output does not depend on set iteration order.

    Examples
    --------
    >>> g = nx.Graph([(1, 2, {"weight": 1.0})]); g.add_node(3)
    >>> topic_communities(g)
    [[1, 2], [3]]
    """
    found = nx.community.louvain_communities(graph, weight="weight", resolution=resolution,
                                             seed=random_state)
    return sorted((sorted(c) for c in found), key=lambda c: c[0])


def community_alignment(alignment: pd.DataFrame, communities: Sequence[Sequence[int]]) -> pd.DataFrame:
    """Mean topic-pole cosine over the topics of each community.

    Examples
    --------
    >>> a = pd.DataFrame({"topic": [1, 2], "pole": ["p", "p"], "cosine": [0.2, 0.4]})
    >>> community_alignment(a, [[1, 2]]).round(2).values.tolist()
    [[1, 'p', 0.3, 2]]
    """
    member = {t: c + 1 for c, topics in enumerate(communities) for t in topics}
    missing = sorted(set(alignment["topic"]) - set(member))
    if missing:
        raise ValueError(f"topics {missing} are in no community: pass every topic's community")
    frame = alignment.assign(community=alignment["topic"].map(member))
    out = frame.groupby(["community", "pole"], sort=True).agg(
        cosine=("cosine", "mean"), n_topics=("topic", "nunique")).reset_index()
    return out
