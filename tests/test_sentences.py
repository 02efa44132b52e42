"""Tests for analysis.sentences: Punkt trained on the corpus itself, spans, abbreviations."""
from __future__ import annotations

import pytest

from analysis.sentences import ABBREVIATIONS, sentence_spans, sentence_tokenizer

#: Six mentions of 'Brig.' before a name, never 'brig' without its period: enough for Punkt
#: to learn it as an abbreviation (its listed abbreviations do not include it).
BRIG_TRAINING = [f"The envoy met Brig. Name{i} in the capital." for i in range(6)]
BRIG_TEXT = "Officials met Brig. Hajizadeh in Tehran. The talks ended."

TEXTS = [
    "It rained. Then it stopped.",
    "Iran\u2019s allies met U.S. officials on Oct. 7. Gen. Smith spoke first.",
    "\u201cWhy?\u201d he asked. \u201cBecause!\u201d She left.",
    "No final period here",
    "Tehran said yes.\nMoscow agreed.  Beijing waited!",
    "",
    "   \n\t ",
]


def sentences(tokenizer, text):
    return [text[a:b] for a, b in sentence_spans(tokenizer, text)]


@pytest.fixture(scope="module")
def untrained():
    return sentence_tokenizer([])


@pytest.mark.parametrize("text", TEXTS)
def test_spans_cover_every_character_but_whitespace(untrained, text):
    spans = sentence_spans(untrained, text)
    # in order, not overlapping, inside the text
    assert all(0 <= a < b <= len(text) for a, b in spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))
    # every non-space character lies in a span; what no span covers is whitespace
    covered = {i for a, b in spans for i in range(a, b)}
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)
    # a sentence ends on a non-space character
    assert all(not text[b - 1].isspace() for _, b in spans)


@pytest.mark.parametrize("text, expected", [
    ("It rained. Then it stopped.", ["It rained.", "Then it stopped."]),
    ("", []),
    ("   ", []),
    ("No final period here", ["No final period here"]),
    # listed abbreviations: titles, months, dotted country names
    ("Gen. Smith met Mr. Zarif on Oct. 7. They talked.", ["Gen. Smith met Mr. Zarif on Oct. 7.", "They talked."]),
    ("Iran\u2019s allies met U.S. officials. They talked.", ["Iran\u2019s allies met U.S. officials.", "They talked."]),
    ("He lives in Monterey, Calif. and works there.", ["He lives in Monterey, Calif. and works there."]),
    # ? and ! end a sentence, unless the next one would begin in lowercase
    ('"Why?" he asked.', ['"Why?" he asked.']),
    ("\u201cWhy?\u201d he asked. \u201cBecause!\u201d She left.",
     ["\u201cWhy?\u201d he asked.", "\u201cBecause!\u201d", "She left."]),
    ("Is it a deal? no one knows. Yes!", ["Is it a deal? no one knows.", "Yes!"]),
    ("Is it a deal? Nobody knows!", ["Is it a deal?", "Nobody knows!"]),
    # a newline inside a paragraph is not a sentence end by itself
    ("Tehran waited\nand Moscow agreed.", ["Tehran waited\nand Moscow agreed."]),
])
def test_sentences(untrained, text, expected):
    assert sentences(untrained, text) == expected


def test_abbreviations_are_lowercase_without_final_period():
    assert all(a == a.lower() and not a.endswith(".") for a in ABBREVIATIONS)
    assert {"u.s", "gen", "oct", "mr", "e.g"} <= ABBREVIATIONS


def test_without_the_list_a_title_ends_a_sentence():
    # the list, not Punkt's guesswork on an empty training text, keeps 'Gen. Smith' together
    assert sentences(sentence_tokenizer([], abbreviations=[]), "He met Gen. Smith today.") == \
        ["He met Gen.", "Smith today."]
    assert sentences(sentence_tokenizer([], abbreviations=["gen"]), "He met Gen. Smith today.") == \
        ["He met Gen. Smith today."]


