"""Tests for analysis.frame_tables: paragraph and article tables on toy corpora, and the study's
face-validity checks on its committed article scores."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.frame_tables import (column_weights, doc_differences, measure_agreement, score_corpus, seed_concordance,
                                   unit_weights)
from analysis.frames import FrameScorer
from analysis.measures.dictionary import DictionaryScorer
from toys import COMBO, toy_codebook


@pytest.fixture
def cb(tmp_path):
    return toy_codebook(tmp_path)


def _toy_units(cb, doc_ids=("a", "a", "a", "b", "b", "b")):
    paragraphs = pd.DataFrame({"doc_id": list(doc_ids), "unit_id": [f"u{i}" for i in range(6)], "text": COMBO})
    return score_corpus(paragraphs, scorer=FrameScorer(cb, n_components=2, context="paragraph").fit(COMBO),
                        n_boot=200)


def test_score_corpus_tables(cb):
    units, docs = _toy_units(cb)
    assert list(units.columns[:7]) == ["doc_id", "unit_id", "text", "alliance_index", "force_index",
                                       "alliance_salience", "force_salience"]
    assert list(docs.columns[:9]) == ["doc_id", "alliance_index", "alliance_low", "alliance_high", "force_index",
                                      "force_low", "force_high", "alliance_salience", "force_salience"]
    assert docs["doc_id"].tolist() == ["a", "b"] and docs["n_units"].tolist() == [3, 3]
    assert docs.loc[0, "alliance_low"] <= docs.loc[0, "alliance_index"] <= docs.loc[0, "alliance_high"]
    # article b says nothing about alliances (no seed, no prototype term): it has no position there
    assert np.isnan(docs.loc[1, "alliance_index"]) and docs.loc[1, "alliance_salience"] == 0
    # article position = evidence-weighted mean of its paragraphs (weights: salience x tokens)
    a = units[units.doc_id == "a"]
    w = a["alliance_salience"] * a["dict_tokens"]
    assert docs.loc[0, "alliance_index"] == pytest.approx((w * a["alliance_index"]).sum() / w.sum())
    # article salience = length-weighted mean, so the dictionary's is the pooled rate: article a has
    # 3 + 2 + 2 = 7 words ('deal x zq', 'x x', 'ideology x') and 2 alliance matches -> 1000 * 2 / 7
    assert docs.loc[0, "dict_alliance_salience"] == pytest.approx(1000 * 2 / 7)


def test_weights_helpers():
    u = pd.DataFrame({"dict_tokens": [4, 2], "alliance_salience": [0.5, 0.0]})
    assert unit_weights(u, ["alliance"]).to_dict("list") == {"tokens": [4.0, 2.0], "alliance_evidence": [2.0, 0.0]}
    assert column_weights(["alliance_index", "alliance_salience"], ["alliance"]) == {
        "alliance_index": "alliance_evidence", "alliance_salience": "tokens"}


def test_doc_differences_and_agreement(cb):
    units, _ = _toy_units(cb, doc_ids=("a", "a", "b", "a", "b", "b"))
    diffs = doc_differences(units, ["alliance", "force"], n_perm=50, n_boot=50)
    assert diffs[["measure", "doc_a", "doc_b"]].values.tolist() == [["alliance_index", "a", "b"],
                                                                    ["force_index", "a", "b"]]
    assert diffs["q_value"].notna().all() and (diffs["q_value"] >= diffs["p_value"]).all()
    table, summary = measure_agreement(units, "alliance")
    assert summary["framed"] == 2  # only 'deal x zq' and 'ideology x' hold an alliance seed
    assert set(table["unit_id"]) == {"u0", "u2"}


def test_score_corpus_rejects_bad_tables(cb):
    with pytest.raises(ValueError, match="no column 'unit_id'"):
        score_corpus(pd.DataFrame({"doc_id": ["a"], "text": ["x"]}), cb)
    with pytest.raises(ValueError, match="unit_id 'u' occurs twice"):
        score_corpus(pd.DataFrame({"doc_id": ["a", "a"], "unit_id": ["u", "u"], "text": ["x", "y"]}), cb)


DOC_SCORES = config.ROOT / "results" / "tables" / "doc_scores.csv"


needs_results = pytest.mark.skipif(not DOC_SCORES.exists(),
                                   reason="results/tables/doc_scores.csv does not exist yet: run `make report`")


@pytest.fixture(scope="module")
def study_docs():
    return pd.read_csv(DOC_SCORES).set_index("doc_id")


TRANSFER = ("known failure, reported rather than tuned away: the alliance index is the supervised measure, "
            "chosen by leave-one-writer-out cross-validation on the written exemplars; it was never fitted to the "
            "articles, and on them it ranks Lobel 2022 among the most transactional (README, 'What the study finds')")


@needs_results
@pytest.mark.xfail(strict=True, reason=TRANSFER)
def test_lobel_is_the_most_ideological(study_docs):
    assert study_docs["alliance_index"].idxmax() == "lobel-2022"


@needs_results
def test_bpj_leans_transactional(study_docs):
    assert study_docs.loc["bpj-2015", "alliance_index"] < 0


@needs_results
@pytest.mark.xfail(strict=True, reason=TRANSFER)
def test_bpj_is_more_transactional_than_lobel(study_docs):
    assert study_docs.loc["bpj-2015", "alliance_index"] < study_docs.loc["lobel-2022", "alliance_index"]


@needs_results
def test_aljazeera_is_the_most_credibility_framed(study_docs):
    assert study_docs["force_index"].idxmax() == "aljazeera-2024"


@needs_results
def test_wsj_leans_more_to_deterrence_than_aljazeera(study_docs):
    assert study_docs.loc["wsj-2024", "force_index"] < study_docs.loc["aljazeera-2024", "force_index"]


@needs_results
def test_study_intervals_contain_estimates(study_docs):
    for c in ("alliance", "force"):
        assert (study_docs[f"{c}_low"] <= study_docs[f"{c}_index"]).all()
        assert (study_docs[f"{c}_index"] <= study_docs[f"{c}_high"]).all()
    assert (study_docs[["alliance_salience", "force_salience"]] >= 0).all().all()
    assert not math.isnan(study_docs["alliance_index"].sum())


def test_match_table_and_concordance_name_off_target_matches(targeted):
    cb, _ = targeted
    table = DictionaryScorer(cb).fit().match_table(["a deal of sorts", "a pact and deal"], ["u1", "u2"])
    assert table[["unit_id", "off_target"]].values.tolist() == [["u1", True], ["u2", False]]
    units = pd.DataFrame({"unit_id": ["u1", "u2"], "text": ["a deal of sorts", "a pact and deal"]})
    conc = seed_concordance(units, cb, "transactional")
    assert conc["status"].tolist() == ["off target", "counted"]
