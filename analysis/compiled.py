"""The fitted scorer compiled for fast, chunked scoring (:class:`CompiledScorer`).

A fitted :class:`~analysis.frames.FrameScorer` holds everything it learned from the
corpus it was fitted on: the codebook's lexicon, the prototypes' TF-IDF vocabulary and
idf weights, the LSS vocabulary and term polarities, and the standardising constants.
Scoring new text needs nothing else, so a corpus of any size can be read, scored and
written a chunk of paragraphs at a time; memory then depends on the chunk size and the
number of distinct word forms, not on the number of paragraphs.

:class:`CompiledScorer` gives exactly the scores of ``FrameScorer.transform_frame``
(the tests compare them value for value), and faster. The supervised measure is not
compiled: the scorer's own fitted :class:`~analysis.supervised.SupervisedScorer` scores
each chunk's texts (its counting is already vectorised, :func:`analysis.dtm.dtm_ngram_counts`).
A scorer fitted with only some measures (``FrameScorer(measures="index")``) is not
compiled either: each chunk's measures come from the scorer itself, and when the index
needs no codebook measure that is only the supervised one. For the codebook measures:

* Every distinct word form is analysed once and remembered: its lowercase form, its
  Snowball stem, its feature column in each fitted vocabulary, and whether it can start
  a false friend, a seed term or a negation cue. A chunk's words become integer codes;
  term counts are built from the codes with numpy.
* The codebook's rules (false friends, negation scope, longest seed first) are scanned
  left to right as in :class:`~analysis.lexicon.Lexicon`, but only at the words that
  can start something; every other word is skipped, exactly as the lexicon's own scan
  skips it. Punctuation between words is looked at only inside a negation scope.
* A paragraph that holds a candidate for a case-sensitive false friend is analysed by
  :meth:`Lexicon.analyse <analysis.lexicon.Lexicon.analyse>` itself, since the rule
  then depends on the original spelling.
"""
from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.utils.validation import check_is_fitted

from . import word_codes
from .dtm import tfidf_weight
from .frames import FrameScorer
from .lexicon import SCOPE_BREAK, texts_check
from .text import normalize_apostrophes, stem
from .word_codes import FormCodes, pattern_findall
from .words import WORD_PATTERN, word_spans

_FRIEND, _CASE, _CUE, _TERM = 1, 2, 4, 8

_SPLIT = re.compile(f"({WORD_PATTERN.pattern})").split


_WORDS = pattern_findall(WORD_PATTERN.pattern)


@dataclass
class Evidence:
    """What the three measures need from a chunk of texts.

    Attributes
    ----------
    tokens : ndarray (n,)
        Word tokens per text (the dictionary's denominator).
    poles : ndarray (n, poles)
        Non-negated seed matches per pole, codebook order.
    prototype_counts : csr_matrix (n, prototype vocabulary)
        Bag-of-words counts over the prototypes' TF-IDF vocabulary.
    lss_counts : csr_matrix (n, LSS vocabulary)
        Bag-of-words counts over the LSS vocabulary.
    supervised : DataFrame or None
        The supervised measure's columns (it reads the texts through its own
        stance-marking vectorizer), None when the scorer has no supervised measure.
    parts : DataFrame or None
        Every fitted measure's columns, from the scorer itself, when the scorer is not
        compiled (it lacks some of the codebook measures); the other fields are then None.
    """

    tokens: np.ndarray | None
    poles: np.ndarray | None
    prototype_counts: sparse.csr_matrix | None
    lss_counts: sparse.csr_matrix | None
    supervised: pd.DataFrame | None = None
    parts: pd.DataFrame | None = None


