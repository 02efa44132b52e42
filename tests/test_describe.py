"""Tests for analysis.describe: provenance, unit counts, terms, bigrams and size notes, worked by hand."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import config
from analysis.corpus import load_corpus
from analysis.describe import bigrams_top, corpus_size_notes, documents_provenance, terms_top, units_count
from corpus_factory import make_corpus

DOCS = pd.DataFrame({
    "doc_id": ["a", "b"],
    "headline": ["Deal", "Creed"],
    "headline_basis": ["stated: line 1", "stated: line 2"],
    "date": ["2020-01-01", "2021-02-03"],
    # the explanation may itself contain a colon
    "date_basis": ["inferred: events: the 2019 talks", "stated:line 1"],
    "outlet_basis": ["absent:", "absent: not printed"],
    "note": ["x", "y"],
})


def test_provenance_rows_follow_the_field_order():
    got = documents_provenance(DOCS).values.tolist()
    # fields in BASIS_FIELDS order (headline, outlet, authors, date, genre); absent fields have no value
    assert got == [
        ["a", "headline", "Deal", "stated", "line 1"],
        ["a", "outlet", "", "absent", ""],
        ["a", "date", "2020-01-01", "inferred", "events: the 2019 talks"],
        ["b", "headline", "Creed", "stated", "line 2"],
        ["b", "outlet", "", "absent", "not printed"],
        ["b", "date", "2021-02-03", "stated", "line 1"],
    ]


def test_provenance_without_any_basis_is_an_empty_table():
    got = documents_provenance(pd.DataFrame({"doc_id": ["a"], "date": ["2020-01-01"]}))
    assert got.empty
    assert list(got.columns) == ["doc_id", "field", "value", "source", "basis"]


PARAS = pd.DataFrame({"doc_id": ["b", "a", "b", "c"],
                      "text": ["Iran\u2019s deal.", "The deal, the deal.", "Iran's ties.", "1999."]})
SENTS = pd.DataFrame({"doc_id": ["b", "b", "b", "a"], "text": ["s", "s", "s", "s"]})


def test_units_count_by_hand():
    got = units_count(PARAS, SENTS)
    # b: iran deal | iran ties  -> 4 tokens, 3 types; a: the deal the deal -> 4 tokens, 2 types;
    # c: a number only -> no token, and no sentence row -> 0 sentences
    assert got.values.tolist() == [["b", 2, 3, 4, 3], ["a", 1, 1, 4, 2], ["c", 1, 0, 0, 0]]
    assert list(got.columns) == ["doc_id", "paragraphs", "sentences", "tokens", "types"]


def test_units_count_ignores_sentences_of_unknown_articles():
    sents = pd.concat([SENTS, pd.DataFrame({"doc_id": ["z"], "text": ["s"]})])
    assert units_count(PARAS, sents).equals(units_count(PARAS, SENTS))


def test_units_count_of_nothing():
    empty = pd.DataFrame({"doc_id": [], "text": []})
    got = units_count(empty, empty)
    assert got.empty and list(got.columns) == ["doc_id", "paragraphs", "sentences", "tokens", "types"]


def test_units_count_of_a_loaded_corpus(tmp_path):
    corpus = load_corpus(make_corpus(tmp_path))
    got = units_count(corpus.paragraphs, corpus.sentences)
    # alpha: "The pact is a marriage of convenience." (7) + "It may not last." (4): 2 paragraphs,
    #        2 sentences, 11 tokens, all distinct.
    # beta: "The bloc shares an ideology." (5) + "Gen. Smith said so on Oct. 7." (6; the 7 is a
    #        number): 1 paragraph, 2 sentences (Gen. and Oct. are abbreviations), 11 tokens, all distinct.
    assert got.values.tolist() == [["alpha-2020", 2, 2, 11, 11], ["beta-2021", 1, 2, 11, 11]]


@pytest.mark.parametrize("n, expected", [
    # a: deal x3 (apostrophes and case merge 'Iran's', 'iran's' into iran x2), pact x2, axis x2
    # ties at 2 break alphabetically: axis, iran, pact; 'the' and 'of' are stopwords
    (10, [["a", 1, "deal", 3], ["a", 2, "axis", 2], ["a", 3, "iran", 2], ["a", 4, "pact", 2],
          ["b", 1, "creed", 1]]),
    (2, [["a", 1, "deal", 3], ["a", 2, "axis", 2], ["b", 1, "creed", 1]]),
    (0, []),
])
def test_terms_top(n, expected):
    paras = pd.DataFrame({"doc_id": ["a", "b", "a", "c"],
                          "text": ["Iran\u2019s deal, the DEAL of the axis.", "Creed.", "iran's pact, pact, deal, axis",
                                   "the of 2024"]})
    # c has only stopwords and numbers: no row
    assert terms_top(paras, n=n).values.tolist() == expected


def test_terms_top_with_own_stopwords():
    paras = pd.DataFrame({"doc_id": ["a"], "text": ["the deal the deal axis"]})
    assert terms_top(paras, n=5, stopwords=frozenset({"deal"})).values.tolist() == \
        [["a", 1, "the", 2], ["a", 2, "axis", 1]]


def test_terms_top_of_nothing():
    got = terms_top(pd.DataFrame({"doc_id": [], "text": []}))
    assert got.empty and list(got.columns) == ["doc_id", "rank", "term", "count"]


def g2(n_ii, n_i, n_j, n):
    """Dunning's G² for a bigram: its count, the counts of its first and second words, all words."""
    observed = [n_ii, n_i - n_ii, n_j - n_ii, n - n_i - n_j + n_ii]
    rows, cols = [n_i, n - n_i], [n_j, n - n_j]
    expected = [rows[0] * cols[0] / n, rows[0] * cols[1] / n, rows[1] * cols[0] / n, rows[1] * cols[1] / n]
    return 2 * sum(o * math.log(o / e) for o, e in zip(observed, expected) if o)


