"""Tests for analysis.keyness: keyness and TF-IDF tables on a toy corpus, and the study's key terms."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import config
from analysis.keyness import (KEYNESS_COLUMNS, is_key, key_terms, keyness_table, one_vs_rest, resolve_contrasts,
                              tfidf_by_group, tfidf_top_terms)

# --------------------------------------------------------------------------- #
# Keyness tables on a toy corpus                                              #
# --------------------------------------------------------------------------- #
UNITS = pd.DataFrame({
    "doc_id": ["a", "a", "b", "b", "c"],
    "unit_id": ["a.p01", "a.p02", "b.p01", "b.p02", "c.p01"],
    "text": ["axis axis resistance", "axis deal", "deal deal trade", "trade axis",
             "trade trade trade axis"],
})
# Token totals: a = 5 (axis 3, resistance 1, deal 1), b = 5 (deal 2, trade 2, axis 1),
# c = 4 (trade 3, axis 1). Whole corpus: axis 5, deal 3, resistance 1, trade 5; n = 14.


def test_keyness_table_columns_and_counts_by_hand():
    table = keyness_table(UNITS, [("a", "rest")], n_perm=200, random_state=0)
    assert list(table.columns) == KEYNESS_COLUMNS
    axis = table.set_index("term").loc["axis"]
    assert (axis.group, axis.reference) == ("a", "rest")
    assert (axis.count_target, axis.count_reference) == (3, 2)
    # chi2: a=3, b=2, c=2, d=7, N=14; ad - bc = 21 - 4 = 17; 17 - 7 = 10;
    #       14 * 100 / (5 * 9 * 5 * 9) = 1400 / 2025 = 0.691358
    assert axis.chi2 == pytest.approx(1400 / 2025)
    # log ratio: log2((3/5) / (2/9)) = log2(2.7) = 1.432959
    assert axis.log_ratio == pytest.approx(math.log2(2.7))
    # Fightin' Words, prior from the WHOLE corpus: alpha_axis = 5, alpha_0 = 14
    # delta = ln(8 / (5 + 14 - 8)) - ln(7 / (9 + 14 - 7)) = ln(8/11) - ln(7/16) = ln(128/77)
    # var = 1/8 + 1/7 = 15/56;  z = ln(128/77) / sqrt(15/56) = 0.981984
    assert axis.fw_z == pytest.approx(math.log(128 / 77) / math.sqrt(15 / 56))


def test_keyness_prior_comes_from_documents_outside_the_contrast():
    table = keyness_table(UNITS, [("a", "b")], n_perm=200, random_state=0)
    axis = table.set_index("term").loc["axis"]
    assert (axis.count_target, axis.count_reference) == (3, 1)
    # alpha_axis = 5 and alpha_0 = 14 still include document c:
    # delta = ln(8/11) - ln((1 + 5) / (5 + 14 - 1 - 5)) = ln(8/11) - ln(6/13); var = 1/8 + 1/6
    expected = (math.log(8 / 11) - math.log(6 / 13)) / math.sqrt(1 / 8 + 1 / 6)
    assert axis.fw_z == pytest.approx(expected)


def test_keyness_frequency_floor():
    # "resistance" occurs once: below the default floor of 2, kept with min_count=1
    assert "resistance" not in set(keyness_table(UNITS, [("a", "rest")], n_perm=20).term)
    assert "resistance" in set(keyness_table(UNITS, [("a", "rest")], min_count=1, n_perm=20).term)


def test_keyness_several_contrasts_match_single_runs():
    contrasts = one_vs_rest(UNITS.doc_id) + [("ab", "c")]
    groups = {"ab": ["a", "b"]}
    both = keyness_table(UNITS, contrasts, groups, n_perm=100, random_state=5)
    assert list(both[["group", "reference"]].drop_duplicates().itertuples(index=False)) == \
        [("a", "rest"), ("b", "rest"), ("c", "rest"), ("ab", "c")]
    alone = keyness_table(UNITS, [("ab", "c")], groups, n_perm=100, random_state=5)
    pd.testing.assert_frame_equal(both[both.group == "ab"].reset_index(drop=True), alone)


def test_keyness_is_reproducible():
    first = keyness_table(UNITS, one_vs_rest(UNITS.doc_id), n_perm=100, random_state=11)
    second = keyness_table(UNITS, one_vs_rest(UNITS.doc_id), n_perm=100, random_state=11)
    pd.testing.assert_frame_equal(first, second)


def test_resolve_contrasts():
    out = resolve_contrasts([("x", "rest"), ("a", "c")], ["a", "b", "c"], {"x": ["a", "b"]})
    assert out == [("x", "rest", ["a", "b"], ["c"]), ("a", "c", ["a"], ["c"])]


@pytest.mark.parametrize("kwargs, match", [
    (dict(units=UNITS.drop(columns="text")), "lacks column"),
    (dict(units=UNITS.iloc[:0]), "empty"),
    (dict(contrasts=[("zz", "rest")]), "neither a document id"),
    (dict(contrasts=[("rest", "a")]), "only be a reference"),
    (dict(contrasts=[("a", "a")]), "disjoint"),
    (dict(contrasts=[]), "contrasts is empty"),
    (dict(contrasts=("a", "rest")), "list of"),
    (dict(contrasts=[("a", "rest"), ("a", "rest")]), "listed twice"),
    (dict(contrasts=[("g", "rest")], groups={"g": ["a", "nope"]}), "unknown document"),
    (dict(contrasts=[("g", "rest")], groups={"g": ["a", "b", "c"]}), "reference of 'g' is empty"),
    (dict(min_count=0), "min_count"),
])
def test_keyness_table_errors(kwargs, match):
    args = dict(units=UNITS, contrasts=[("a", "rest")], n_perm=10) | kwargs
    with pytest.raises(ValueError, match=match):
        keyness_table(**args)


def test_is_key_rule_and_key_terms():
    table = pd.DataFrame({
        "group": ["a"] * 4, "reference": ["rest"] * 4, "term": ["w", "x", "y", "z"],
        "log_ratio": [1.0, 1.0, -1.0, 2.0], "fw_z": [1.0, 2.0, -2.0, 3.0],
        "p_perm": [0.01, 0.04, 0.01, 0.2], "q_bh": [0.03, 0.06, 0.03, 0.3]})
    assert is_key(table).tolist() == [True, True, False, False]
    assert is_key(table, use="q_bh").tolist() == [True, False, False, False]
    assert key_terms(table).term.tolist() == ["x", "w"]  # by fw_z, key terms only
    with pytest.raises(ValueError, match="use must be"):
        is_key(table, use="chi2")
    with pytest.raises(ValueError, match="lacks column"):
        is_key(table.drop(columns="p_perm"))


# --------------------------------------------------------------------------- #
# TF-IDF                                                                      #
# --------------------------------------------------------------------------- #
def test_tfidf_by_hand():
    units = pd.DataFrame({"doc_id": ["a", "a", "b"], "text": ["axis war", "axis", "trade war"]})
    w = tfidf_by_group(units, ngram_range=(1, 1), min_count=1)
    # a: axis tf 2 -> 1 + ln 2 = 1.693147, idf ln(3/2) + 1 = 1.405465 -> 2.379659
    #    war  tf 1 -> 1,                   idf ln(3/3) + 1 = 1        -> 1
    #    l2 norm sqrt(2.379659^2 + 1) = 2.581236 -> axis 0.921907, war 0.387411
    # b: trade 1.405465, war 1 -> norm 1.724917 -> trade 0.814802, war 0.579739
    assert w.loc["a", "axis"] == pytest.approx(0.921907, abs=1e-6)
    assert w.loc["a", "war"] == pytest.approx(0.387411, abs=1e-6)
    assert w.loc["a", "trade"] == 0
    assert w.loc["b", "trade"] == pytest.approx(0.814802, abs=1e-6)
    assert w.loc["b", "war"] == pytest.approx(0.579739, abs=1e-6)


def test_tfidf_bigrams_stay_inside_paragraphs():
    units = pd.DataFrame({"doc_id": ["a", "a"], "text": ["axis war", "trade deal"]})
    w = tfidf_by_group(units, min_count=1)
    assert "axis war" in w.columns
    assert "war trade" not in w.columns


def test_tfidf_top_terms_order_and_ties():
    w = pd.DataFrame({"x": [0.5, 0.1], "y": [0.5, 0.0], "z": [0.2, 0.9]},
                     index=pd.Index(["a", "b"], name="doc_id"))
    top = tfidf_top_terms(w, n=2)
    assert top.values.tolist() == [["a", 1, "x", 0.5], ["a", 2, "y", 0.5],
                                   ["b", 1, "z", 0.9], ["b", 2, "x", 0.1]]


@pytest.mark.parametrize("call, match", [
    (lambda: tfidf_by_group(UNITS, min_count=100), "min_count"),
    (lambda: tfidf_by_group(UNITS, by="outlet"), "lacks column"),
    (lambda: tfidf_top_terms(pd.DataFrame({"x": [1.0]}), n=0), "positive integer"),
])
def test_tfidf_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# --------------------------------------------------------------------------- #
# The study's own table (written by notebooks/02-vocabulary)                  #
# --------------------------------------------------------------------------- #
KEYNESS_CSV = config.ROOT / "results" / "tables" / "keyness.csv"


@pytest.mark.skipif(not KEYNESS_CSV.exists(),
                    reason="results/tables/keyness.csv does not exist yet; run the study "
                           "(notebooks/02-vocabulary) to write it")
@pytest.mark.parametrize("group, term", [("lobel-2022", "ideological"),
                                         ("aljazeera-2024", "credibility")])
def test_study_key_terms(group, term):
    table = pd.read_csv(KEYNESS_CSV)
    assert list(table.columns) == KEYNESS_COLUMNS
    row = table[(table.group == group) & (table.reference == "rest") & (table.term == term)]
    assert len(row) == 1, f"{term!r} missing from the {group} vs rest contrast"
    assert bool(is_key(row).iloc[0]), row.to_dict("records")