def test_the_training_text_teaches_an_abbreviation(untrained):
    assert "brig" not in ABBREVIATIONS
    # untrained, 'Brig.' is a sentence end ...
    assert sentences(untrained, BRIG_TEXT) == ["Officials met Brig.", "Hajizadeh in Tehran.", "The talks ended."]
    # ... trained on text that uses it as a title, it is not
    trained = sentence_tokenizer(BRIG_TRAINING)
    assert "brig" in trained._params.abbrev_types
    assert sentences(trained, BRIG_TEXT) == ["Officials met Brig. Hajizadeh in Tehran.", "The talks ended."]


def test_training_reads_any_iterable_once():
    trained = sentence_tokenizer(t for t in BRIG_TRAINING)
    assert sentences(trained, BRIG_TEXT)[0] == "Officials met Brig. Hajizadeh in Tehran."


def test_training_is_deterministic():
    corpus = BRIG_TRAINING + [t for t in TEXTS if t.strip()]
    first, second = sentence_tokenizer(corpus), sentence_tokenizer(list(corpus))
    for attr in ("abbrev_types", "collocations", "sent_starters"):
        assert getattr(first._params, attr) == getattr(second._params, attr), attr
    assert dict(first._params.ortho_context) == dict(second._params.ortho_context)
    for text in TEXTS + [BRIG_TEXT]:
        assert sentence_spans(first, text) == sentence_spans(second, text)


def test_unicode_text_keeps_its_offsets(untrained):
    arabic = "\u0627\u0644\u0623\u0631\u0628\u0639\u0627\u0621"  # 'Wednesday', as in the WSJ dateline
    text = f"Araghchi\u2019s visit \u2014 a fin de r\u00e9gime? Perhaps. {arabic} ended."
    got = sentences(untrained, text)
    assert got == ["Araghchi\u2019s visit \u2014 a fin de r\u00e9gime?", "Perhaps.",
                   f"{arabic} ended."]


@pytest.mark.parametrize("text, expected", [
    ("Tehran said no. The talks ended.", ["Tehran said no.", "The talks ended."]),
    ("Tehran said no. Washington shrugged.", ["Tehran said no.", "Washington shrugged."]),
    ("The envoy fell ill. Talks stopped.", ["The envoy fell ill.", "Talks stopped."]),
])
def test_a_common_word_before_a_period_ends_a_sentence(text, expected):
    # trained on its own text, as the corpus is
    assert sentences(sentence_tokenizer([text]), text) == expected


def test_a_listed_abbreviation_still_does_not_end_a_sentence():
    text = "Gen. Smith met Sen. Jones in Calif. on Monday. They talked."
    assert sentences(sentence_tokenizer([text]), text) == ["Gen. Smith met Sen. Jones in Calif. on Monday.",
                                                           "They talked."]


def test_a_word_not_in_the_list_ends_a_sentence():
    # the control for the case above: 'yes' is no abbreviation
    text = "Tehran said yes. Washington shrugged."
    assert sentences(sentence_tokenizer([text]), text) == ["Tehran said yes.", "Washington shrugged."]


def test_spans_start_at_the_first_character(untrained):
    assert sentence_spans(untrained, "  It rained.  Then it stopped.") == [(2, 12), (14, 30)]


@pytest.mark.parametrize("text, expected", [
    ("Iran violated Resolution No. 2231 last year. Talks stalled.",
     ["Iran violated Resolution No. 2231 last year.", "Talks stalled."]),
    ("He is the No. 2 official. He left.", ["He is the No. 2 official.", "He left."]),
    ("Tehran said no. 2024 was different.", ["Tehran said no. 2024 was different."]),
])
def test_no_before_a_number_is_the_number_sign(text, expected):
    # the last case is the price of the rule: a sentence ending in "no." before one opening
    # with a number is read as one
    assert sentences(sentence_tokenizer([text]), text) == expected
