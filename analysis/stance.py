"""Stance marking: words a writer denies, sets aside or attributes to others, tagged.

A framing measure that counts words reads "far more than a marriage of convenience" as
transactional and "critics call it an ideological bloc" as the writer's own view. Here
every word in the scope of a stance cue is rewritten with the scope's tag before it is
counted — ``neg:`` (negation), ``rej:`` (rejection and correction: "rather than", "more
than", "so-called"), ``att:`` (attribution: "critics say", "according to", "described
as") — so that a model learns what each construction does to a frame instead of
counting the framed word as if it were asserted. This is the NOT_ marking of Das & Chen
(2001) and Pang et al. (2002), generalised to the three scopes; the cues and the scope
rule are data, in ``analysis/data/stance.toml``, written from descriptions of English
(see its references), not from any text the measures are tested on.

Scope rule
    A cue (whole words, lowercase, longest first; any word ending in ``n't`` is a
    negation cue) opens a scope over at most ``window`` following words. The scope
    closes early at punctuation between two words (quotation marks do not close it) or
    at a terminator word ("but", "however", "although", ...). Scopes do not nest: a
    word is marked by the first scope that reaches it, and the cue words stay unmarked.

The marking is one regular-expression pass per text, so it costs little next to
tokenising.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .text import normalize_apostrophes

STANCE_FILE = Path(__file__).resolve().parent / "data" / "stance.toml"
_TAGS = ("neg", "rej", "att")
#: Tokens the supervised measure counts: a tagged word (``rej:ideology``) or a plain word,
#: which starts with a letter of any script (``état``, not ``tat``).
TOKEN_PATTERN = rf"(?:{'|'.join(_TAGS)}):[^\W\d_][\w'-]*|[^\W\d_][\w'-]*"
_TOKEN = re.compile(TOKEN_PATTERN)
_WORD = re.compile(r"[^\W\d_][\w'-]*")
#: A sentence: up to and including its closing punctuation (and any closing quote or bracket).
_SENTENCE = re.compile(r"[^.!?]*(?:[.!?]+[\"'\u201d\u2019)\]]*|$)")
_CAPITALISED = re.compile(r"(?<![\w'-])[A-Z][\w'-]*")
#: What a masked name becomes: one token that no English word spells.
NAME = "xname"
#: The token :meth:`StanceMarker.joined_tokens` puts between two texts: "a" and a capital
#: dotted I, which no lowercased text contains (``"\u0130".lower()`` is two characters).
SEPARATOR = "a\u0130"
_JOIN = "\0" + SEPARATOR + "\0"


@dataclass(frozen=True)
class StanceCues:
    """The cue lists and scope rule of ``stance.toml``.

    Attributes
    ----------
    scopes : dict ``{tag: tuple of cues}``
    window : int
    terminators : tuple of str
    """

    scopes: dict
    window: int
    terminators: tuple

    def pattern(self, scan: bool = False) -> re.Pattern:
        """One regular expression: a cue, then the words of its scope (group ``scope``).

        A cue must not follow a word character, an apostrophe or a hyphen. With ``scan``
        the pattern consumes that preceding character instead of looking behind for it,
        so that a match starts one character before its cue and no cue is found at the
        very start of a text (prefix one with a character such as ``"\\0"``). The two
        find the same cues and scopes: a match ends with a character of ``[\\w'-]``, so the
        character before the next cue is never part of the match before it. The engine
        then tries a match only where that character stands, about one position in six
        (Python's ``re`` skips to a pattern's leading character set, never to a
        lookbehind), which makes a scan of a long text about 15 % faster.
        """
        cues = sorted({c for cs in self.scopes.values() for c in cs}, key=lambda c: (-len(c), c))
        # the cues grouped by first letter, longest first within a group: the same match as one
        # flat alternation in that order (cues with different first letters never compete), but
        # the regular expression engine tries one group per word instead of every cue
        groups: dict[str, list[str]] = {}
        for c in cues:
            groups.setdefault(c[0], []).append(r"\s+".join(map(re.escape, c.split()))[len(re.escape(c[0])):])
        alternation = "|".join(f"{re.escape(first)}(?:{'|'.join(rest)})" for first, rest in groups.items())
        stop = "|".join(map(re.escape, self.terminators))
        word = r"[\w'-]+"
        gap = r"(?:\s|[\"“”'‘’])+"
        scope = rf"(?P<scope>(?:{gap}(?!(?:{stop})\b){word}){{1,{self.window}}})"
        before = r"[^\w'-]" if scan else r"(?<![\w'-])"
        return re.compile(rf"{before}(?P<cue>{alternation}|[a-z]+n't)(?![\w'-]){scope}")

    def tag_of(self) -> dict:
        """``{normalised cue: tag}``."""
        return {" ".join(c.split()): tag for tag, cs in self.scopes.items() for c in cs}


def load_stance(path: str | Path | None = None) -> StanceCues:
    """Read the stance cues (default: the package's ``data/stance.toml``).

    Examples
    --------
    >>> cues = load_stance()
    >>> sorted(cues.scopes), cues.window
    (['att', 'neg', 'rej'], 6)
    """
    path = Path(path) if path is not None else STANCE_FILE
    with open(path, "rb") as f:
        data = tomllib.load(f)
    scopes = {tag: tuple(c.lower() for c in table["cues"]) for tag, table in sorted(data["scopes"].items())}
    return StanceCues(scopes=scopes, window=int(data["window"]),
                      terminators=tuple(t.lower() for t in data["terminators"]))


def names_masked(text: str) -> str:
    """Replace every capitalised word that does not open a sentence with :data:`NAME`.

    Proper names (states, capitals, groups, people) tell a model *who* a paragraph is
    about, which written training paragraphs tie to their writer's brief; the frame is
    in how the relation is described. A capitalised word that opens a sentence is kept,
    since its case says nothing.

    Examples
    --------
    >>> names_masked("Moscow buys drones. It pays Tehran in gold, the Kremlin says.")
    'Moscow buys drones. It pays xname in gold, the xname says.'
    """
    out = []
    for m in _SENTENCE.finditer(text):
        sentence = m.group()
        first = re.search(r"[A-Za-z]", sentence)
        start = first.start() if first else len(sentence)
        out.append(sentence[:start + 1] + _CAPITALISED.sub(NAME, sentence[start + 1:]) if first else sentence)
    return "".join(out)


@lru_cache(maxsize=4)
def _compiled(path: str) -> tuple[re.Pattern, dict, re.Pattern]:
    """The cue pattern, the tag of each cue and the scanning form of the pattern."""
    cues = load_stance(path or None)
    return cues.pattern(), cues.tag_of(), cues.pattern(scan=True)


def _cue_tag(m: re.Match, tags: dict) -> tuple[str, str]:
    """The cue of a match of :meth:`StanceCues.pattern` (spaces normalised) and its scope's tag."""
    cue = " ".join(m.group("cue").split())
    return cue, tags.get(cue, "neg")  # only the n't words are missing from the table


def cue_matches(text: str, path: str | Path | None = None) -> list[tuple[int, str, str]]:
    """``(start, cue, tag)`` of every stance cue in ``text`` that opens a scope.

    The cues the marking finds, in the lowercased text with plain apostrophes (the same
    length as ``text``, so ``start`` is a character offset into either).

    Examples
    --------
    >>> cue_matches("Critics call it a bloc, not a deal.")
    [(0, 'critics', 'att'), (24, 'not', 'neg')]
    """
    pattern, tags, _ = _compiled(str(path) if path is not None else "")
    return [(m.start("cue"), *_cue_tag(m, tags)) for m in pattern.finditer(normalize_apostrophes(text).lower())]


class StanceMarker:
    """Lowercase a text and tag every word in a stance scope; a picklable callable.

    Used as the ``preprocessor`` of a scikit-learn vectorizer (with
    :data:`TOKEN_PATTERN` as its ``token_pattern``). With ``enabled=False`` it only
    lowercases, so a specification can switch stance marking off.

    Examples
    --------
    >>> mark = StanceMarker()
    >>> mark("Far more than a marriage of convenience, it is a creed.")
    'far more than rej:a rej:marriage rej:of rej:convenience, it is a creed.'
    >>> mark("Critics call it an ideological bloc; it is not.")
    'critics att:call att:it att:an att:ideological att:bloc; it is not.'
    >>> mark("Not transactional but ideological.")
    'not neg:transactional but ideological.'
    """

    def __init__(self, enabled: bool = True, path: str | Path | None = None, names: bool = False):
        self.enabled = enabled
        self.path = str(path) if path is not None else ""
        self.names = names

    def __call__(self, text: str) -> str:
        text = self._lowered(text)
        if not self.enabled:
            return text
        pattern, tags, _ = _compiled(self.path)
        return pattern.sub(lambda m: self._tagged(m, tags), text)

    def _lowered(self, text: str) -> str:
        return normalize_apostrophes(names_masked(text) if self.names else text).lower()

    def tokens(self, text: str) -> list[str]:
        """The tokens (:data:`TOKEN_PATTERN`) of the marked text, found without building it.

        The same list as ``re.findall(TOKEN_PATTERN, marker(text))``: outside a scope the
        text is tokenised as it stands; a scope's words get their tag as they are found.
        Neither a cue nor a scope can share a token with the text around it (a cue starts
        and ends at a word boundary, a scope ends at one), so the pieces concatenate.

        Examples
        --------
        >>> StanceMarker().tokens("Far more than a deal, it is a creed.")
        ['far', 'more', 'than', 'rej:a', 'rej:deal', 'it', 'is', 'a', 'creed']
        """
        return self.joined_tokens([text])

    def joined_tokens(self, texts: Sequence[str]) -> list[str]:
        """The :meth:`tokens` of every text in one list, :data:`SEPARATOR` between two texts.

        The texts are lowercased one by one and joined by a null character, the separator
        word and another null character, then marked and tokenised in one pass. A null
        character is neither a word, a space nor a quotation mark, so no cue, scope or
        token reaches across it, and the separator (a capital dotted I, which lowercasing
        removes from every text) is a token that no text produces. One pass over a batch
        costs less than one per text: ``score`` tokenises every paragraph this way.

        Examples
        --------
        >>> StanceMarker().joined_tokens(["Not a deal.", "", "A bloc."])
        ['not', 'neg:a', 'neg:deal', 'aİ', 'aİ', 'a', 'bloc']
        """
        # a leading null character stands before a cue at the start (see ``pattern(scan=True)``)
        text = "\0" + _JOIN.join(map(self._lowered, texts))
        # a text that spells no tag ("neg:" ...) has the tokens of the plainer, faster pattern
        token = _TOKEN if any(tag + ":" in text for tag in _TAGS) else _WORD
        if not self.enabled:
            return token.findall(text)
        _, tags, pattern = _compiled(self.path)
        found: list[str] = []
        at = 0
        for m in pattern.finditer(text):
            scope = m.start("scope")
            found += token.findall(text, at, scope)
            tag = _cue_tag(m, tags)[1] + ":"
            found += map(tag.__add__, _WORD.findall(text, scope, m.end()))
            at = m.end()
        found += token.findall(text, at)
        return found

    @staticmethod
    def _tagged(m: re.Match, tags: dict) -> str:
        _, tag = _cue_tag(m, tags)
        # a template is expanded in C; a Python callable would be called once per word
        scope = _WORD.sub(tag + r":\g<0>", m.group("scope"))
        return m.group("cue") + scope

    def __eq__(self, other) -> bool:
        return isinstance(other, StanceMarker) and (self.enabled, self.path, self.names) == (
            other.enabled, other.path, other.names)

    def __hash__(self) -> int:
        return hash((self.enabled, self.path, self.names))

    def __repr__(self) -> str:
        return f"StanceMarker(enabled={self.enabled}, names={self.names})"


class StanceAnalyzer:
    """Text → features for a vectorizer: stance-marked words and, optionally, word pairs.

    A picklable ``analyzer`` for scikit-learn vectorizers: :class:`StanceMarker`, then
    the tokens of :data:`TOKEN_PATTERN`, stopwords dropped (a tagged word is never a
    stopword), then the pairs of consecutive remaining tokens when ``ngram_max`` is 2 —
    the features scikit-learn's own analyzer gives with ``ngram_range=(1, 2)`` and a
    stopword list, built with C-level ``zip``/``map`` instead of a Python loop.

    Examples
    --------
    >>> StanceAnalyzer(ngram_max=2)("Not a deal.")
    ['not', 'neg:a', 'neg:deal', 'not neg:a', 'neg:a neg:deal']
    >>> StanceAnalyzer(ngram_max=1, stopwords=frozenset({"not", "a"}))("Not a deal.")
    ['neg:a', 'neg:deal']
    """

    def __init__(self, stance: bool = True, names: bool = False, ngram_max: int = 1,
                 stopwords: frozenset | None = None):
        self.marker = StanceMarker(stance, names=names)
        self.ngram_max = ngram_max
        self.stopwords = stopwords

    def __call__(self, text) -> list[str]:
        if isinstance(text, list):  # already analysed (see SupervisedScorer._tokens)
            return text
        tokens = self.tokens(text)
        if self.ngram_max >= 2:
            return tokens + list(map(" ".join, zip(tokens, tokens[1:])))
        return tokens

    def tokens(self, text: str) -> list[str]:
        """The single-word features of ``text`` (pairs are formed from these, in order).

        Examples
        --------
        >>> StanceAnalyzer(ngram_max=2).tokens("Not a deal.")
        ['not', 'neg:a', 'neg:deal']
        """
        return self.joined_tokens([text])

    def joined_tokens(self, texts: Sequence[str]) -> list[str]:
        """The single-word features of every text in one list, :data:`SEPARATOR` between two
        texts (:meth:`StanceMarker.joined_tokens`, stopwords dropped).

        Examples
        --------
        >>> StanceAnalyzer(stopwords=frozenset({"a"})).joined_tokens(["Not a deal.", "A bloc."])
        ['not', 'neg:a', 'neg:deal', 'aİ', 'bloc']
        """
        tokens = self.marker.joined_tokens(texts)
        if self.stopwords:
            tokens = [t for t in tokens if t not in self.stopwords]
        return tokens
