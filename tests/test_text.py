"""Tests for analysis.text: tokens, spans, stems, stopwords, n-grams and the Analyzer."""
from __future__ import annotations

import pickle
import re

import pytest
from sklearn.feature_extraction.text import CountVectorizer

from analysis.text import (STOPWORDS, Analyzer, make_analyzer, ngrams, normalize_apostrophes, remove_stopwords, stem,
                           tokenize, tokenize_spans)

RSQUO, LSQUO, MODIFIER = "\u2019", "\u2018", "\u02bc"


@pytest.mark.parametrize("text, expected", [
    (f"Iran{RSQUO}s", "Iran's"),
    (f"{LSQUO}allies{RSQUO}", "'allies'"),
    (f"Iran{MODIFIER}s", "Iran's"),
    ("Iran's", "Iran's"),
    # double quotes and primes are not apostrophes
    ("\u201cdeal\u201d \u2032", "\u201cdeal\u201d \u2032"),
    ("", ""),
])
def test_normalize_apostrophes(text, expected):
    assert normalize_apostrophes(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The axis of resistance", ["the", "axis", "of", "resistance"]),
    # numbers and punctuation go; dotted acronyms keep their dots
    ("U.S. troops, 2,500 of them, left in 2024.", ["u.s.", "troops", "of", "them", "left", "in"]),
    ("e.g. a U.S.-led pact", ["e.g.", "a", "u.s.", "led", "pact"]),
    # a single letter-dot is not an acronym: 'U.S' without its last dot is two words
    ("U.S", ["u", "s"]),
    # possessive 's goes, whatever the apostrophe or the case; a plural possessive loses its '
    (f"Iran{RSQUO}s allies", ["iran", "allies"]),
    ("IRAN'S ALLIES", ["iran", "allies"]),
    ("the allies' ties", ["the", "allies", "ties"]),
    ("O'Brien's", ["o'brien"]),
    # inner hyphens and apostrophes join; doubled hyphens and dashes separate
    ("so-called axis--deal \u2014 pact", ["so-called", "axis", "deal", "pact"]),
    (f"don{RSQUO}t", ["don't"]),
    # quotes around a word are not part of it
    (f"{LSQUO}allies{RSQUO}", ["allies"]),
    ("", []),
    ("   \n\t", []),
    ("1999, 2000.", []),
])
def test_tokenize(text, expected):
    assert tokenize(text) == expected


def test_tokenize_keeps_case_on_request():
    assert tokenize(f"Iran{RSQUO}s U.S. Allies", lowercase=False) == ["Iran", "U.S.", "Allies"]


@pytest.mark.parametrize("text, expected", [
    ("fin de r\u00e9gime", ["fin", "de", "r\u00e9gime"]),
    ("d\u00e9tente with Moscow", ["d\u00e9tente", "with", "moscow"]),
])
def test_tokenize_keeps_accented_words_whole(text, expected):
    assert tokenize(text) == expected


def test_tokenize_removes_the_possessive_of_an_acronym():
    assert tokenize("the U.S.'s allies") == ["the", "u.s.", "allies"]
    # an apostrophe after an acronym that is not a possessive stays out of it
    assert tokenize("the U.S. 'salt' deal") == ["the", "u.s.", "salt", "deal"]


@pytest.mark.parametrize("text", [
    "Axis of resistance",
    f"Iran{RSQUO}s {LSQUO}so-called{RSQUO} allies met U.S. officials in 2024.",
    "  leading  and trailing  ",
    "",
])
def test_spans_point_at_the_tokens_in_the_original_text(text):
    spans = tokenize_spans(text)
    # the spans index the text as given (typographic apostrophes included), before 's is removed
    words = [normalize_apostrophes(text[a:b]) for a, b in spans]
    assert [re.sub(r"'s$", "", w, flags=re.IGNORECASE) for w in words] == tokenize(text, lowercase=False)
    # ... and are in order, without overlap
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))


def test_spans_keep_the_possessive():
    # Iran's  allies
    # 0    6  8    13
    assert tokenize_spans(f"Iran{RSQUO}s allies") == [(0, 6), (7, 13)]


@pytest.mark.parametrize("token, expected", [
    # Porter2 examples from the Snowball algorithm's published sample vocabulary
    ("consign", "consign"), ("consigned", "consign"), ("consigning", "consign"), ("consignment", "consign"),
    ("knack", "knack"), ("knackered", "knacker"),
    ("running", "run"), ("generously", "generous"),
])
def test_stem(token, expected):
    assert stem(token) == expected


def test_stem_is_the_same_on_repeat():
    # the second call is served from the cache and must agree with the first
    assert [stem("alliances") for _ in range(3)] == [stem("alliances")] * 3 == ["allianc"] * 3


def test_stopwords_are_scikit_learns_english_list():
    assert len(STOPWORDS) == 318
    assert {"the", "of", "and", "not", "no"} <= STOPWORDS
    assert not {"iran", "deal", "ideology", "s"} & STOPWORDS


