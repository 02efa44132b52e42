"""Scoring texts a chunk at a time, in worker processes when asked: memory bounded by the chunk.

:func:`stream_scores` scores an iterable of texts chunk by chunk, optionally in worker
processes (:func:`stream_map`, ordered, with a bounded number of chunks in flight);
output does not depend on the chunk size or the number of workers.

A fitted scorer holds everything it learned from its corpus, so a corpus of any size
can be read, scored and written a chunk of paragraphs at a time, each chunk by the
scorer's own ``transform_frame`` (the one implementation of every measure).
"""
from __future__ import annotations

import itertools
import multiprocessing
import resource
from collections import deque
from collections.abc import Callable, Iterable, Iterator

import pandas as pd
from sklearn.utils.validation import check_is_fitted

from .frames import FrameScorer

#: Paragraphs per chunk: large enough for numpy to pay off, small enough to bound memory.
CHUNK_SIZE = 5000


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


def _score_chunk(scorer: FrameScorer, texts: list[str]) -> pd.DataFrame:
    return scorer.transform_frame(texts)


def stream_scores(texts: Iterable[str], scorer: FrameScorer, *, chunk_size: int = CHUNK_SIZE,
                  n_jobs: int = 1) -> Iterator[pd.DataFrame]:
    """Score texts chunk by chunk: one ``transform_frame`` table per chunk, in order.

    Parameters
    ----------
    texts : iterable of str
        Read lazily, ``chunk_size`` at a time (a generator over files works).
    scorer : FrameScorer, fitted
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
    check_is_fitted(scorer, "scale_")
    yield from stream_map(_score_chunk, text_chunks(texts, chunk_size), scorer, n_jobs=n_jobs)


