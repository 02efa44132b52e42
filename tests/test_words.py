"""Tests for analysis.words: word spans, counts and the stem keys terms are matched on."""
from __future__ import annotations

import pytest

from analysis.words import term_key, word_count, word_spans


@pytest.mark.parametrize("term, key", [
    ("deterrence", ("deterr",)),
    ("Marriage of Convenience", ("marriag", "of", "conveni")),
    ("burden-sharing", ("burden", "share")),
    ("Iran's", ("iran",)),
])
def test_term_key(term, key):
    assert term_key(term) == key


def test_word_spans_split_hyphens_and_keep_offsets():
    text = "a self-interest, not"
    assert [(text[s:e], w) for s, e, w in word_spans(text)] == [
        ("a", "a"), ("self", "self"), ("interest", "interest"), ("not", "not")]


def test_word_count_counts_what_word_spans_finds():
    from benchmarks import synthetic_paragraphs

    from analysis.corpus import load_corpus

    texts = load_corpus().paragraphs["text"].tolist()
    tricky = ["U.S.-Iran", "a.b", "A.B.C. D.E", "e.g. i.e.", "rock'n'roll", "Iran’s", "'quoted'", "x.", ".a.b.", "9a.b."]
    for t in texts + list(synthetic_paragraphs(texts, 300, seed=7)) + tricky:
        assert word_count(t) == len(word_spans(t)), t


def test_accented_words_are_one_word_for_the_dictionary():
    from analysis.words import word_count, word_spans

    text = "A fin de r\u00e9gime d\u00e9tente, not U.S. policy"
    assert [w for _, _, w in word_spans(text)] == ["a", "fin", "de", "r\u00e9gime", "d\u00e9tente", "not", "u.s.",
                                                   "policy"]
    assert word_count(text) == 8
    assert word_count("caf\u00e9s 2024 x_y") == 3  # digits and underscores are no letters: 'cafés', 'x', 'y'
