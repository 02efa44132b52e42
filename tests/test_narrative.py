"""Tests for analysis.narrative: each reading on a toy table, its sentence checked by hand."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.narrative import (article_profiles, claims_default, collocations_text, concordance_queries,
                                concordance_text, contrast_ends, exact_p, expectation_failures, expectations_check,
                                expectations_text, findings_text, grouping_terms, grouping_text, phrase_table,
                                profiles_text, term_choices, term_text)
from analysis.readings import ArticleNote, Grouping, Readings, TermReading

POLES = {"alliance": ("transactional", "ideological")}

# Three articles on one contrast: x is the transactional end with an interval below zero,
# z the ideological end; y sits between them.
DOCS = pd.DataFrame({
    "doc_id": ["x", "y", "z"], "n_units": [4, 6, 5],
    "alliance_index": [-0.80, 0.10, 0.50], "alliance_low": [-1.20, -0.30, -0.40],
    "alliance_high": [-0.20, 0.40, 1.30], "alliance_salience": [0.9, 0.5, 0.3],
    "z_dict_alliance": [-1.0, 0.2, 0.4], "z_tfidf_alliance": [0.3, -0.1, 0.9], "z_lss_alliance": [-0.5, 0.6, 0.1],
})
DIFFS = pd.DataFrame({
    "measure": ["alliance_index"] * 3, "doc_a": ["x", "x", "y"], "doc_b": ["y", "z", "z"],
    "diff": [-0.90, -1.30, -0.40], "diff_low": [-1.50, -2.10, -1.20], "diff_high": [-0.30, -0.50, 0.40],
    "q_value": [0.040, 0.012, 0.700],
})
MATCHES = pd.DataFrame({
    "doc_id": ["y", "y", "y", "y", "x"], "contrast": "alliance",
    "pole": ["transactional", "transactional", "ideological", "transactional", "transactional"],
    "negated": [False, True, False, False, False],
})
EXPECT = [
    {"kind": "most", "pole": "ideological", "a": "y", "note": "Its ideology is quoted to be rejected."},
    {"kind": "leans", "pole": "transactional", "a": "x"},
    {"kind": "more", "pole": "ideological", "a": "z", "b": "x", "label": "z is more ideological than x"},
]


def test_expectations_are_checked_with_the_evidence_behind_each():
    checks = expectations_check(EXPECT, DOCS, DIFFS, POLES)
    assert checks.values.tolist() == [
        ["y leans furthest to ideological of all articles", False, "most ideological: z (+0.50); y +0.10"],
        ["x leans to transactional", True, "-0.80 [-1.20, -0.20]"],
        # the pair is stored as (x, z): the evidence keeps that order
        ["z is more ideological than x", True, "x − z = -1.30 [-2.10, -0.50], q = 0.012"],
    ]


def test_a_met_most_expectation_shows_its_interval_and_the_runner_up():
    checks = expectations_check([{"kind": "most", "pole": "transactional", "a": "x"}], DOCS, DIFFS, POLES)
    assert checks.values.tolist() == [["x leans furthest to transactional of all articles", True, "-0.80 [-1.20, -0.20]; next: +0.10"]]


def test_no_expectation_gives_an_empty_table_with_its_columns():
    assert list(expectations_check([], DOCS, DIFFS, POLES).columns) == ["expectation", "met", "evidence"]


def test_a_failed_expectation_is_explained_from_the_articles_evidence():
    checks = expectations_check(EXPECT, DOCS, DIFFS, POLES)
    failures = expectation_failures(EXPECT, checks, DOCS, MATCHES, POLES)
    r = failures.iloc[0]
    assert (r.doc_id, r.counted_transactional, r.negated_transactional, r.counted_ideological) == ("y", 2, 1, 1)
    # towards ideological: dict 0.4 > 0.2 > -1.0 puts y 2nd; tfidf 0.9, 0.3, -0.1 puts it 3rd; lss 1st
    assert (r.rank_dict, r.rank_tfidf, r.rank_lss, r.rank_index, r.width_rank) == (2, 3, 1, 2, 3)
    assert (r.leader, r.leader_salience, r.salience) == ("z", 0.3, 0.5)
    text = expectations_text(checks, failures, EXPECT, POLES)
    assert text == (
        "2 of the 3 expectations are met.\n\n"
        "**y** (y leans furthest to ideological of all articles): the dictionary counts 1 ideological and 2 transactional seed terms in it "
        "and drops 1 negated transactional ones. Towards ideological it ranks 2 of 3 by the dictionary, 3 of 3 by "
        "the prototypes, 1 of 3 by the LSS, and 2 of 3 on the combined index; its interval, [-0.30, +0.40], is the "
        "3rd widest. The article furthest to ideological, z, has alliance salience 0.30, against 0.50 for y. "
        "Its ideology is quoted to be rejected.")


def test_an_article_without_a_position_is_not_explained():
    docs = DOCS.assign(alliance_index=[-0.80, float("nan"), 0.50])
    checks = pd.DataFrame({"met": [False]})
    assert expectation_failures(EXPECT[:1], checks, docs, MATCHES, POLES).empty
    assert expectations_check(EXPECT, docs, DIFFS, POLES)["evidence"].tolist() == [
        "y has no position on alliance", "-0.80 [-1.20, -0.20]", "x − z = -1.30 [-2.10, -0.50], q = 0.012"]


def test_the_ends_of_each_contrast_are_computed_for_any_corpus():
    ends = contrast_ends(DOCS, DIFFS, POLES)
    assert ends[["pole", "doc_id", "clear", "apart", "others", "ends_q", "widest"]].values.tolist() == [
        # y's and z's lows (-0.30, -0.40) lie above x's high (-0.20)? no: -0.30 < -0.20, so none is apart
        ["transactional", "x", True, 0, 2, 0.012, "z"],
        ["ideological", "z", False, 0, 2, 0.012, "z"],
    ]


def test_findings_cite_the_ends_the_evidence_and_the_failures():
    checks = expectations_check(EXPECT, DOCS, DIFFS, POLES)
    failures = expectation_failures(EXPECT, checks, DOCS, MATCHES, POLES)
    readings = Readings(articles={"x": ArticleNote("x", framing={"alliance": "'a deal'."})})
    text = findings_text(contrast_ends(DOCS, DIFFS, POLES), DOCS, DIFFS, failures, readings, 0.05)
    assert text == (
        "1. **alliance.** The transactional end is x (-0.80 [-1.20, -0.20]), the ideological end z (+0.50 "
        "[-0.40, +1.30]). Their difference has q = 0.012 after Benjamini–Hochberg control, below 0.05. For 0 of "
        "the other 2 articles the interval lies wholly on the ideological side of x's, for 0 wholly on the "
        "transactional side of z's. The widest interval is z's ([-0.40, +1.30]): a position carried by a few "
        "paragraphs is uncertain however strong they are. x (-0.80 [-1.20, -0.20]): 'a deal'.\n\n"
        "2. **Evidence.** 2 of 3 pairwise article differences have q < 0.05. With 4 to 6 paragraphs per article "
        "and most paragraphs silent on a given contrast, only those differences are more than leanings.\n\n"
        "3. **y against its expectation** (y leans furthest to ideological of all articles): it ranks 2 of 3 towards ideological on the "
        "combined index (section 4 shows why).")


def test_claims_come_from_the_readings_or_else_from_the_maps_ends():
    assert claims_default(Readings(claims=({"kind": "leans", "pole": "ideological", "a": "z"},)), None, POLES) == \
        [{"kind": "leans", "pole": "ideological", "a": "z"}]
    assert claims_default(Readings(), DOCS, POLES) == [{"kind": "most", "pole": "transactional", "a": "x"},
                                                       {"kind": "most", "pole": "ideological", "a": "z"}]
    assert claims_default(Readings(), DOCS.head(1), POLES) == []  # one article: nothing to compare


KEYNESS = pd.DataFrame({
    "group": ["x", "y", "x", "x", "g"], "reference": ["rest", "rest", "rest", "rest", "h"],
    "term": ["ideological", "ideological", "deal", "pact", "deal"],
    "count_target": [3, 1, 4, 2, 4], "count_reference": [0, 2, 1, 0, 1],
    "log_ratio": [2.5, -0.5, 1.8, 1.2, 1.0], "g2": [3.1, 0.2, 5.0, 1.0, 2.0], "chi2": [2.0, 0.1, 4.2, 0.5, 1.0],
    "fw_z": [1.2, -0.3, 2.1, 0.8, 1.5], "p_perm": [0.021, 0.8, 0.004, 0.2, 0.04], "q_bh": [0.3, 0.9, 0.1, 0.5, 0.2],
})


def test_without_readings_each_pole_name_is_read_where_it_is_used_most():
    chosen = term_choices(KEYNESS, Readings(), POLES)
    assert chosen.values.tolist() == [["x", "rest", "ideological", ""]]  # 'transactional' occurs nowhere
    given = term_choices(KEYNESS, Readings(terms=(TermReading("y", "ideological", "n"),)), POLES)
    assert given.values.tolist() == [["y", "rest", "ideological", "n"]]


def test_exact_p_is_the_chance_that_every_paragraph_falls_in_the_target():
    assert exact_p(4, 10, 2) == pytest.approx(4 * 3 / (10 * 9))
    assert exact_p(4, 10, 1) == pytest.approx(0.4)


def test_a_term_reading_states_its_counts_tests_and_exact_p():
    row = {**KEYNESS.iloc[0].to_dict(), "note": "A lead."}
    text = term_text(row, pd.Series({"x": 4, "y": 6}), paragraphs_with=2, n_perm=10_000)
    assert text == (
        "**ideological** occurs 3 times in x and 0 times in the other articles together: a log ratio of 2.50 "
        "(about 5.7 times as frequent), G² = 3.10, χ² = 2.00 (both below the conventional 3.84), Fightin' Words "
        "z = 1.20; paragraph permutation p = 0.021 (Monte Carlo standard error 0.001), so it is key by the "
        "study's rule; after correction for the terms tested, q = 0.30. Its occurrences sit in 2 paragraphs of x "
        "and nowhere else, so the exact permutation p is the chance that all of them fall on x's side: "
        "4·3 / (10·9) = 0.133. A lead.")


def test_phrases_are_counted_where_they_occur():
    units = pd.DataFrame({"unit_id": ["x-1", "y-1"], "doc_id": ["x", "y"]})

    def kwic(units, phrase):  # the two toy units hold the phrase once each
        return units.assign(query=phrase)

    table = phrase_table(units, ["axis of resistance"], pd.DataFrame({"ngram": ["axis of resistance"], "count": [2],
                                                                       "likelihood_ratio": [12.34]}), kwic)
    assert table.values.tolist() == [["axis of resistance", 2, 12.34, "x, y"]]
    assert collocations_text(pd.DataFrame({"ngram": ["a b"]}), pd.DataFrame({"ngram": ["c d e"]}), table, "N.") == \
        "The strongest collocations: *a b*, *c d e*. *axis of resistance*: 2 times, G² = 12.3, in x, y. N."
    none = pd.DataFrame({"ngram": []})
    assert collocations_text(none, none, table.assign(count=1, g2=float("nan"), docs="")) == (
        "No bigram or trigram occurs often enough to be a collocation here. *axis of resistance*: once, in no "
        "article.")


def test_concordance_queries_and_their_reading():
    assert concordance_queries(Readings(phrases=("p q",)), POLES) == ["ideological", "transactional", "p q"]
    concordance = pd.DataFrame({"query": ["ideological"] * 3, "doc_id": ["y", "x", "x"]})
    assert concordance_text(concordance, ["ideological", "transactional"], {}, "Rejected.") == \
        "Occurrences: *ideological* 3, *transactional* 0. *ideological* in x 2, y 1. Rejected."


def test_article_profiles_cite_the_readings_terms_or_the_strongest_key_terms():
    n_par = pd.Series({"x": 4, "y": 6})
    plain = article_profiles(KEYNESS, n_par, Readings())
    # key for x: ideological (p 0.021) and deal (p 0.004); pact is not key (p 0.2)
    assert plain.values.tolist() == [["x", 4, 2, "*deal* (4 vs 1), *ideological* (3 vs 0)", ""],
                                     ["y", 6, 0, "", ""]]
    assert profiles_text(plain) == (
        "**x**: its strongest key terms are *deal* (4 vs 1), *ideological* (3 vs 0). It has 4 paragraphs and 2 key "
        "terms.\n\n**y**: no key term. It has 6 paragraphs and 0 key terms.\n\n"
        "(Counts in brackets: in the article vs in all the others.)")
    noted = article_profiles(KEYNESS, n_par, Readings(articles={"x": ArticleNote("x", ("pact",), "is about a pact")}))
    assert noted.iloc[0].tolist() == ["x", 4, 2, "*pact* (2 vs 0)", "is about a pact"]


def test_a_grouping_reading_names_the_terms_of_each_side_and_bh_survivors():
    keyness = pd.DataFrame({"group": "g", "reference": "h", "term": ["a", "b", "c"], "fw_z": [2.0, -3.0, 0.5],
                            "count_target": [5, 0, 2], "count_reference": [1, 6, 1]})
    terms = grouping_terms(keyness, "g", "h", n=1)
    grouping = Grouping("g", ("x",), "h", ("y",), "By topic.")
    assert grouping_text(terms, grouping.target, grouping.reference, {"x": 0, "g": 2}, grouping.note) == (
        "**g against h** — terms over-used by g: *a* (5 vs 1); by h: *b* (0 vs 6) (counts: g vs h). 2 terms "
        "over-used by g stay key after Benjamini–Hochberg correction, the only contrast with any such term. "
        "By topic.")
