"""Tests for analysis.target_window on the study corpus."""
from __future__ import annotations

import numpy as np

from analysis.annotations import load_annotations
from analysis.codebook import load_codebook

CB = load_codebook()


def test_target_window_effect_on_the_study_corpus(study_corpus):
    from analysis.frame_tables import unit_scores
    from analysis.frames import FrameScorer
    from analysis.target_window import target_window_effect

    paragraphs = study_corpus.paragraphs
    codes = load_annotations(codebook=CB, unit_ids=paragraphs["unit_id"]).reconciled
    units = unit_scores(paragraphs, FrameScorer(CB).fit(paragraphs["text"].tolist()))
    # window 0 is the study's own setting: nothing changes
    same, seeds0, auc0 = target_window_effect(paragraphs, units, codes, CB, "alliance", 0)
    np.testing.assert_array_equal(same["window_index"], same["measured_index"])
    assert (seeds0["kept"] == seeds0["seeds"]).all()
    np.testing.assert_array_equal(auc0["auc_all"], auc0["auc_window"])
    # a window keeps some seeds and drops others, article by article
    positions, seeds, auc = target_window_effect(paragraphs, units, codes, CB, "alliance", 10)
    assert list(positions.columns) == ["contrast", "doc_id", "hand_index", "measured_index", "window_index",
                                       "window_low", "window_high"]
    assert len(positions) == paragraphs["doc_id"].nunique()
    assert ((positions["window_low"] <= positions["window_index"])
            & (positions["window_index"] <= positions["window_high"])).all()
    assert (seeds["kept"] <= seeds["seeds"]).all() and (seeds["kept"] < seeds["seeds"]).any()
    assert seeds[["seeds"]].equals(seeds0[["seeds"]])
    assert auc["measure"].tolist() == ["dict", "tfidf", "lss", "combined"]
    # the refit goes through ``fit`` when one is given, with the windowed codebook, and gives the same tables
    calls = []

    def fit(scorer, texts):
        calls.append(scorer.codebook)
        return scorer.fit(texts)

    again = target_window_effect(paragraphs, units, codes, CB, "alliance", 10, fit=fit)
    assert len(calls) == 1 and calls[0].contrasts["alliance"].target_window == 10
    for mine, theirs in zip(again, (positions, seeds, auc)):
        assert mine.equals(theirs)
