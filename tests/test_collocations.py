"""Tests for analysis.collocations: n-gram association scores by hand, and KWIC lines."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.collocations import (COLLOCATION_COLUMNS, KWIC_COLUMNS, collocations,
                                   collocations_by, kwic)

# Tokens: axis resistance | axis resistance | axis war   (| = paragraph break)
# N = 6 tokens; axis 3, resistance 2, war 1; bigram (axis, resistance) 2, (axis, war) 1.
BIGRAM_TEXTS = ["axis resistance", "axis resistance", "axis war"]


def test_bigram_pmi_and_likelihood_ratio_by_hand():
    table = collocations(BIGRAM_TEXTS, n=2, min_count=1, stopwords=None)
    assert list(table.columns) == COLLOCATION_COLUMNS
    row = table.set_index("ngram").loc["axis resistance"]
    assert row["count"] == 2
    # PMI = log2(n_ii * N / (n_i * n_j)) = log2(2 * 6 / (3 * 2)) = log2(2) = 1
    assert row["pmi"] == pytest.approx(1.0)
    # Dunning's G2 on [[n_ii, n_io], [n_oi, n_oo]] = [[2, 1], [0, 3]], N = 6;
    # expected [[3*2/6, 3*4/6], [3*2/6, 3*4/6]] = [[1, 2], [1, 2]]
    # G2 = 2 * (2 ln 2 + 1 ln(1/2) + 0 + 3 ln(3/2)) = 2 * 1.909543 = 3.819085
    expected = 2 * (2 * math.log(2) + math.log(0.5) + 3 * math.log(1.5))
    assert row["likelihood_ratio"] == pytest.approx(expected, rel=1e-9)


def test_trigram_pmi_by_hand():
    # axis of resistance | axis of resistance: N = 6, each word twice, trigram twice.
    # PMI = log2(n_iii * N^2 / (n_a * n_o * n_r)) = log2(2 * 36 / 8) = log2(9) = 3.169925
    table = collocations(["axis of resistance", "axis of resistance"], n=3, min_count=1,
                         stopwords=None)
    assert table.loc[0, "ngram"] == "axis of resistance"
    assert table.loc[0, "pmi"] == pytest.approx(math.log2(9))


def test_ngrams_do_not_cross_paragraphs():
    table = collocations(["axis resistance", "war deal"], n=2, min_count=1, stopwords=None)
    assert "resistance war" not in set(table["ngram"])
    assert set(table["ngram"]) == {"axis resistance", "war deal"}


def test_frequency_floor():
    assert list(collocations(BIGRAM_TEXTS, min_count=2, stopwords=None)["ngram"]) == ["axis resistance"]
    assert collocations(BIGRAM_TEXTS, min_count=3, stopwords=None).empty


def test_stopwords_dropped_only_at_the_edges():
    texts = ["the axis of resistance"] * 3
    bigrams = set(collocations(texts, n=2, min_count=1)["ngram"])
    assert bigrams == set()  # "the axis", "axis of", "of resistance" all touch a stopword
    trigrams = set(collocations(texts, n=3, min_count=1)["ngram"])
    assert trigrams == {"axis of resistance"}  # inner "of" is allowed
    assert "the axis" in set(collocations(texts, n=2, min_count=1, stopwords=None)["ngram"])


def test_collocations_sorted_and_reproducible():
    table = collocations(BIGRAM_TEXTS, min_count=1, stopwords=None)
    assert table["likelihood_ratio"].is_monotonic_decreasing
    pd.testing.assert_frame_equal(table, collocations(BIGRAM_TEXTS, min_count=1, stopwords=None))


def test_collocations_by_group():
    units = pd.DataFrame({"doc_id": ["b", "a", "a"],
                          "text": ["trade deal", "axis resistance", "axis resistance"]})
    table = collocations_by(units, n=2, min_count=2, stopwords=None)
    assert list(table.columns) == ["doc_id"] + COLLOCATION_COLUMNS
    assert table[["doc_id", "ngram", "count"]].values.tolist() == [["a", "axis resistance", 2]]


@pytest.mark.parametrize("call, match", [
    (lambda: collocations(BIGRAM_TEXTS, n=4), "n must be 2"),
    (lambda: collocations(BIGRAM_TEXTS, min_count=0), "min_count"),
    (lambda: collocations("axis resistance"), "single string"),
    (lambda: collocations(["axis", None]), "strings"),
    (lambda: collocations_by(pd.DataFrame({"doc_id": ["a"]})), "lacks column"),
])
def test_collocation_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# --------------------------------------------------------------------------- #
# KWIC                                                                        #
# --------------------------------------------------------------------------- #
UNITS = pd.DataFrame({
    "doc_id": ["d1", "d1", "d2"],
    "unit_id": ["d1.p01", "d1.p02", "d2.p01"],
    "text": ["Iran\u2019s allies met.\nLater IRAN'S ALLIES left.",
             "An axis for trade, not an axis of resistance.",
             "No match here, only axises."],
})


def test_kwic_phrase_case_and_apostrophes():
    lines = kwic(UNITS, "Iran's allies", width=10)
    assert list(lines.columns) == KWIC_COLUMNS
    assert lines["match"].tolist() == ["Iran\u2019s allies", "IRAN'S ALLIES"]
    assert lines["unit_id"].tolist() == ["d1.p01", "d1.p01"]
    # Context is cut from the original text: the 10 characters before the second match are
    # "et.\nLater " and the newline is collapsed to a space (outer spaces trimmed).
    assert lines.loc[1, "left"] == "et. Later"
    # The 10 characters after the first match are " met.\nLate".
    assert lines.loc[0, "right"] == "met. Late"


def test_kwic_offsets_trace_back_to_the_unit_text():
    lines = kwic(UNITS, "axis")
    text = UNITS.set_index("unit_id").loc["d1.p02", "text"]
    assert len(lines) == 2  # "axises" in d2.p01 is a different word
    for row in lines.itertuples():
        assert text[row.start:row.end] == row.match == "axis"
        assert row.doc_id == "d1"


def test_kwic_phrase_requires_every_word_in_order():
    lines = kwic(UNITS, "axis of resistance", width=8)
    assert lines[["unit_id", "left", "match", "right"]].values.tolist() == \
        [["d1.p02", "not an", "axis of resistance", "."]]


def test_kwic_no_match_and_no_doc_id_column():
    empty = kwic(UNITS, "credibility")
    assert empty.empty and list(empty.columns) == KWIC_COLUMNS
    lines = kwic(UNITS.drop(columns="doc_id"), "axis of resistance")
    assert lines["doc_id"].isna().all() and lines["unit_id"].tolist() == ["d1.p02"]


@pytest.mark.parametrize("kwargs, match", [
    (dict(query="?!"), "no word tokens"),
    (dict(query=3), "must be a string"),
    (dict(width=-1), "width"),
    (dict(units=UNITS.drop(columns="unit_id")), "lacks column"),
    (dict(units=["text"]), "must be a DataFrame"),
])
def test_kwic_errors(kwargs, match):
    args = dict(units=UNITS, query="axis") | kwargs
    with pytest.raises(ValueError, match=match):
        kwic(**args)