def test_bigrams_by_hand():
    paras = pd.DataFrame({"doc_id": ["a", "a"], "text": ["oil gas oil gas", "gas oil"]})
    got = bigrams_top(paras, n=5, min_count=1)
    # words: oil 3, gas 3, of 6. Pairs within a paragraph: oil gas x2, gas oil x2 (paragraph 1 ends
    # and paragraph 2 starts with 'gas', but no 'gas gas' is formed). Each pair's table is
    # [[2, 1], [1, 2]] against expected 1.5 everywhere: G² = 4 (2 ln 4/3 + ln 2/3) = 0.6796.
    # Equal scores break alphabetically.
    assert got[["doc_id", "rank", "bigram", "count"]].values.tolist() == [["a", 1, "gas oil", 2],
                                                                           ["a", 2, "oil gas", 2]]
    assert got["llr"].tolist() == pytest.approx([4 * (2 * math.log(4 / 3) + math.log(2 / 3))] * 2)
    assert got["llr"].tolist() == pytest.approx([g2(2, 3, 3, 6)] * 2)


def test_bigrams_drop_rare_pairs_and_stopwords():
    paras = pd.DataFrame({"doc_id": ["a", "b"],
                          "text": ["the axis of resistance; the axis of resistance; axis power axis power",
                                   "axis power"]})
    got = bigrams_top(paras, n=5, min_count=2)
    # a: 12 words; 'axis power' x2 (axis 4, power 2); 'power axis' and 'resistance axis' x1 are below
    # min_count; every other pair holds a stopword (the, of). b: 'axis power' once, below min_count: no row.
    assert got[["doc_id", "rank", "bigram", "count"]].values.tolist() == [["a", 1, "axis power", 2]]
    assert got["llr"].iloc[0] == pytest.approx(g2(2, 4, 2, 12))


def test_bigrams_top_n_and_of_nothing():
    paras = pd.DataFrame({"doc_id": ["a"], "text": ["oil gas oil gas gas oil"]})
    assert len(bigrams_top(paras, n=1, min_count=1)) == 1
    got = bigrams_top(pd.DataFrame({"doc_id": [], "text": []}))
    assert got.empty and list(got.columns) == ["doc_id", "rank", "bigram", "count", "llr"]


# ------------------------------------------------------------- corpus size notes
def _units(sizes):
    """One row per unit: ``sizes`` maps article → number of units."""
    return pd.DataFrame({"doc_id": [doc for doc, n in sizes.items() for _ in range(n)]})


def test_a_large_enough_corpus_gets_no_note():
    # 5 articles x 20 units = 100 = 10 per topic at K = 10; vocabulary 100 = 10 x 10
    assert corpus_size_notes(_units({d: 20 for d in "abcde"}), vocabulary_size=100) == []


def test_too_few_articles():
    notes = corpus_size_notes(_units({d: 30 for d in "abcd"}), vocabulary_size=500)
    assert len(notes) == 1
    # 2/4! = 0.083
    assert notes[0].startswith("Only 4 articles: a pattern across articles")
    assert "2/4! = 0.08" in notes[0]


