"""Tests for analysis.topics.framing: pole alignment, the topic network and its communities."""
import math
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from analysis.topics.framing import (
    community_alignment, topic_communities, topic_network, topic_pole_alignment,
)

# ------------------------------------------------------------ topics → frames
def test_alignment_cosines_match_hand_computation():
    # topic 1 = (.5, .5, 0, 0), topic 2 = (0, 0, .5, .5) over [axis, resistance, oil, deal]
    # pole p: "axis of resistance" -> (1,1,0,0): cos t1 = 1/(.7071*1.4142) = 1, t2 = 0
    # pole q: ["deal", "oil deals"] -> stems deal x2, oil x1 -> (0,0,1,2):
    #   cos t2 = (.5+1)/(.7071*2.2361) = 1.5/1.581139 = .948683
    phi = np.array([[0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]])
    a = topic_pole_alignment(phi, ["axis", "resistance", "oil", "deal"],
                             {"q": ["deal", "oil deals"], "p": ["axis of resistance"], "r": ["zzz"]})
    cos = a.set_index(["topic", "pole"])["cosine"]
    assert cos[1, "p"] == pytest.approx(1.0) and cos[2, "p"] == pytest.approx(0.0)
    assert cos[2, "q"] == pytest.approx(0.948683, abs=1e-6)
    assert math.isnan(cos[1, "r"])
    found = a.drop_duplicates("pole").set_index("pole")["n_terms_found"]
    assert found.to_dict() == {"p": 2, "q": 2, "r": 0}


def test_alignment_exact_match_does_not_stem():
    a = topic_pole_alignment(np.array([[1.0, 0.0]]), ["deal", "oil"], {"q": ["deals"]}, match="exact")
    assert a["n_terms_found"].iloc[0] == 0


@pytest.mark.parametrize("poles, terms, match", [
    ({}, ["a", "b"], "poles is empty"),
    ({"p": "axis"}, ["a", "b"], "single string"),
    ({"p": ["a"]}, ["a"], "terms has 1 entries"),
])
def test_alignment_rejects_bad_input(poles, terms, match):
    with pytest.raises(ValueError, match=match):
        topic_pole_alignment(np.array([[0.5, 0.5]]), terms, poles)


def test_topic_network_edges_are_cosines_of_doc_topic_columns():
    # columns t1=(1,.5,0) t2=(0,.5,0) t3=(0,0,1)
    # cos(t1,t2) = .25/(1.118034*.5) = .447214; t3 is orthogonal to both
    theta = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    g = topic_network(theta)
    assert sorted(g.nodes) == [1, 2, 3]
    assert [(u, v) for u, v in g.edges] == [(1, 2)]
    assert g.edges[1, 2]["weight"] == pytest.approx(0.447214, abs=1e-6)
    # prevalence = column means 1.5/3, .5/3, 1/3
    assert g.nodes[1]["prevalence"] == pytest.approx(0.5)
    assert g.nodes[2]["prevalence"] == pytest.approx(1 / 6)
    assert topic_network(theta, min_similarity=0.5).number_of_edges() == 0


def test_communities_split_two_cliques():
    g = nx.Graph()
    g.add_weighted_edges_from([(1, 2, 0.9), (2, 3, 0.9), (1, 3, 0.9),
                               (4, 5, 0.9), (5, 6, 0.9), (4, 6, 0.9), (3, 4, 0.05)])
    assert topic_communities(g, random_state=0) == [[1, 2, 3], [4, 5, 6]]
    assert topic_communities(g, random_state=0) == topic_communities(g, random_state=0)


def test_community_alignment_averages_member_topics():
    a = pd.DataFrame({"topic": [1, 2, 3], "pole": ["p"] * 3, "cosine": [0.2, 0.4, 0.9]})
    out = community_alignment(a, [[1, 2], [3]])
    np.testing.assert_allclose(out[["community", "cosine", "n_topics"]].to_numpy(dtype=float),
                               [[1, 0.3, 2], [2, 0.9, 1]])
    with pytest.raises(ValueError, match=r"topics \[3\] are in no community"):
        community_alignment(a, [[1, 2]])
