"""Tests for analysis.dispersion: cue offsets counted by hand on toy articles."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.dispersion import COLUMNS, dispersion_table, stance_cues
from toys import toy_codebook

# article a, read in order of start (given out of order):
#   p1  The(0) deal(1) is(2) a(3) marriage(4) of(5) convenience(6).            7 words
#   p2  Critics(7) say(8) it(9) is(10) ideology(11), not(12) credibility(13).   7 words
# article b:
#   p1  No(0) deal(1).                                                          2 words
PARAGRAPHS = pd.DataFrame({
    "doc_id": ["a", "a", "b"],
    "unit_id": ["a.p2", "a.p1", "b.p1"],
    "start": [50, 0, 0],
    "text": ["Critics say it is ideology, not credibility.", "The deal is a marriage of convenience.", "No deal."],
})

EXPECTED = [
    # doc, unit, kind, contrast, pole, side, term, counted, offset
    ("a", "a.p1", "frame", "alliance", "transactional", -1, "deal", True, 1),
    ("a", "a.p1", "frame", "alliance", "transactional", -1, "marriage of convenience", True, 4),
    ("a", "a.p2", "stance", "", "attribution", 0, "critics", True, 7),
    ("a", "a.p2", "frame", "alliance", "ideological", 1, "ideology", True, 11),
    ("a", "a.p2", "stance", "", "negation", 0, "not", True, 12),
    ("a", "a.p2", "frame", "force", "credibility", 1, "credibility", False, 13),  # negated: not counted
    ("b", "b.p1", "stance", "", "negation", 0, "no", True, 0),
    ("b", "b.p1", "frame", "alliance", "transactional", -1, "deal", False, 1),
]


def test_offsets_and_positions_by_hand(tmp_path):
    table = dispersion_table(PARAGRAPHS, toy_codebook(tmp_path))
    assert table.columns.tolist() == COLUMNS
    got = [tuple(r) for r in table[COLUMNS[:-1]].itertuples(index=False)]
    assert got == EXPECTED
    words = {"a": 14, "b": 2}
    assert table["position"].tolist() == pytest.approx([r[-1] / words[r[0]] for r in EXPECTED])
    assert table["position"].between(0, 1, inclusive="left").all()


def test_same_input_same_table(tmp_path):
    codebook = toy_codebook(tmp_path)
    pd.testing.assert_frame_equal(dispersion_table(PARAGRAPHS, codebook),
                                  dispersion_table(PARAGRAPHS.iloc[::-1], codebook))


def test_paragraphs_without_start_are_read_in_the_order_given(tmp_path):
    table = dispersion_table(PARAGRAPHS.drop(columns="start"), toy_codebook(tmp_path))
    # a.p2 now comes first: its cues start at 0, a.p1's at 7
    a = table[table["doc_id"] == "a"]
    assert a.loc[a["term"] == "critics", "offset"].item() == 0
    assert a.loc[a["term"] == "deal", "offset"].item() == 8


def test_a_stance_cue_counts_only_when_it_opens_a_scope():
    # "not" at the end of a sentence tags nothing, so it is no cue; "rather than" is a rejection
    assert [(c["pole"], c["term"], c["word"]) for c in stance_cues("It is not. A pact rather than a creed.")] == [
        ("rejection", "rather than", 5)]


def test_an_article_without_cues_gives_an_empty_table_with_the_columns(tmp_path):
    table = dispersion_table(pd.DataFrame({"doc_id": ["a"], "unit_id": ["a.p1"], "text": ["Plain words."]}),
                             toy_codebook(tmp_path))
    assert table.empty and table.columns.tolist() == COLUMNS


@pytest.mark.parametrize("bad, match", [
    (PARAGRAPHS.drop(columns="text"), "paragraphs has no column 'text'"),
    (PARAGRAPHS.assign(unit_id="x"), "unit_id 'x' occurs twice"),
    (["a text"], "paragraphs must be a DataFrame"),
])
def test_bad_paragraphs_are_named(bad, match):
    with pytest.raises(ValueError, match=match):
        dispersion_table(bad)
