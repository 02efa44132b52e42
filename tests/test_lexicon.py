"""Tests for analysis.lexicon: matching, false friends, negation scopes and target windows."""
from __future__ import annotations

import pytest

from analysis.codebook import load_codebook
from analysis.lexicon import Lexicon
from toys import toy_codebook


@pytest.fixture
def cb(tmp_path):
    return toy_codebook(tmp_path)


@pytest.mark.parametrize("text, expected", [
    # the two cases named in the study's brief
    ("It is neither recent nor a deal.", [("deal", True)]),
    ("This is not an ideology alliance.", [("ideology", True)]),
    # pseudo-negation opens no scope; a comma closes one
    ("Not only a deal but an ideology", [("deal", False), ("ideology", False)]),
    ("Not a deal, an ideology", [("deal", True), ("ideology", False)]),
    # terminator word closes the scope
    ("no doubt about it", []),
    ("never a deal but ideology", [("deal", True), ("ideology", False)]),
    # window: the cue covers five words after it, not six
    ("not a b c d ideology", [("ideology", True)]),
    ("not a b c d e ideology", [("ideology", False)]),
    # multiword cue and n't
    ("a deal rather than ideology", [("deal", False), ("ideology", True)]),
    ("Iran doesn't deter; it wants credibility", [("deter", True), ("credibility", False)]),
    # multiword seed, longest first; stems match inflections
    ("a marriage of convenience and two deals", [("marriage of convenience", False), ("deal", False)]),
    ("Marriages of Convenience", [("marriage of convenience", False)]),
    # false friends: masked whatever the case, or only in the proper-name spelling
    ("the Axis of Resistance and resistance", [("resistance", False)]),
    ("the New Deal, a new deal", [("deal", False)]),
])
def test_matches(cb, text, expected):
    assert [(m.term, m.negated) for m in Lexicon(cb).matches(text)] == expected


def test_clean_drops_masked_and_negated_and_joins_multiword(cb):
    assert Lexicon(cb).clean("Not a deal: a marriage of convenience, not the axis of resistance.") == \
        "not a a marriage-of-convenience not the"


def test_study_codebook_negation_examples():
    lex = Lexicon(load_codebook())
    assert [(m.term, m.negated) for m in lex.matches("The relationship is neither recent nor transactional.")] == \
        [("transactional", True)]
    assert [(m.term, m.negated) for m in lex.matches("This is not an ideological alliance.")] == \
        [("ideology", True)]
    assert lex.matches("a 20-year strategic partnership and the axis of resistance") == []


@pytest.mark.parametrize("text, expected", [
    # (term, negated, off_target) for each match, counted by hand with a 2-word window
    ("a deal with an ally", [("deal", False, True)]),            # 'ally' is 3 words after 'deal'
    ("a deal with ally", [("deal", False, False)]),              # ... 2 words after
    ("their deal, allies", [("deal", False, False)]),            # 'allies' stems to the target 'alli'
    ("a deal of sorts with them", [("deal", False, True)]),      # no target at all
    ("the pact was a deal", [("deal", False, True)]),            # 'pact' is 3 words before 'deal'
    ("a pact and deal", [("deal", False, False)]),               # 2 words before
    ("not a deal, ally", [("deal", True, False)]),               # negation is kept apart from the target rule
    ("shared values pact", [("shared values", False, False)]),   # the window counts from the expression's ends
    ("deter an ally", [("deter", False, False)]),                # force has no window: always counted
    ("deter the enemy", [("deter", False, False)]),
])
def test_target_window_by_hand(targeted, text, expected):
    cb, _ = targeted
    got = [(m.term, m.negated, m.off_target) for m in Lexicon(cb).matches(text)]
    assert got == expected


def _phrase_texts(codebook, n: int = 3000, seed: int = 1) -> list[str]:
    """Random texts made of the codebook's false friends, negation cues and pole terms."""
    import random

    rng = random.Random(seed)
    pieces = ([f.phrase + " " for f in codebook.false_friends]
              + [c + " " for c in codebook.negation.cues + codebook.negation.pseudo]
              + [t + " " for pole in codebook.poles for t in pole.terms] + ["the ", ", ", ". ", "Iran ", "not "])
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(n)]


def test_indexed_phrase_search_finds_what_a_scan_of_every_phrase_finds():
    import numpy as np

    from analysis.text import stem
    from analysis.words import word_spans

    def first_phrase(words, i, phrases):  # the first phrase, in list order, that starts at i
        return next((len(p) for p in phrases if tuple(words[i:i + len(p)]) == p), 0)

    def masked(lex, text, spans, stems):  # every false friend tried at every word
        out, surface, i = np.zeros(len(spans), dtype=bool), [text[s:e] for s, e, _ in spans], 0
        while i < len(spans):
            hit = next((len(k) for k, _, cs in lex.friends if tuple((surface if cs else stems)[i:i + len(k)]) == k), 0)
            out[i:i + hit] = hit > 0
            i += hit or 1
        return out

    codebook = load_codebook()
    lex = Lexicon(codebook)
    texts = _phrase_texts(codebook)
    assert sum(masked(lex, t, word_spans(t), [stem(w) for _, _, w in word_spans(t)]).any() for t in texts) > 100
    for t in texts:
        spans = word_spans(t)
        stems, words = [stem(w) for _, _, w in spans], [w for _, _, w in spans]
        assert np.array_equal(lex._masked(t, spans, stems), masked(lex, t, spans, stems)), t
        for i in range(len(words)):
            assert lex._starts_with(words, i, lex.cue_index) == first_phrase(words, i, lex.cues), t
            assert lex._starts_with(words, i, lex.pseudo_index) == first_phrase(words, i, lex.pseudo), t


def test_feature_codes_are_the_features_in_one_table_and_remembered():
    lexicon = Lexicon(load_codebook())
    texts = ["A marriage of convenience, not the axis of resistance.", "Deterrence works.", "Deterrence works."]
    table, coded = lexicon.feature_codes(texts)
    assert [[table.terms[c] for c in doc] for doc in coded] == [lexicon.features(t) for t in texts]
    again, coded_again = lexicon.feature_codes(texts[::-1])
    assert again is table and coded_again[0] is coded[2] is coded[1]  # one table, each text coded once


def test_one_analysis_serves_both_flags_only_without_target_windows(targeted):
    windowed_cb, plain_cb = targeted
    plain, windowed = Lexicon(plain_cb), Lexicon(windowed_cb)
    assert not plain.targets and windowed.targets
    text = "a deal with an ally"
    assert plain.analyse(text, targeted=True) is plain.analyse(text, targeted=False)
    on, off = windowed.analyse(text, targeted=True), windowed.analyse(text, targeted=False)
    assert on is not off
    assert [m.off_target for m in on[2]] == [True] and [m.off_target for m in off[2]] == [False]