class CompiledScorer:
    """A fitted :class:`~analysis.frames.FrameScorer` compiled for fast, chunked scoring.

    The scorer is only read; its scores are reproduced exactly. Picklable, so that worker
    processes (:func:`analysis.streaming.stream_map`) and Dask workers (:mod:`analysis.distributed`) can
    each hold one. Safe to share between threads: a lock lets one call at a time grow
    the table of word forms (threads would not run this Python code in parallel anyway).

    Parameters
    ----------
    scorer : FrameScorer
        Fitted.

    Examples
    --------
    >>> from analysis.frames import FrameScorer
    >>> texts = ["A pragmatic bargain.", "A shared ideology, not a pragmatic one.", "Deterrence by retaliation.",
    ...          "Credibility and prestige."]
    >>> scorer = FrameScorer(n_components=2, context="paragraph").fit(texts)
    >>> fast = CompiledScorer(scorer).transform_frame(texts)
    >>> fast.equals(scorer.transform_frame(texts))
    True
    """

    def __init__(self, scorer: FrameScorer):
        check_is_fitted(scorer, "scale_")
        self.scorer = scorer
        #: all three codebook measures are fitted, so the word-level scan below applies
        self.compiled = all(getattr(scorer, a, None) is not None for a in ("dictionary_", "prototypes_", "lss_"))
        self._lock = threading.Lock()
        if not self.compiled:
            self._reset()
            return
        lexicon = scorer.dictionary_.lexicon_
        self.lexicon = lexicon
        self.pole_column = {p.name: j for j, p in enumerate(scorer.codebook_.poles)}
        # false friends by first stem, or (case-sensitive ones) by first spelling; the lexicon
        # tries them in its own order, kept here as each friend's rank
        self.friends: dict[str, list[tuple]] = {}
        self.case_friends: dict[str, list[tuple]] = {}
        self.case_unsure = set()
        for rank, (key, _, case_sensitive) in enumerate(lexicon.friends):
            if not case_sensitive:
                self.friends.setdefault(key[0], []).append((rank, key, False))
            elif any("'" in w for w in key):
                # an original spelling with a typographic apostrophe differs from its normalised
                # form, so such a key is left to the lexicon itself
                self.case_unsure.add(key[0])
            else:
                self.case_friends.setdefault(key[0], []).append((rank, key, True))
        self.cues = lexicon.cue_index
        self.pseudo = lexicon.pseudo_index
        self.terms = lexicon.terms
        self.terminators = lexicon.terminators
        self.window = lexicon.window
        # a contrast that restricts its evidence to target-word windows is left to the
        # lexicon's own analysis (exact, slower): the scan below knows no target words
        self.targeted = bool(lexicon.targets)
        self.prototype_vocabulary = scorer.prototypes_.vectorizer_.vocabulary_
        self.lss_vocabulary = {t: j for j, t in enumerate(scorer.lss_.vocabulary_)}
        self._reset()

    def _reset(self) -> None:
        self.codes = FormCodes(self._add)
        self.form: list[str] = []
        self.word: list[str] = []
        self.stem: list[str] = []
        self._flags: list[int] = []
        self._proto: list[int] = []
        self._lss: list[int] = []
        self.multi: dict[int, tuple[list[int], list[int]]] = {}
        self.joined: dict[str, tuple[list[int], list[int]]] = {}
        self._arrays = None

    def __getstate__(self):
        state = self.__dict__.copy()
        for name in ("_lock", "codes", "form", "word", "stem", "_flags", "_proto", "_lss", "multi", "joined",
                     "_arrays"):
            state.pop(name)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self._reset()

    @property
    def codebook_(self):
        """The scorer's codebook, so that this object stands in for the scorer in
        :func:`analysis.frame_tables.score_corpus`."""
        return self.scorer.codebook_

    # -- word forms ----------------------------------------------------------------
    def _columns(self, kept: str) -> tuple[list[int], list[int]]:
        """Feature columns of one word the lexicon keeps (or one joined multiword match)."""
        features = self.lexicon.features(kept, ([(0, len(kept), kept)], np.zeros(1, dtype=bool), []))
        return ([self.prototype_vocabulary[f] for f in features if f in self.prototype_vocabulary],
                [self.lss_vocabulary[f] for f in features if f in self.lss_vocabulary])

    def _add(self, form: str) -> int:
        """Analyse a word form (as found in apostrophe-normalised text) and give it a code."""
        code = len(self.word)
        (_, _, word), = word_spans(form)
        root = stem(word)
        flags = 0
        if root in self.friends or form in self.case_friends:
            flags |= _FRIEND
        if form in self.case_unsure:
            flags |= _CASE
        if word in self.cues or word in self.pseudo or word.endswith("n't"):
            flags |= _CUE
        if root in self.terms:
            flags |= _TERM
        proto, lss = self._columns(word)
        self.form.append(form)
        self.word.append(word)
        self.stem.append(root)
        self._flags.append(flags)
        self._proto.append(proto[0] if len(proto) == 1 else -1 if not proto else -2)
        self._lss.append(lss[0] if len(lss) == 1 else -1 if not lss else -2)
        if len(proto) > 1 or len(lss) > 1:
            self.multi[code] = (proto, lss)
        self._arrays = None
        return code

    def _tables(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._arrays is None:
            self._arrays = (np.array(self._flags, dtype=np.uint8), np.array(self._proto, dtype=np.int64),
                            np.array(self._lss, dtype=np.int64))
        return self._arrays

    def _joined(self, text: str) -> tuple[list[int], list[int]]:
        if text not in self.joined:
            self.joined[text] = self._columns(text)
        return self.joined[text]

    # -- the codebook's rules, at candidate words only ------------------------------
    def _starts(self, phrases, codes, i) -> int:
        word = self.word
        for phrase in phrases:
            if len(phrase) == 1 or (i + len(phrase) <= len(codes)
                                    and all(word[codes[i + q]] == phrase[q] for q in range(1, len(phrase)))):
                return len(phrase)
        return 0

    def _scan(self, codes: list[int], at: list[int], flags: list[int], norm: str):
        """Masked positions, negated positions and matches ``(first, last, pole, negated)``.

        ``at`` are the positions whose word can start something, ``flags`` what it can start.
        """
        n, stems, words, forms = len(codes), self.stem, self.word, self.form
        masked = bytearray(n)
        matches: list[tuple] = []
        nxt = 0
        for i, f in zip(at, flags):
            if f & _FRIEND and i >= nxt:
                c = codes[i]
                candidates = self.friends.get(stems[c], []) + self.case_friends.get(forms[c], [])
                for _, key, case_sensitive in sorted(candidates):
                    seq = forms if case_sensitive else stems
                    k = len(key)
                    if k == 1 or (i + k <= n and all(seq[codes[i + q]] == key[q] for q in range(1, k))):
                        masked[i:i + k] = b"\x01" * k
                        nxt = i + k
                        break
        if not any(f & _TERM for f in flags):
            return masked, matches  # negation only ever cancels a seed match
        # negation cues, left to right as the lexicon takes them; a scope is only worked out
        # (punctuation included) for a seed match that falls in a cue's window
        windows = []
        nxt = 0
        for i, f in zip(at, flags):
            if not f & _CUE or i < nxt or masked[i]:
                continue
            w = words[codes[i]]
            skip = self._starts(self.pseudo.get(w, ()), codes, i)
            if skip:
                nxt = i + skip
                continue
            cue = self._starts(self.cues.get(w, ()), codes, i) or (1 if w.endswith("n't") else 0)
            if cue:
                windows.append((i + cue, min(n, i + cue + self.window)))
                nxt = i + cue
        gaps: list[str] = []
        nxt = 0
        for i, f in zip(at, flags):
            if not f & _TERM or i < nxt or masked[i]:
                continue
            for key, _, pole in self.terms[stems[codes[i]]]:
                k = len(key)
                if k > 1 and not (i + k <= n and all(stems[codes[i + q]] == key[q] for q in range(1, k))
                                  and not any(masked[i:i + k])):
                    continue
                matches.append((i, i + k, pole, bool(windows) and self._negated(i, windows, codes, norm, gaps)))
                nxt = i + k
                break
        return masked, matches

    def _negated(self, j: int, windows, codes, norm: str, gaps: list[str]) -> bool:
        """Whether word ``j`` lies in a cue's scope: in its window, with no punctuation or
        terminator word from the scope's first word up to ``j`` (the lexicon's rule)."""
        for lo, hi in windows:
            if lo <= j < hi:
                if not gaps:
                    gaps.extend(_SPLIT(norm)[0::2])  # gaps[q]: the text between word q-1 and word q
                if not any(SCOPE_BREAK.search(gaps[q]) or self.word[codes[q]] in self.terminators
                           for q in range(lo, j + 1)):
                    return True
        return False

    def _reference(self, text: str):
        """The lexicon's own analysis, in the same form as :meth:`_scan`."""
        _, masked, matches = self.lexicon.analyse(text)
        return (bytearray(np.asarray(masked, dtype=np.uint8).tobytes()),
                [(m.first, m.last, m.pole, not m.counted) for m in matches])

    # -- chunks -------------------------------------------------------------------
    def tokenize(self, texts: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Apostrophe-normalised texts, the word codes of all of them, and words per text.

        The words are the lexicon's (:func:`analysis.words.word_spans`); a code indexes
        the remembered word forms.
        """
        if not self.compiled:
            raise ValueError("this scorer is not compiled (it lacks a codebook measure), so it has no word codes — "
                             "fit it with measures='all'")
        texts = texts_check(texts, "texts")
        with self._lock:
            return self._tokenize(texts)

    def _tokenize(self, texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
        if len(self.word) > word_codes.MAX_TYPES:
            self._reset()
        norm = [normalize_apostrophes(t) for t in texts]
        forms = [_WORDS(t) for t in norm]
        lengths = np.fromiter(map(len, forms), dtype=np.int64, count=len(forms))
        codes = np.fromiter(map(self.codes.__getitem__, itertools.chain.from_iterable(forms)),
                            dtype=np.int64, count=int(lengths.sum()))
        return norm, codes, lengths

    def evidence(self, texts: Sequence[str]) -> Evidence:
        """Token counts, pole matches and bag-of-words counts of ``texts``.

        Examples
        --------
        >>> from analysis.frames import FrameScorer
        >>> scorer = FrameScorer(n_components=2, context="paragraph").fit(
        ...     ["A pragmatic deal.", "An ideology.", "Deterrence.", "Credibility."])
        >>> ev = CompiledScorer(scorer).evidence(["Not pragmatic, but pragmatic."])
        >>> ev.tokens.tolist(), int(ev.poles.sum())
        ([4.0], 1)
        """
        texts = texts_check(texts, "texts")
        if not self.compiled:
            return Evidence(None, None, None, None, parts=self.scorer.measure_columns(texts))
        with self._lock:
            return self._evidence(texts)

    def _evidence(self, texts: list[str]) -> Evidence:
        n_texts = len(texts)
        norm, codes, lengths = self._tokenize(texts)
        total = len(codes)
        flags, proto, lss = self._tables()
        offsets = np.zeros(n_texts + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        poles = np.zeros((n_texts, len(self.pole_column)))
        keep = np.ones(total, dtype=bool)
        added: list[tuple[int, str]] = []
        token_flags = flags[codes]
        at = np.flatnonzero(token_flags)
        if len(at):  # paragraphs whose only candidates are negation cues have nothing to scan
            rows = np.searchsorted(offsets, at, side="right") - 1
            useful = np.zeros(n_texts, dtype=bool)
            useful[rows[(token_flags[at] & (_FRIEND | _CASE | _TERM)) > 0]] = True
            at = at[useful[rows]]
        if len(at):
            code_list = codes.tolist()
            rows = np.searchsorted(offsets, at, side="right") - 1
            starts = np.flatnonzero(np.diff(rows, prepend=-1))
            bounds = np.append(starts, len(at)).tolist()
            at_list, flag_list, row_list = at.tolist(), token_flags[at].tolist(), rows.tolist()
            offset_list = offsets.tolist()
            for a, b in zip(bounds[:-1], bounds[1:]):
                r = row_list[a]
                first = offset_list[r]
                local = [i - first for i in at_list[a:b]]
                fl = flag_list[a:b]
                if self.targeted or any(f & _CASE for f in fl):
                    masked, matches = self._reference(texts[r])
                else:
                    masked, matches = self._scan(code_list[first:offset_list[r + 1]], local, fl, norm[r])
                removed = [first + i for i in range(len(masked)) if masked[i]] if any(masked) else []
                for lo, hi, pole, neg in matches:
                    if not neg:
                        poles[r, self.pole_column[pole]] += 1
                    if neg or hi - lo > 1:
                        removed.extend(range(first + lo, first + hi))
                    if not neg and hi - lo > 1:
                        added.append((r, "-".join(self.word[c] for c in code_list[first + lo:first + hi])))
                if removed:
                    keep[removed] = False
        row_of = np.repeat(np.arange(n_texts), lengths)
        sup = self.scorer.supervised_
        return Evidence(tokens=lengths.astype(float), poles=poles,
                        supervised=sup.transform_frame(texts) if sup is not None else None,
                        prototype_counts=self._counts(codes, keep, row_of, proto, added, 0, n_texts,
                                                      len(self.prototype_vocabulary)),
                        lss_counts=self._counts(codes, keep, row_of, lss, added, 1, n_texts,
                                                len(self.lss_vocabulary)))

    def _counts(self, codes, keep, row_of, column, added, which, n_rows, n_cols) -> sparse.csr_matrix:
        cols = column[codes]
        use = keep & (cols >= 0)
        rows, cols_used = [row_of[use]], [cols[use]]
        extra_rows, extra_cols = [], []
        for i in np.flatnonzero(keep & (cols == -2)).tolist():
            found = self.multi[int(codes[i])][which]
            extra_rows += [int(row_of[i])] * len(found)
            extra_cols += found
        for r, text in added:
            found = self._joined(text)[which]
            extra_rows += [r] * len(found)
            extra_cols += found
        if extra_rows:
            rows.append(np.array(extra_rows, dtype=np.int64))
            cols_used.append(np.array(extra_cols, dtype=np.int64))
        r, c = np.concatenate(rows), np.concatenate(cols_used)
        matrix = sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(n_rows, n_cols))
        matrix.sum_duplicates()
        return matrix

    def transform_frame(self, texts: Sequence[str]) -> pd.DataFrame:
        """Scores of ``texts``, identical to ``scorer.transform_frame(texts)``."""
        return self.frame_from_evidence(self.evidence(texts))

    def frame_from_evidence(self, ev: Evidence) -> pd.DataFrame:
        """The score table from a chunk's :class:`Evidence`."""
        s = self.scorer
        if ev.parts is not None:
            return s.combined(ev.parts)
        weighted = tfidf_weight(ev.prototype_counts, s.prototypes_.vectorizer_)
        cos = np.asarray((weighted @ s.prototypes_.prototypes_.T).todense())
        values = [s.dictionary_.scores_from_counts(ev.poles, ev.tokens), s.prototypes_.scores_from_similarities(cos),
                  s.lss_.transform_counts(ev.lss_counts)]
        parts = pd.concat([pd.DataFrame(v, columns=est.get_feature_names_out())
                           for v, est in zip(values, (s.dictionary_, s.prototypes_, s.lss_))], axis=1)
        if ev.supervised is not None:
            parts = pd.concat([parts, ev.supervised.reset_index(drop=True)], axis=1)
        return s.combined(parts)
