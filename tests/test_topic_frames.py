"""Tests for analysis.topic_frames: the topic-based measure's contract, centring and determinism."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from analysis.codebook import load_codebook
from analysis.topic_frames import TopicFrameScorer

CB = load_codebook()


DOCS = ["a bargain of convenience and a pragmatic bargain", "pragmatic leverage and a bargain over oil",
        "shared ideology and revolutionary solidarity", "ideology solidarity and a revolutionary creed",
        "deterrence by retaliation and escalation", "credibility reputation and resolve"] * 2


def test_topic_scorer_contract_and_centring():
    scorer = TopicFrameScorer(CB, n_components=3, min_df=1, random_state=1)
    assert clone(scorer).get_params() == scorer.get_params()
    fitted = scorer.fit(DOCS)
    frame = fitted.transform_frame(DOCS)
    assert frame.columns.tolist() == fitted.get_feature_names_out().tolist()
    # centred on the mean of the fitted units
    assert frame["topic_alliance"].mean() == pytest.approx(0.0, abs=1e-12)
    # index = theta (a_pos - a_neg) - centre, salience = theta (a_pos + a_neg), from the fitted parts
    theta = fitted.model_.transform(DOCS)
    w = fitted.weights_
    expected = theta @ (w["ideological"] - w["transactional"]).to_numpy() - fitted.centre_["alliance"]
    assert np.allclose(frame["topic_alliance"], expected)
    assert (frame["topic_force_salience"] >= 0).all()
    # the ideological paragraphs score above the transactional ones
    assert frame["topic_alliance"][2] > frame["topic_alliance"][0]


def test_topic_scorer_is_deterministic():
    a = TopicFrameScorer(CB, n_components=3, min_df=1).fit(DOCS).transform(DOCS)
    b = TopicFrameScorer(CB, n_components=3, min_df=1).fit(DOCS).transform(DOCS)
    assert np.array_equal(a, b)
