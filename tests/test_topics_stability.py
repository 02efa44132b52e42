"""Tests for analysis.topics.stability: topic matching and stability against hand computations."""
import numpy as np
import pytest

from analysis.topics.stability import compare_topics, match_topics, topic_stability

# ------------------------------------------------------------------ stability
def test_match_topics_finds_the_best_assignment():
    # cos(a1,b1)=.6 cos(a1,b2)=1 cos(a2,b1)=.8 cos(a2,b2)=0
    # a1->b2, a2->b1 totals 1.8; the other assignment .6
    partner, sim = match_topics(np.eye(2), np.array([[0.6, 0.8], [1.0, 0.0]]))
    assert partner.tolist() == [1, 0]
    np.testing.assert_allclose(sim, [1.0, 0.8])


def test_stability_matches_hand_computation():
    # runs r0 = I, r1 = I reversed, r2 = [[.6,.8],[1,0]]
    # r0~r1: both topics 1.  r0~r2: t1 1, t2 .8.  r1~r2: r1 t1 (0,1) -> r2 t1 .8, r1 t2 -> r2 t2 1
    # r0: t1 (1+1)/2=1,  t2 (1+.8)/2=.9
    # r1: t1 (1+.8)/2=.9, t2 (1+1)/2=1
    # r2: t1 (.8+.8)/2=.8, t2 (1+1)/2=1
    runs = [np.eye(2), np.eye(2)[::-1], np.array([[0.6, 0.8], [1.0, 0.0]])]
    np.testing.assert_allclose(topic_stability(runs), [[1.0, 0.9], [0.9, 1.0], [0.8, 1.0]])


def test_stability_errors():
    with pytest.raises(ValueError, match="at least 2 runs"):
        topic_stability([np.eye(2)])
    with pytest.raises(ValueError, match="same topics x terms shape"):
        match_topics(np.eye(2), np.eye(3))


def test_compare_topics_reports_partners_and_cosines():
    # a1=(1,0) a2=(0,1); b1=(.6,.8) b2=(1,0): best a1->b2 (1), a2->b1 (.8)
    out = compare_topics(np.eye(2), np.array([[0.6, 0.8], [1.0, 0.0]]))
    assert out["partner"].tolist() == [2, 1]
    np.testing.assert_allclose(out["similarity"], [1.0, 0.8])
