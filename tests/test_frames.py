"""Tests for analysis.frames: the combination of the measures into the index and salience."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.frames import FrameScorer
from toys import COMBO, toy_codebook


@pytest.fixture
def cb(tmp_path):
    return toy_codebook(tmp_path)


def test_combined_index_is_mean_of_standardised_measures(cb):
    scorer = FrameScorer(cb, n_components=2, context="paragraph").fit(COMBO)
    out = scorer.transform_frame(COMBO)
    # dictionary alliance index: log(.5/1.5) = -1.0986 for 'deal', +1.0986 for 'ideology', 0 elsewhere;
    # its sd (ddof 1) over the six units is sqrt(2 * 1.0986^2 / 5) = 0.694833, and it is not centred,
    # so z = [-1.581139, 0, 1.581139, 0, 0, 0].
    assert out["z_dict_alliance"].tolist() == pytest.approx([-1.581139, 0, 1.581139, 0, 0, 0], abs=1e-5)
    lss = out["lss_alliance"]
    assert out["z_lss_alliance"].to_numpy() == pytest.approx(((lss - lss.mean()) / lss.std(ddof=1)).to_numpy())
    expected = out[["z_dict_alliance", "z_tfidf_alliance", "z_lss_alliance"]].mean(axis=1)
    assert out["alliance_index"].to_numpy() == pytest.approx(expected.to_numpy())
    assert (out[["alliance_salience", "force_salience"]] >= 0).all().all()
    # salience: each measure's salience divided by its corpus mean, then averaged; the corpus mean is 1
    assert out["alliance_salience"].mean() == pytest.approx(1.0)
    assert list(out.columns[:4]) == ["alliance_index", "force_index", "alliance_salience", "force_salience"]


def test_fit_once_transform_many(cb):
    scorer = FrameScorer(cb, n_components=2, context="paragraph").fit(COMBO)
    one = scorer.transform(["a deal here", "credibility there"])
    two = scorer.transform(["credibility there"])
    assert one[1] == pytest.approx(two[0], nan_ok=True)  # a unit's score does not depend on its neighbours


def test_target_window_reaches_every_measure(targeted):
    cb, plain = targeted
    texts = COMBO + ["a deal of sorts with them", "a pact and deal", "an ideology for allies"]
    t = FrameScorer(cb, n_components=2, context="paragraph").fit(texts).transform_frame(texts)
    p = FrameScorer(plain, n_components=2, context="paragraph").fit(texts).transform_frame(texts)
    off = len(COMBO)  # 'a deal of sorts with them': its only seed is off target
    assert t.loc[off, "dict_alliance_salience"] == 0 and p.loc[off, "dict_alliance_salience"] > 0
    assert t.loc[off, "tfidf_transactional"] == 0 and p.loc[off, "tfidf_transactional"] > 0
    assert t.loc[off, "lss_terms"] == p.loc[off, "lss_terms"] - 1




def test_nested_parameters_reach_the_dictionary_and_the_prototypes():
    from sklearn.base import clone

    from analysis.measures.dictionary import DictionaryScorer
    from analysis.measures.prototypes import PrototypeScorer

    texts = ["A pragmatic bargain, a deal of convenience.", "A shared ideology and creed.",
             "Deterrence by the threat of retaliation.", "Credibility, resolve and prestige.", "Wheat and oil prices."]
    base = FrameScorer(n_components=2, context="paragraph", dictionary=DictionaryScorer(),
                       prototypes=PrototypeScorer())
    params = base.get_params(deep=True)
    assert params["dictionary__smoothing"] == 0.5 and params["prototypes__sublinear_tf"] is False
    plain = FrameScorer(n_components=2, context="paragraph").fit(texts).transform_frame(texts)
    same = clone(base).fit(texts).transform_frame(texts)
    pd.testing.assert_frame_equal(same, plain, check_exact=True)  # the defaults are the measures' own
    smoother = clone(base).set_params(dictionary__smoothing=2.0).fit(texts)
    # the index is the log ratio of the two poles' seed counts, each plus the smoothing
    row = smoother.transform_frame(texts).iloc[0]
    counts = smoother.dictionary_.counts(texts[:1])[0][0]
    assert row["dict_alliance"] == pytest.approx(np.log((counts[1] + 2.0) / (counts[0] + 2.0)))
    assert smoother.dictionary_.smoothing == 2.0 and smoother.dictionary_.codebook is smoother.codebook_
    sub = clone(base).set_params(prototypes__sublinear_tf=True).fit(texts)
    assert sub.prototypes_.vectorizer_.sublinear_tf is True


def test_small_batches_are_remembered_and_large_ones_not(monkeypatch):
    from analysis import frames
    from analysis.lexicon import lexicon_of

    scorer = FrameScorer(n_components=2, context="paragraph").fit(
        ["A pragmatic bargain.", "A shared ideology.", "Deterrence works.", "Credibility matters."])
    memo = lexicon_of(scorer.codebook_).__dict__.setdefault("_memo", {})
    monkeypatch.setattr(frames, "REMEMBERED_BATCH", 2)
    large = ["stream one, a bargain", "stream two, a creed", "stream three, resolve"]
    analysed = lambda t: (t, True) in memo or (t, False) in memo  # noqa: E731 (one analysis without windows)
    scorer.transform_frame(large)
    assert not any(analysed(t) for t in large)
    small = ["batch one, a bargain", "batch two, a creed"]
    scorer.transform_frame(small)
    assert all(analysed(t) for t in small)
