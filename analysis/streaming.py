"""Scoring and topic models for corpora larger than memory: chunks and fixed fitted vocabularies.

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

:func:`stream_scores` scores an iterable of texts chunk by chunk, optionally in worker
processes (:func:`stream_map`, ordered, with a bounded number of chunks in flight);
output does not depend on the chunk size or the number of workers.

Topic models for corpora that do not fit (:class:`OnlineTopicModel`): online
variational Bayes LDA (Hoffman, Blei & Bach 2010; scikit-learn's
``LatentDirichletAllocation(learning_method="online")`` with ``total_samples`` set to
the corpus size) and mini-batch NMF (Mairal et al. 2010; scikit-learn's
``MiniBatchNMF``), both updated one chunk at a time on counts over a fixed vocabulary
(:class:`VocabularyCounter`).
"""
from __future__ import annotations

import itertools
import multiprocessing
import re
import resource
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import LatentDirichletAllocation, MiniBatchNMF
from sklearn.utils.validation import check_is_fitted

from . import config
from .codebook import WORD_PATTERN, word_spans
from .dtm import tfidf_weight
from .frames import FrameScorer
from .lexicon import SCOPE_BREAK
from .text import TOKEN_PATTERN, normalize_apostrophes, stem

#: Paragraphs per chunk: large enough for numpy to pay off, small enough to bound memory.
CHUNK_SIZE = 5000
#: Distinct word forms remembered before the table is emptied (bounds memory on corpora
#: whose vocabulary keeps growing; emptying changes nothing but speed).
MAX_TYPES = 2_000_000

_FRIEND, _CASE, _CUE, _TERM = 1, 2, 4, 8
_SPLIT = re.compile(f"({WORD_PATTERN.pattern})").split


def _factored(pattern: str) -> Callable[[str], list[str]]:
    r"""``findall`` of the word patterns with their shared first letter factored out.

    ``(?:[A-Za-z]\.){2,}|[A-Za-z]+(?:'[A-Za-z]+)*`` and
    ``[A-Za-z](?:\.(?:[A-Za-z]\.)+|[A-Za-z]*(?:'[A-Za-z]+)*)`` match the same strings with
    the same branch preferred (both branches begin with one letter, which has no
    alternatives to backtrack into), and Python's regex engine runs the second about
    1.7 times as fast. Any other pattern is used as it is.
    """
    factored = {
        r"(?:[A-Za-z]\.){2,}|[A-Za-z]+(?:'[A-Za-z]+)*": r"[A-Za-z](?:\.(?:[A-Za-z]\.)+|[A-Za-z]*(?:'[A-Za-z]+)*)",
        r"(?:[A-Za-z]\.){2,}|[A-Za-z]+(?:[-'][A-Za-z]+)*":
            r"[A-Za-z](?:\.(?:[A-Za-z]\.)+|[A-Za-z]*(?:[-'][A-Za-z]+)*)",
    }
    return re.compile(factored.get(pattern, pattern)).findall


_WORDS = _factored(WORD_PATTERN.pattern)
_TOKENS = _factored(TOKEN_PATTERN)


def _check_texts(X) -> list[str]:
    if isinstance(X, str):
        raise ValueError("texts must be a list of texts, not a single string — wrap it as [text]")
    if isinstance(X, pd.DataFrame):
        raise ValueError("texts must be a list or Series of texts, not a DataFrame — pass its text column")
    texts = list(X)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise ValueError(f"texts[{i}] is {type(t).__name__}, not str — every unit must be a text")
    return texts


