"""Tests for analysis.words: word spans, counts and the stem keys terms are matched on."""
from __future__ import annotations

import pytest

import random

from analysis.words import term_key, word_counts, word_spans


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


def test_word_counts_count_what_word_spans_finds():
    from benchmarks import synthetic_paragraphs

    from analysis.corpus import load_corpus

    texts = load_corpus().paragraphs["text"].tolist()
    tricky = ["U.S.-Iran", "a.b", "A.B.C. D.E", "e.g. i.e.", "rock'n'roll", "Iran’s", "'quoted'", "x.", ".a.b.", "9a.b."]
    every = texts + list(synthetic_paragraphs(texts, 300, seed=7)) + tricky
    assert word_counts(every).tolist() == [len(word_spans(t)) for t in every]


def test_word_counts_agree_with_word_spans_on_random_strings():
    """Strings of the characters the count turns on: letters of several scripts, stops,
    every apostrophe, hyphens, digits, underscores, combining marks, a lone surrogate,
    the joining character itself, and empty texts."""
    rng = random.Random(11)
    alphabet = list("aZ\u00e9\u00df\u65e5\u01c5\u0130.'\u2019\u2018\u02bc-_9 \n\0\u0301\ud800")
    for _ in range(3000):
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(rng.randint(1, 5))]
        assert word_counts(texts).tolist() == [len(word_spans(t)) for t in texts], texts


def test_word_counts_of_no_texts():
    assert word_counts([]).tolist() == []


def test_accented_words_are_one_word_for_the_dictionary():
    from analysis.words import word_spans

    text = "A fin de r\u00e9gime d\u00e9tente, not U.S. policy"
    assert [w for _, _, w in word_spans(text)] == ["a", "fin", "de", "r\u00e9gime", "d\u00e9tente", "not", "u.s.",
                                                   "policy"]
    assert word_counts([text]).tolist() == [8]
    assert word_counts(["caf\u00e9s 2024 x_y"]).tolist() == [3]  # digits and underscores are no letters: 'cafés', 'x', 'y'
