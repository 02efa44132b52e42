"""Tests for analysis.stance: the scope rule on hand-worked sentences."""
from __future__ import annotations

import pickle

import pytest
from sklearn.feature_extraction.text import CountVectorizer

from analysis.stance import TOKEN_PATTERN, StanceMarker, load_stance


@pytest.mark.parametrize("text, expected", [
    # negation: the scope covers the words after the cue, up to punctuation
    ("Not a deal, a creed.", "not neg:a neg:deal, a creed."),
    # a terminator closes the scope; the words after it are asserted
    ("It is not ideology but money.", "it is not neg:ideology but money."),
    # n't words are negation cues
    ("They don't share a creed.", "they don't neg:share neg:a neg:creed."),
    # rejection: "more than", "rather than", "so-called"
    ("More than a bargain.", "more than rej:a rej:bargain."),
    ("Prestige rather than deterrence.", "prestige rather than rej:deterrence."),
    ("The so-called bloc holds.", "the so-called rej:bloc rej:holds."),
    # the longest cue wins: "not merely" is a rejection, not a plain negation
    ("Not merely a deal.", "not merely rej:a rej:deal."),
    # attribution
    ("Critics call it a deal.", "critics att:call att:it att:a att:deal."),
    # ... and a comma closes the scope
    ("According to officials, it deters.", "according to att:officials, it deters."),
    # quotation marks do not close a scope
    ('Not "resistance" at all.', 'not "neg:resistance" neg:at neg:all.'),
    # the window: at most six words
    ("No one two three four five six seven.", "no neg:one neg:two neg:three neg:four neg:five neg:six seven."),
    # a cue inside a word is not a cue
    ("Notable allies.", "notable allies."),
])
def test_scope_rule(text, expected):
    assert StanceMarker()(text) == expected


def test_disabled_marker_only_lowercases():
    assert StanceMarker(enabled=False)("Not A Deal.") == "not a deal."


def test_marked_words_are_single_tokens():
    vec = CountVectorizer(preprocessor=StanceMarker(), token_pattern=TOKEN_PATTERN).fit(["Not a deal but a creed."])
    assert sorted(vec.vocabulary_) == ["a", "but", "creed", "neg:a", "neg:deal", "not"]


def test_marker_pickles_and_compares():
    m = StanceMarker()
    assert pickle.loads(pickle.dumps(m)) == m
    assert m != StanceMarker(enabled=False)


def test_cue_lists_are_disjoint_across_scopes():
    cues = load_stance()
    seen = {}
    for tag, cs in cues.scopes.items():
        for c in cs:
            assert c not in seen, f"{c!r} is a cue of both {seen.get(c)} and {tag}"
            seen[c] = tag


def test_every_cue_opens_its_scope():
    # the cues are grouped by first letter in the pattern; each must still be found, with its tag
    from analysis.stance import StanceMarker, load_stance

    mark = StanceMarker()
    for tag, cues in load_stance().scopes.items():
        for cue in cues:
            assert mark(f"x {cue} alpha beta") == f"x {cue} {tag}:alpha {tag}:beta", cue


def test_the_longest_cue_sharing_a_first_word_wins():
    from analysis.stance import StanceMarker, load_stance

    cues = {c for cs in load_stance().scopes.values() for c in cs}
    pairs = [(a, b) for a in cues for b in cues if a != b and b.startswith(a + " ")]
    assert pairs, "the cue list has no cue that extends another"
    mark = StanceMarker()
    for short, long in pairs:
        rest = long[len(short) + 1:]
        # the longer cue's own words stay unmarked: it, not the shorter one, opened the scope
        assert f" {rest} " in f" {mark(f'{long} alpha')} ", (short, long)


def _fuzz_texts(n: int, seed: int = 0) -> list[str]:
    """Short random strings built from the characters and pieces the scope rule turns on."""
    import random

    rng = random.Random(seed)
    pieces = list("ab xn't\"“”'‘’-_9.,;:\n\t") + ["not ", "rather than ", "neg:", "said ", "but ", "N'T ",
                                                   "far  from", "1990s ", "'tis ", "Critics ", "U.S. "]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 60))) for _ in range(n)]


@pytest.mark.parametrize("enabled, names", [(True, False), (True, True), (False, False)])
def test_tokens_are_the_tokens_of_the_marked_text(enabled, names):
    import re

    from analysis.corpus import load_corpus
    from analysis.exemplars import load_exemplars

    marker = StanceMarker(enabled, names=names)
    texts = load_corpus().paragraphs["text"].tolist() + load_exemplars()["text"].tolist() + _fuzz_texts(20_000)
    token = re.compile(TOKEN_PATTERN)
    differ = [t for t in texts if marker.tokens(t) != token.findall(marker(t))]
    assert differ == []


@pytest.mark.parametrize("enabled, names", [(True, False), (True, True), (False, False)])
def test_joined_tokens_are_each_texts_tokens_between_separators(enabled, names):
    import random

    from analysis.corpus import load_corpus
    from analysis.exemplars import load_exemplars
    from analysis.stance import SEPARATOR

    marker = StanceMarker(enabled, names=names)
    # pieces that could reach across the joint: a scope left open at a text's end, a final sigma,
    # the joining character, a capital dotted I, a cue split over two texts
    edges = ["not", "rather", "than the", "\u03a3", "\u0391\u03a3", "\0", "\u0130", "a\u0130", "", "n't", "Critics"]
    texts = load_corpus().paragraphs["text"].tolist() + load_exemplars()["text"].tolist()[:400] + _fuzz_texts(3000, 1)
    rng = random.Random(3)
    batches = [texts[i:i + 7] for i in range(0, len(texts), 7)]
    batches += [[rng.choice(edges) + rng.choice(texts[-3000:]) + rng.choice(edges) for _ in range(rng.randint(1, 6))]
                for _ in range(3000)]
    batches += [[], [""], ["", ""]]
    for batch in batches:
        want = [tok for i, t in enumerate(batch) for tok in ([SEPARATOR] if i else []) + marker.tokens(t)]
        assert marker.joined_tokens(batch) == want, batch


def test_no_text_produces_the_separator():
    from analysis.stance import SEPARATOR

    for t in ["a\u0130", "A\u0130", "Ai\u0307", "ai\u0307"]:
        assert SEPARATOR not in StanceMarker().tokens(t)


def test_words_that_start_with_a_letter_of_any_script_are_whole_tokens():
    assert StanceMarker().tokens("\u00c9tat and \u00d6zal, not \u00e9lan") == ["\u00e9tat", "and", "\u00f6zal", "not",
                                                                                  "neg:\u00e9lan"]


def test_the_scanning_pattern_finds_the_cues_the_lookbehind_finds():
    from analysis.corpus import load_corpus
    from analysis.stance import load_stance

    cues = load_stance()
    behind, scan = cues.pattern(), cues.pattern(scan=True)
    texts = load_corpus().paragraphs["text"].str.lower().tolist() + _fuzz_texts(5000, 2)
    for text in texts:
        want = [(m.start("cue"), m.end(), m.group("cue"), m.group("scope")) for m in behind.finditer(text)]
        got = [(m.start("cue") - 1, m.end() - 1, m.group("cue"), m.group("scope")) for m in scan.finditer("\0" + text)]
        assert got == want, text
    assert any(behind.search(t) for t in texts) and not scan.match("not a deal")  # no cue at the very start