class _Codes(dict):
    """Word form → integer code; an unseen form is analysed on first lookup."""

    def __init__(self, add: Callable[[str], int]):
        super().__init__()
        self._add = add

    def __missing__(self, form: str) -> int:
        code = self[form] = self._add(form)
        return code


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
    processes (:func:`stream_map`) and Dask workers (:mod:`analysis.distributed`) can
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
        self.cues = self._by_first(lexicon.cues)
        self.pseudo = self._by_first(lexicon.pseudo)
        self.terms = lexicon.terms
        self.terminators = lexicon.terminators
        self.window = lexicon.window
        # a contrast that restricts its evidence to target-word windows is left to the
        # lexicon's own analysis (exact, slower): the scan below knows no target words
        self.targeted = bool(lexicon.targets)
        self.prototype_vocabulary = scorer.prototypes_.vectorizer_.vocabulary_
        self.lss_vocabulary = {t: j for j, t in enumerate(scorer.lss_.vocabulary_)}
        self._reset()

    @staticmethod
    def _by_first(phrases) -> dict[str, list[tuple]]:
        out: dict[str, list[tuple]] = {}
        for phrase in phrases:  # the lexicon's order (longest first) is kept within each first word
            out.setdefault(phrase[0], []).append(phrase)
        return out

    def _reset(self) -> None:
        self.codes = _Codes(self._add)
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

        The words are the lexicon's (:func:`analysis.codebook.word_spans`); a code indexes
        the remembered word forms.
        """
        if not self.compiled:
            raise ValueError("this scorer is not compiled (it lacks a codebook measure), so it has no word codes — "
                             "fit it with measures='all'")
        texts = _check_texts(texts)
        with self._lock:
            return self._tokenize(texts)

    def _tokenize(self, texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
        if len(self.word) > MAX_TYPES:
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
        texts = _check_texts(texts)
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


# -- chunks and workers ----------------------------------------------------------------


def text_chunks(texts: Iterable, chunk_size: int = CHUNK_SIZE) -> Iterator[list]:
    """Consecutive lists of at most ``chunk_size`` items; the input is read lazily.

    Examples
    --------
    >>> [len(c) for c in text_chunks(range(7), 3)]
    [3, 3, 1]
    """
    if int(chunk_size) != chunk_size or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive integer, not {chunk_size!r}")
    it = iter(texts)
    while chunk := list(itertools.islice(it, int(chunk_size))):
        yield chunk


_WORKER: dict = {}


def _worker_start(func, state) -> None:
    _WORKER["func"], _WORKER["state"] = func, state


def _worker_call(item):
    return _WORKER["func"](_WORKER["state"], item)


def worker_peak_mb() -> float:
    """Peak resident memory (MB) of this process, from ``getrusage`` (``ru_maxrss``, KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stream_map(func: Callable, items: Iterable, state=None, *, n_jobs: int = 1,
               max_pending: int | None = None) -> Iterator:
    """``func(state, item)`` for each item, in order, in ``n_jobs`` worker processes.

    At most ``max_pending`` items (default ``2 * n_jobs``) are read ahead of the results
    handed back, so memory stays bounded however long ``items`` is. ``state`` (e.g. a
    fitted scorer) is sent to each worker once. ``n_jobs=1`` runs in this process.
    Workers are started with ``spawn``, so they share nothing with the caller by accident;
    as with any such pool, a script that calls this with ``n_jobs > 1`` must do so under
    ``if __name__ == "__main__":`` (the command lines and notebooks need nothing).

    Examples
    --------
    >>> list(stream_map(pow, [2, 3], 10))
    [100, 1000]
    """
    if int(n_jobs) != n_jobs or n_jobs < 1:
        raise ValueError(f"n_jobs must be a positive integer, not {n_jobs!r}")
    if n_jobs == 1:
        for item in items:
            yield func(state, item)
        return
    max_pending = max_pending or 2 * n_jobs
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(int(n_jobs), initializer=_worker_start, initargs=(func, state)) as pool:
        pending: deque = deque()
        for item in items:
            pending.append(pool.apply_async(_worker_call, (item,)))
            if len(pending) >= max_pending:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
        pool.close()
        pool.join()


def _score_chunk(compiled: CompiledScorer, texts: list[str]) -> pd.DataFrame:
    return compiled.transform_frame(texts)


def stream_scores(texts: Iterable[str], scorer: FrameScorer | CompiledScorer, *, chunk_size: int = CHUNK_SIZE,
                  n_jobs: int = 1) -> Iterator[pd.DataFrame]:
    """Score texts chunk by chunk: one ``transform_frame`` table per chunk, in order.

    Parameters
    ----------
    texts : iterable of str
        Read lazily, ``chunk_size`` at a time (a generator over files works).
    scorer : FrameScorer (fitted) or CompiledScorer
    chunk_size : int
        Paragraphs per chunk; memory grows with it, speed barely beyond a few thousand.
    n_jobs : int
        Worker processes (:func:`stream_map`). Scores do not depend on it.

    Examples
    --------
    >>> from analysis.frames import FrameScorer
    >>> docs = ["A pragmatic deal.", "An ideology.", "Deterrence.", "Credibility.", "Not pragmatic."]
    >>> scorer = FrameScorer(n_components=2, context="paragraph").fit(docs)
    >>> whole = scorer.transform_frame(docs)
    >>> chunks = list(stream_scores(iter(docs), scorer, chunk_size=3))
    >>> [len(c) for c in chunks], pd.concat(chunks, ignore_index=True).equals(whole)
    ([3, 2], True)
    """
    compiled = scorer if isinstance(scorer, CompiledScorer) else CompiledScorer(scorer)
    yield from stream_map(_score_chunk, text_chunks(texts, chunk_size), compiled, n_jobs=n_jobs)


# -- counts over a fixed vocabulary, and online topic models -------------------------


class VocabularyCounter:
    """Counts (or TF-IDF weights) of texts over a fitted vectorizer's vocabulary, fast.

    For a vectorizer from :func:`analysis.dtm.dtm_vectorizer` with single-word features
    (``ngram_range=(1, 1)``), ``transform`` equals ``vectorizer.transform``: each distinct
    token is passed through the vectorizer's own analyzer once and remembered.

    Parameters
    ----------
    vectorizer : fitted CountVectorizer or TfidfVectorizer with an :class:`analysis.text.Analyzer`

    Examples
    --------
    >>> from analysis.dtm import dtm_vectorizer
    >>> vec = dtm_vectorizer("count").fit(["oil and gas", "gas pipeline"])
    >>> VocabularyCounter(vec).transform(["gas, gas and oil"]).toarray().tolist()
    [[2.0, 1.0, 0.0]]
    """

    def __init__(self, vectorizer):
        check_is_fitted(vectorizer, "vocabulary_")
        analyzer = vectorizer.analyzer
        if not callable(analyzer) or tuple(getattr(analyzer, "ngram_range", (0, 0))) != (1, 1):
            raise ValueError("the vectorizer must use analysis.text.Analyzer with ngram_range=(1, 1) — "
                             "build it with analysis.dtm.dtm_vectorizer")
        self.vectorizer = vectorizer
        self.tfidf = hasattr(vectorizer, "idf_")
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.codes = _Codes(self._add)
        self._column: list[int] = []
        self.multi: dict[int, list[int]] = {}

    def __getstate__(self):
        return {"vectorizer": self.vectorizer, "tfidf": self.tfidf}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self._reset()

    def _add(self, form: str) -> int:
        vocabulary = self.vectorizer.vocabulary_
        found = [vocabulary[f] for f in self.vectorizer.analyzer(form) if f in vocabulary]
        code = len(self._column)
        self._column.append(found[0] if len(found) == 1 else -1 if not found else -2)
        if len(found) > 1:
            self.multi[code] = found
        return code

    def counts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Term counts (float64) of ``texts``, as the vectorizer's ``CountVectorizer`` part gives them."""
        texts = _check_texts(texts)
        forms = [_TOKENS(normalize_apostrophes(t)) for t in texts]
        lengths = np.fromiter(map(len, forms), dtype=np.int64, count=len(forms))
        with self._lock:
            if len(self._column) > MAX_TYPES:
                self._reset()
            codes = np.fromiter(map(self.codes.__getitem__, itertools.chain.from_iterable(forms)),
                                dtype=np.int64, count=int(lengths.sum()))
            column, multi = np.array(self._column, dtype=np.int64), dict(self.multi)
        cols = column[codes]
        row_of = np.repeat(np.arange(len(texts)), lengths)
        use = cols >= 0
        rows, used = [row_of[use]], [cols[use]]
        for i in np.flatnonzero(cols == -2).tolist():
            found = multi[int(codes[i])]
            rows.append(np.full(len(found), row_of[i]))
            used.append(np.array(found, dtype=np.int64))
        r, c = np.concatenate(rows), np.concatenate(used)
        matrix = sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(texts), len(self.vectorizer.vocabulary_)))
        matrix.sum_duplicates()
        return matrix

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """What ``vectorizer.transform(texts)`` gives: counts, or TF-IDF weights for a TF-IDF vectorizer."""
        counts = self.counts(texts)
        return tfidf_weight(counts, self.vectorizer) if self.tfidf else counts