@pytest.mark.parametrize("tokens, stopwords, expected", [
    (["the", "axis", "of", "resistance"], STOPWORDS, ["axis", "resistance"]),
    # case matters: remove_stopwords compares tokens as given
    (["The", "axis"], STOPWORDS, ["The", "axis"]),
    (["axis", "deal", "axis"], frozenset({"axis"}), ["deal"]),
    ([], STOPWORDS, []),
    (iter(["a", "pact"]), STOPWORDS, ["pact"]),
])
def test_remove_stopwords(tokens, stopwords, expected):
    assert remove_stopwords(tokens, stopwords) == expected


@pytest.mark.parametrize("args, expected", [
    ((["a", "b", "c"], 1, 1), ["a", "b", "c"]),
    ((["a", "b", "c"], 1, 2), ["a", "b", "c", "a b", "b c"]),
    ((["a", "b", "c"], 2, 3), ["a b", "b c", "a b c"]),
    # n longer than the tokens: no n-gram of that length
    ((["a"], 1, 3), ["a"]),
    (([], 1, 3), []),
    # an empty range
    ((["a", "b"], 2, 1), []),
])
def test_ngrams(args, expected):
    assert ngrams(*args) == expected


@pytest.mark.parametrize("n_min", [0, -1])
def test_ngrams_refuse_a_minimum_below_one(n_min):
    # n = 0 used to give empty strings as features
    with pytest.raises(ValueError, match=rf"n_min must be at least 1 .*, not {n_min}$"):
        ngrams(["a", "b"], n_min, 2)


def test_ngrams_separator():
    assert ngrams(["marriage", "of", "convenience"], 3, 3, sep="_") == ["marriage_of_convenience"]


@pytest.mark.parametrize("settings, text, expected", [
    ({}, "The Axis of Resistance", ["axis", "resistance"]),
    # stopwords go before pairs are formed, so 'marriage convenience' is a pair
    ({"ngram_range": (1, 2)}, "A marriage of convenience", ["marriage", "convenience", "marriage convenience"]),
    ({"ngram_range": (2, 2)}, "A marriage of convenience", ["marriage convenience"]),
    ({"stopwords": None}, "The axis", ["the", "axis"]),
    ({"stopwords": frozenset({"axis"})}, "The axis", ["the"]),
    # without lowercasing, stopwords are still found whatever their case
    ({"lowercase": False}, "The Axis of IRAN", ["Axis", "IRAN"]),
    ({"stem": True}, "Consigned consignments", ["consign", "consign"]),
    ({}, "", []),
    ({"ngram_range": (1, 2)}, "   ", []),
])
def test_analyzer(settings, text, expected):
    assert Analyzer(**settings)(text) == expected
    assert make_analyzer(**settings)(text) == expected


def test_analyzer_tokens_are_before_ngrams():
    assert Analyzer(ngram_range=(2, 2)).tokens("A marriage of convenience") == ["marriage", "convenience"]


def test_analyzer_drives_a_vectorizer():
    vec = CountVectorizer(analyzer=Analyzer(ngram_range=(1, 2))).fit(["Iran's deal", f"Iran{RSQUO}s deal, a deal"])
    # iran deal | iran deal deal ('a' is a stopword, so 'deal deal' is a pair)
    assert sorted(vec.vocabulary_) == ["deal", "deal deal", "iran", "iran deal"]
    assert vec.transform(["a deal deal"]).toarray().tolist() == [[2, 1, 0, 0]]


def test_analyzer_pickles():
    a = Analyzer(stem=True, ngram_range=(1, 2))
    b = pickle.loads(pickle.dumps(a))
    assert b("Consigned goods") == a("Consigned goods") == ["consign", "good", "consign good"]


@pytest.mark.parametrize("settings, expected", [
    ({}, "Analyzer(lowercase=True, stopwords='default', stem=False, ngram_range=(1, 1))"),
    ({"stopwords": None, "stem": True, "ngram_range": (1, 2)},
     "Analyzer(lowercase=True, stopwords=None, stem=True, ngram_range=(1, 2))"),
])
def test_analyzer_repr(settings, expected):
    assert repr(Analyzer(**settings)) == expected


def test_make_analyzer_refuses_an_unknown_setting():
    with pytest.raises(TypeError, match="unexpected keyword argument 'ngrams'"):
        make_analyzer(ngrams=(1, 2))


def test_every_word_pattern_agrees_on_what_a_letter_is():
    # the spans of tokenize and the fast counting of analysis.online_topics (a factored form
    # of the same pattern) find the same tokens, whatever the characters: accented and
    # other-script letters, digits, underscores, superscripts, combining marks, joiners
    import random

    from analysis.online_topics import _TOKENS
    from analysis.text import tokenize_spans

    alphabet = "aZé É'.-_09½²ßı\u0301\u200cह\u093f ’"
    rng = random.Random(0)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        norm = normalize_apostrophes(text)
        assert _TOKENS(norm) == [norm[a:b] for a, b in tokenize_spans(text)], repr(text)