def test_too_few_units_for_the_sweep():
    # 99 units < 10 x 10; at K = 5 the same corpus is enough (99 >= 50)
    units = _units({"a": 20, "b": 20, "c": 20, "d": 20, "e": 19})
    notes = corpus_size_notes(units, max_k=10, vocabulary_size=500)
    assert notes == [notes[0]] and notes[0].startswith("Only 99 paragraphs for topic models of up to K = 10")
    assert "(9.9)" in notes[0]
    assert corpus_size_notes(units, max_k=5, vocabulary_size=500) == []


def test_small_vocabulary_only_when_given():
    units = _units({d: 20 for d in "abcde"})
    notes = corpus_size_notes(units, max_k=10, n_terms=10, vocabulary_size=99)
    assert len(notes) == 1 and notes[0].startswith("A vocabulary of 99 terms")
    assert corpus_size_notes(units, max_k=10, n_terms=10) == []


def test_articles_with_few_units_are_named_with_the_interval_shortfall():
    # 6 units: 1.96 * sqrt(5/6) / t(.975, 5) = 1.7892 / 2.5706 = 0.696 -> 30% narrower
    units = _units({"a": 6, "b": 9, "c": 30, "d": 30, "e": 30})
    notes = corpus_size_notes(units, vocabulary_size=500)
    assert len(notes) == 1
    assert notes[0].startswith("2 of 5 articles have fewer than 10 paragraphs (a: 6, b: 9)")
    assert "with 6 it is about 30% narrower" in notes[0]


def test_notes_come_in_a_fixed_order_and_name_the_units():
    notes = corpus_size_notes(_units({"a": 3, "b": 2}), max_k=4, n_terms=5, vocabulary_size=12,
                              unit_name="sentences")
    assert [n.split(" ")[0] for n in notes] == ["Only", "Only", "A", "2"]
    assert "Only 5 sentences" in notes[1] and "2 of 2 articles have fewer than 10 sentences" in notes[3]


def test_one_unit_articles_have_intervals_of_no_width():
    notes = corpus_size_notes(_units({"a": 1, "b": 1, "c": 1, "d": 1, "e": 1}), max_k=1)
    assert "with 1 it is about 100% narrower" in notes[-1]


@pytest.mark.parametrize("units, kwargs, match", [
    (pd.DataFrame({"article": ["a"]}), {}, "units has no column 'doc_id'"),
    (pd.DataFrame({"doc_id": []}), {}, "units is empty"),
    (_units({"a": 1}), {"max_k": 0}, "max_k and n_terms must be at least 1"),
])
def test_corpus_size_notes_rejects_bad_input(units, kwargs, match):
    with pytest.raises(ValueError, match=match):
        corpus_size_notes(units, **kwargs)


def test_the_demo_corpus_is_warned_and_the_study_corpus_is_large_enough_for_a_sweep():
    demo = load_corpus(config.ROOT / "examples" / "demo-corpus").paragraphs
    assert any("for topic models of up to K = 10" in n for n in corpus_size_notes(demo))
    study = load_corpus(None).paragraphs
    assert not any("for topic models" in n for n in corpus_size_notes(study))


def test_without_topic_models_only_the_article_checks_run():
    # 3 paragraphs and a 5-term vocabulary would fail both topic checks at any K
    units = _units({"a": 1, "b": 1, "c": 1})
    notes = corpus_size_notes(units, max_k=None, vocabulary_size=5)
    assert [n.split(" ")[0] for n in notes] == ["Only", "3"]
    assert "topic models" not in " ".join(notes) and "vocabulary" not in " ".join(notes)


def test_one_or_two_articles_get_no_impossible_p_value():
    for n in (1, 2):
        note = corpus_size_notes(_units({f"d{i}": 12 for i in range(n)}), max_k=None)[0]
        assert "no ordering can be tested at all" in note and "2/" not in note


def test_size_warning_joins_the_notes_and_says_what_to_read_with_care():
    from analysis.describe import size_warning

    notes = corpus_size_notes(_units({d: 30 for d in "abcd"}), vocabulary_size=500)
    text = size_warning(notes, "the map below")
    assert text.startswith("**Warning: a small corpus.** " + notes[0])
    assert text.endswith("Read the map below with these limits in mind.")
    assert size_warning([], "the map below") == ""
