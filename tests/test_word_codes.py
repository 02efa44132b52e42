"""Tests for analysis.word_codes: the factored word patterns find the same words."""
from __future__ import annotations

import random
import re

import pytest

from analysis.text import TOKEN_PATTERN
from analysis.word_codes import pattern_findall
from analysis.words import WORD_PATTERN


@pytest.mark.parametrize("pattern, fast", [(WORD_PATTERN.pattern, pattern_findall(WORD_PATTERN.pattern)),
                                           (TOKEN_PATTERN, pattern_findall(TOKEN_PATTERN))])
def test_factored_word_patterns_find_the_same_words(pattern, fast):
    assert fast.__self__.pattern != pattern  # the factored form is in use
    rng = random.Random(0)
    # letters of two scripts, the possessive's s, digits, underscore, superscript, a combining
    # mark, a joiner and the punctuation the patterns treat specially
    alphabet = "aZqsS.'- ,\u2019xé9_²\u0301\u200cह"
    strings = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(20000)]
    assert [fast(s) for s in strings] == [re.findall(pattern, s) for s in strings]


def test_unknown_pattern_is_used_as_given():
    assert pattern_findall(r"[a-z]+")("ab cd") == ["ab", "cd"]