def _shares(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to sum to 1; an all-zero row becomes uniform."""
    sums = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, sums, out=np.full_like(matrix, 1.0 / matrix.shape[1]), where=sums > 0)


class OnlineTopicModel(TransformerMixin, BaseEstimator):
    """LDA or NMF topics learned one chunk at a time, over a fixed fitted vocabulary.

    For corpora that do not fit in memory: ``partial_fit`` on successive chunks, or
    ``fit`` on an iterable that is read ``chunk_size`` texts at a time (one pass).

    Parameters
    ----------
    method : {"lda", "nmf"}
        LDA: scikit-learn ``LatentDirichletAllocation`` with online variational Bayes
        (Hoffman, Blei & Bach 2010) on counts; ``total_samples`` tells it the size of the
        whole corpus, which scales each chunk's contribution to the topic-word statistics.
        NMF: scikit-learn ``MiniBatchNMF`` (Frobenius loss) on TF-IDF weights.
    n_components : int
        Number of topics K.
    vectorizer : fitted vectorizer, optional
        Its vocabulary (and, for NMF, its idf) stays fixed, e.g. the ``vectorizer_`` of an
        :class:`analysis.topics.TopicModel` fitted on a sample. Default: a
        :func:`analysis.topics.topic_vectorizer` fitted on the first chunk.
    total_samples : int
        Number of texts in the whole corpus (LDA).
    chunk_size : int
        Texts per update in :meth:`fit`.
    random_state : int

    Attributes
    ----------
    vectorizer_, model_, terms_, components_ (topic-term rows summing to 1), n_seen_

    Examples
    --------
    >>> docs = ["oil gas oil", "gas oil pipeline", "army troops army", "troops army base"] * 5
    >>> m = OnlineTopicModel("lda", 2, total_samples=len(docs), chunk_size=8, random_state=0).fit(docs)
    >>> m.n_seen_, m.transform(["oil gas"]).shape
    (20, (1, 2))
    """

    def __init__(self, method: str = "lda", n_components: int = 5, *, vectorizer=None,
                 total_samples: int = 1_000_000, chunk_size: int = CHUNK_SIZE, random_state: int = config.SEED):
        self.method = method
        self.n_components = n_components
        self.vectorizer = vectorizer
        self.total_samples = total_samples
        self.chunk_size = chunk_size
        self.random_state = random_state

    def _start(self, texts: list[str]) -> None:
        from .topics import topic_vectorizer

        if self.method not in ("lda", "nmf"):
            raise ValueError(f"method must be 'lda' or 'nmf', not {self.method!r}")
        if int(self.n_components) != self.n_components or self.n_components < 1:
            raise ValueError(f"n_components must be a positive integer, not {self.n_components!r}")
        if int(self.total_samples) != self.total_samples or self.total_samples < 1:
            raise ValueError(f"total_samples must be a positive integer (the corpus size), not {self.total_samples!r}")
        vec = self.vectorizer if self.vectorizer is not None else topic_vectorizer(self.method).fit(texts)
        self.vectorizer_ = vec
        self.counter_ = VocabularyCounter(vec)
        if self.method == "lda":
            self.model_ = LatentDirichletAllocation(
                n_components=int(self.n_components), learning_method="online",
                total_samples=int(self.total_samples), random_state=self.random_state, n_jobs=1)
        else:
            self.model_ = MiniBatchNMF(n_components=int(self.n_components), init="random",
                                       random_state=self.random_state)
        self.terms_ = vec.get_feature_names_out()
        self.n_seen_ = 0

    def partial_fit(self, X, y=None):
        """Update the topics with one chunk of texts."""
        texts = _check_texts(X)
        if not texts:
            raise ValueError("X is empty — pass at least one text per chunk")
        if not hasattr(self, "model_"):
            self._start(texts)
        self.model_.partial_fit(self.counter_.transform(texts))
        self.n_seen_ += len(texts)
        self.components_ = _shares(np.asarray(self.model_.components_, dtype=float))
        return self

    def fit(self, X, y=None):
        """One pass over ``X`` (any iterable of texts), ``chunk_size`` texts per update."""
        for name in ("model_", "vectorizer_", "counter_", "terms_", "n_seen_", "components_"):
            self.__dict__.pop(name, None)
        for chunk in text_chunks(X, self.chunk_size):
            self.partial_fit(chunk)
        if not hasattr(self, "model_"):
            raise ValueError("X is empty — pass at least one text")
        return self

    def transform(self, X) -> np.ndarray:
        """Topic shares of texts (rows sum to 1), as :class:`analysis.topics.TopicModel` gives them."""
        check_is_fitted(self, "model_")
        W = self.model_.transform(self.counter_.transform(_check_texts(X)))
        if self.method == "nmf":
            W = W * self.model_.components_.sum(axis=1)
        return _shares(W)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "model_")
        return np.array([f"topic{k + 1}" for k in range(int(self.n_components))], dtype=object)
