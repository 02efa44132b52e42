"""The codebook compiled for matching: false friends, seed terms, negation and features.

Every lexicon measure (:mod:`analysis.measures`) reads a text through a :class:`Lexicon`.

Shared text preparation (:class:`Lexicon`)
    Words are lowercase, a hyphen separates words and a possessive ``'s`` is dropped.
    False friends (proper names, treaty titles) are masked first. Seed terms are matched
    on Snowball stems, longest expression first, each word used once. A match in the
    scope of a negation cue is *negated* (rule below). For the two bag-of-words measures
    the text then becomes a list of features (:meth:`Lexicon.features`): masked and
    negated matches are removed, every other multiword match becomes one hyphenated
    token ("marriage-of-convenience"), scikit-learn's English stopwords are dropped and
    the rest reduced to Snowball stems, so that all three measures see the same evidence.
    Each text is analysed once and shared by the three measures, and every step is a
    linear scan or a sparse product, so scoring many paragraphs is fast.

Negation scope rule
    The scope of a cue (``not``, ``no``, ``never``, ``neither``, ``nor``, ``without``,
    any word ending in ``n't``, "rather than", ... — listed in the codebook) opens after
    the cue and covers at most ``window`` (5) words; it closes early at a terminator word
    (``but``, ``however``, ``yet``, ...) or at punctuation between two words
    (``, ; : . ! ? ( ) [ ] …`` and dashes). Pseudo-negations ("not only", "no doubt")
    open no scope. A match whose first word lies in a scope does not count. After
    NegEx (Chapman et al. 2001).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer

from .codebook import Codebook, load_codebook
from .dtm import CodedTfidfVectorizer, TermCodes
from .text import STOPWORDS, normalize_apostrophes, stem
from .words import WORD_PATTERN, word_spans

#: Punctuation between two words that closes a negation scope (quotation marks do not).
SCOPE_BREAK = re.compile(r"[,;:.!?()\[\]{}\u2014\u2013\u2026]|\s-+\s|--")


_LEXICONS: dict[str, "Lexicon"] = {}


#: Codebooks whose lexicon (with its remembered analyses) is kept at once.
LEXICONS_KEPT = 4


def phrases_by_first(phrases) -> dict[str, list[tuple]]:
    """Word phrases grouped by their first word, in their given order within each group.

    Finding the first phrase of a list that starts at a word only needs the phrases that
    start with that word, and keeping their order keeps which one is found first.

    Examples
    --------
    >>> phrases_by_first([("not", "only"), ("no",), ("not",)])
    {'not': [('not', 'only'), ('not',)], 'no': [('no',)]}
    """
    out: dict[str, list[tuple]] = {}
    for phrase in phrases:
        if phrase:  # an empty phrase starts nowhere (it would match as length 0, i.e. not at all)
            out.setdefault(phrase[0], []).append(phrase)
    return out


def lexicon_of(codebook: Codebook) -> "Lexicon":
    """The :class:`Lexicon` of ``codebook``, built once per codebook and shared by every
    measure fitted with it, so that a text is analysed once however many measures and
    folds read it.

    Codebooks are told apart by value (their ``repr``), not by identity: scikit-learn's
    ``clone`` gives every refitted measure a copy of its codebook, and the copies share
    one lexicon.

    Examples
    --------
    >>> import copy
    >>> cb = load_codebook()
    >>> lexicon_of(cb) is lexicon_of(copy.deepcopy(cb))
    True
    """
    key = repr(codebook)
    lexicon = _LEXICONS.get(key)
    if lexicon is None:
        lexicon = _LEXICONS[key] = Lexicon(codebook)
        while len(_LEXICONS) > LEXICONS_KEPT:  # the oldest first (dicts keep insertion order)
            del _LEXICONS[next(iter(_LEXICONS))]
    return lexicon


def texts_check(X, name: str = "X") -> list[str]:
    """``X`` as a list of texts, or a ValueError that says what to pass instead (``name``: what
    the caller calls ``X``).

    Examples
    --------
    >>> texts_check(("a", "b"))
    ['a', 'b']
    """
    if isinstance(X, str):
        raise ValueError(f"{name} must be a list of texts, not a single string — wrap it as [text]")
    if isinstance(X, pd.DataFrame):
        raise ValueError(f"{name} must be a list or Series of texts, not a DataFrame — pass its text column")
    texts = list(X)
    bad = [i for i, t in enumerate(texts) if not isinstance(t, str)]
    if bad:
        raise ValueError(f"{name}[{bad[0]}] is {type(texts[bad[0]]).__name__}, not str — every unit must be a text")
    return texts


@dataclass(frozen=True)
class Match:
    """One seed term found in a text (``first``/``last``: word positions, ``[first, last)``)."""

    term: str
    pole: str
    contrast: str
    start: int
    end: int
    first: int
    last: int
    negated: bool
    off_target: bool = False

    @property
    def counted(self) -> bool:
        """Whether the match is evidence: not negated, and near a target word when its
        contrast asks for one."""
        return not (self.negated or self.off_target)


class Lexicon:
    """The codebook compiled for matching: false friends, seed terms and negation.

    Parameters
    ----------
    codebook : Codebook

    Examples
    --------
    >>> lex = Lexicon(load_codebook())
    >>> [(m.term, m.negated) for m in lex.matches("It is neither recent nor transactional.")]
    [('transactional', True)]
    >>> lex.clean("A marriage of convenience, not the axis of resistance.")
    'a marriage-of-convenience not the'
    """

    def __init__(self, codebook: Codebook):
        self.codebook = codebook
        pole_of = {p.name: p for p in codebook.poles}
        self.pole_of = pole_of
        entries = []
        for pole in codebook.poles:
            for term in pole.terms:
                key = tuple(stem(w) for _, _, w in word_spans(term))
                entries.append((key, term, pole.name))
        self.terms = self._index(entries)
        friends = []
        for friend in codebook.false_friends:
            if friend.case_sensitive:
                key = tuple(m.group() for m in WORD_PATTERN.finditer(friend.phrase))
            else:
                key = tuple(stem(w) for _, _, w in word_spans(friend.phrase))
            friends.append((key, friend.phrase, friend.case_sensitive))
        self.friends = sorted(friends, key=lambda f: -len(f[0]))
        #: the false friends by case sensitivity and first word (surface form or stem), each
        #: with its place in :attr:`friends`, so that a word is compared with the friends that
        #: can start with it only, in the same order
        self.friend_index: dict[bool, dict[str, list]] = {True: {}, False: {}}
        for order, (key, _, case_sensitive) in enumerate(self.friends):
            if key:  # an empty phrase starts nowhere
                self.friend_index[case_sensitive].setdefault(key[0], []).append((order, key, case_sensitive))
        neg = codebook.negation
        self.cues = sorted((tuple(w for _, _, w in word_spans(c)) for c in neg.cues), key=len, reverse=True)
        self.pseudo = sorted((tuple(w for _, _, w in word_spans(c)) for c in neg.pseudo), key=len, reverse=True)
        #: the cues and pseudo-negations by their first word: a word is compared with the
        #: phrases that can start with it only
        self.cue_index = phrases_by_first(self.cues)
        self.pseudo_index = phrases_by_first(self.pseudo)
        self.terminators = frozenset(w for t in neg.terminators for _, _, w in word_spans(t))
        self.window = neg.window
        #: {contrast: (target stems, window)} for the contrasts that restrict their evidence
        self.targets = {c.name: (frozenset(stem(w) for t in c.targets for _, _, w in word_spans(t)), c.target_window)
                        for c in codebook.contrasts.values() if c.target_window > 0}

    @staticmethod
    def _index(entries):
        index: dict[str, list] = {}
        for key, term, pole in entries:
            index.setdefault(key[0], []).append((key, term, pole))
        for first in index:
            index[first].sort(key=lambda e: -len(e[0]))
        return index

    def _masked(self, text: str, spans, stems) -> np.ndarray:
        masked = np.zeros(len(spans), dtype=bool)
        surface = [text[s:e] for s, e, _ in spans]
        i = 0
        by_surface, by_stem = self.friend_index[True], self.friend_index[False]
        while i < len(spans):
            hit = 0
            candidates = by_surface.get(surface[i], []) + by_stem.get(stems[i], [])
            for _, key, case_sensitive in sorted(candidates) if len(candidates) > 1 else candidates:
                seq = surface if case_sensitive else stems
                if tuple(seq[i:i + len(key)]) == key:
                    hit = len(key)
                    break
            if hit:
                masked[i:i + hit] = True
                i += hit
            else:
                i += 1
        return masked

    @staticmethod
    def _starts_with(words, i, index) -> int:
        """The length of the first phrase of ``index[words[i]]`` that starts at word ``i``, else 0."""
        for phrase in index.get(words[i], ()):
            if tuple(words[i:i + len(phrase)]) == phrase:
                return len(phrase)
        return 0

    def negation_scope(self, text: str) -> list[bool]:
        """For each word of ``text``, whether it lies in the scope of a negation cue.

        Examples
        --------
        >>> Lexicon(load_codebook()).negation_scope("not only this, but not that")
        [False, False, False, False, False, True]
        """
        spans = word_spans(text)
        return self._scope(text, spans, self._masked(text, spans, [stem(w) for _, _, w in spans])).tolist()

    @staticmethod
    def _breaks(text: str, spans) -> list[bool]:
        """Whether punctuation stands between each word and the one before it."""
        marks = [m.start() for m in SCOPE_BREAK.finditer(normalize_apostrophes(text))]
        out = [False]
        for j in range(1, len(spans)):
            k = bisect_left(marks, spans[j - 1][1])
            out.append(k < len(marks) and marks[k] < spans[j][0])
        return out

    def _scope(self, text: str, spans, masked) -> np.ndarray:
        words = [w for _, _, w in spans]
        breaks = self._breaks(text, spans)
        negated = np.zeros(len(spans), dtype=bool)
        i = 0
        while i < len(words):
            if masked[i]:
                i += 1
                continue
            pseudo = self._starts_with(words, i, self.pseudo_index)
            if pseudo:
                i += pseudo
                continue
            cue = self._starts_with(words, i, self.cue_index) or (1 if words[i].endswith("n't") else 0)
            if cue:
                j = i + cue
                while j < len(words) and j < i + cue + self.window:
                    if breaks[j] or words[j] in self.terminators:
                        break
                    negated[j] = True
                    j += 1
            i += max(cue, 1)
        return negated

    #: Entries remembered: a text's analysis, its features and its codes are one entry each
    #: (the study's exemplars, their sentences and the corpus, read by several measures and
    #: folds: about 0.8 GB when full). Once it is full, new texts are analysed afresh and
    #: not remembered, so memory stays bounded.
    MEMO_SIZE = 150_000

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_memo", None)
        state.pop("_codes", None)
        return state

    def analyse(self, text: str, targeted: bool = True, remember: bool = True) -> tuple[list, np.ndarray, list[Match]]:
        """Words, mask and matches of ``text`` (see :meth:`_analyse`), remembered for the next
        call unless ``remember`` is False (a stream of new texts gains nothing from it)."""
        memo = self.__dict__.setdefault("_memo", {})
        targeted = targeted and bool(self.targets)  # without target windows both analyses are one
        key = (text, targeted)
        found = memo.get(key)
        if found is None:
            found = self._analyse(text, targeted)
            if remember and len(memo) < self.MEMO_SIZE:
                memo[key] = found
        return found

    def _analyse(self, text: str, targeted: bool = True) -> tuple[list, np.ndarray, list[Match]]:
        """Words, masked flags and :class:`Match` list of ``text`` (uncounted matches included).

        With ``targeted`` (the default) a match of a contrast that has a ``target_window``
        is marked ``off_target`` when no target word lies within that many words of it
        (the match's own words included). Pass False for text that is not a unit of the
        corpus (a pole's prototype, a seed term).
        """
        spans = word_spans(text)
        stems = [stem(w) for _, _, w in spans]
        masked = self._masked(text, spans, stems)
        negated = self._scope(text, spans, masked)
        matches = []
        i = 0
        while i < len(spans):
            found = None
            if not masked[i]:
                for key, term, pole in self.terms.get(stems[i], ()):
                    n = len(key)
                    if tuple(stems[i:i + n]) == key and not masked[i:i + n].any():
                        found = Match(term, pole, self.pole_of[pole].contrast, spans[i][0], spans[i + n - 1][1],
                                      i, i + n, bool(negated[i]))
                        break
            if found:
                matches.append(found)
                i = found.last
            else:
                i += 1
        if targeted and self.targets:
            matches = [self._target_check(m, stems) for m in matches]
        return spans, masked, matches

    def _target_check(self, m: Match, stems: list[str]) -> Match:
        if m.contrast not in self.targets:
            return m
        targets, window = self.targets[m.contrast]
        near = stems[max(0, m.first - window):m.last + window]
        return m if any(s in targets for s in near) else replace(m, off_target=True)

    def matches(self, text: str, targeted: bool = True) -> list[Match]:
        """Every seed-term match in ``text``, negated and off-target ones flagged."""
        return self.analyse(text, targeted)[2]

    def clean(self, text: str, analysis=None) -> str:
        """``text`` as the bag-of-words measures see it (see the module docstring)."""
        return " ".join(self._kept(analysis or self.analyse(text)))

    def features(self, text: str, analysis=None, targeted: bool = True) -> list[str]:
        """The bag-of-words features of ``text``: :meth:`clean` words without stopwords, stemmed.

        Examples
        --------
        >>> Lexicon(load_codebook()).features("A marriage of convenience, not the axis of resistance.")
        ['marriage-of-conveni']
        """
        if analysis is not None:
            return self._features(analysis)
        memo = self.__dict__.setdefault("_memo", {})
        targeted = targeted and bool(self.targets)
        key = ("features", text, targeted)
        found = memo.get(key)
        if found is None:
            found = tuple(self._features(self.analyse(text, targeted)))
            if len(memo) < self.MEMO_SIZE:
                memo[key] = found
        return list(found)

    def feature_codes(self, texts: Sequence[str], targeted: bool = True) -> tuple[TermCodes, list[np.ndarray]]:
        """The :meth:`features` of each text as codes in the lexicon's one table of codes
        (:class:`analysis.dtm.TermCodes`), remembered like the features: the measures count
        the same texts again in every fold of a cross-validation."""
        memo = self.__dict__.setdefault("_memo", {})
        table = self.__dict__.setdefault("_codes", TermCodes())
        targeted = targeted and bool(self.targets)
        out = []
        for t in texts:
            key = ("codes", t, targeted)
            found = memo.get(key)
            if found is None:
                found = table.codes(self.features(t, targeted=targeted))
                if len(memo) < self.MEMO_SIZE:
                    memo[key] = found
            out.append(found)
        return table, out

    def _features(self, analysis) -> list[str]:
        return [stem(w) for w in self._kept(analysis) if w not in STOPWORDS]

    @staticmethod
    def _kept(analysis) -> list[str]:
        spans, masked, matches = analysis
        at = {m.first: m for m in matches}
        out, i = [], 0
        while i < len(spans):
            m = at.get(i)
            if m is not None:
                if m.counted:
                    out.append("-".join(w for _, _, w in spans[m.first:m.last]))
                i = m.last
                continue
            if not masked[i]:
                out.append(spans[i][2])
            i += 1
        return out


class BagOfWords:
    """A picklable analyzer for scikit-learn vectorizers: text → :meth:`Lexicon.features`.

    A unit already analysed (a list of features) passes through unchanged, so that a
    caller can analyse each text once for all three measures.
    """

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def __call__(self, doc) -> list[str]:
        return doc if isinstance(doc, list) else self.lexicon.features(doc)


def bag_vectorizer(kind: str, lexicon: Lexicon, vocabulary=None, sublinear_tf: bool = False):
    """Count or TF-IDF (smooth idf, l2 rows) vectorizer over :class:`BagOfWords` features
    (the TF-IDF one scikit-learn's, which can also be fitted on coded documents:
    :class:`analysis.dtm.CodedTfidfVectorizer`)."""
    if kind == "count":
        return CountVectorizer(analyzer=BagOfWords(lexicon), vocabulary=vocabulary, dtype=np.float64)
    return CodedTfidfVectorizer(analyzer=BagOfWords(lexicon), vocabulary=vocabulary, dtype=np.float64,
                                sublinear_tf=sublinear_tf)
