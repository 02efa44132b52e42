"""Words as the codebook's terms and the dictionary see them: spans, counts and stem keys.

Terms are normalised the way the measures match them: lowercase words (a hyphen
separates words, a possessive ``'s`` is dropped), each reduced to its Snowball stem.
"""
from __future__ import annotations

import re

from .text import normalize_apostrophes, stem


#: Words as the dictionary sees them: dotted acronyms, or letters (of any script) joined by apostrophes.
#: Unlike :data:`analysis.text.TOKEN_PATTERN`, a hyphen splits words, so that
#: "burden-sharing" and "burden sharing" are the same expression.
WORD_PATTERN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_]+(?:'[^\W\d_]+)*")


_POSSESSIVE = re.compile(r"'s$", re.IGNORECASE)


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` of each word, lowercased, possessive ``'s`` removed.

    Examples
    --------
    >>> word_spans("Iran’s burden-sharing")
    [(0, 6, 'iran'), (7, 13, 'burden'), (14, 21, 'sharing')]
    """
    text = normalize_apostrophes(text)
    return [(m.start(), m.end(), _POSSESSIVE.sub("", m.group().lower()))
            for m in WORD_PATTERN.finditer(text)]


#: :data:`WORD_PATTERN` with its two alternatives sharing their first letter: the same
#: matches (an abbreviation such as "U.S." first, else a word), found with one attempt per
#: word instead of two; :func:`word_count` uses it on every paragraph ``score`` reads.
_WORD_START = re.compile(r"[^\W\d_](?:\.(?:[^\W\d_]\.)+|[^\W\d_]*(?:'[^\W\d_]+)*)")


def word_count(text: str) -> int:
    """The number of words :func:`word_spans` finds in ``text``, counted without building them.

    Examples
    --------
    >>> word_count("Iran’s burden-sharing with the U.S. and the E.U")
    10
    >>> len(word_spans("Iran’s burden-sharing with the U.S. and the E.U"))
    10
    """
    return len(_WORD_START.findall(normalize_apostrophes(text)))


def term_words(term: str) -> list[str]:
    """The lowercase words of a codebook term.

    Examples
    --------
    >>> term_words("Marriage of convenience")
    ['marriage', 'of', 'convenience']
    """
    return [w for _, _, w in word_spans(term)]


def term_key(term: str) -> tuple[str, ...]:
    """The stem sequence a term is matched on.

    Examples
    --------
    >>> term_key("bargaining chips")
    ('bargain', 'chip')
    """
    return tuple(stem(w) for w in term_words(term))
