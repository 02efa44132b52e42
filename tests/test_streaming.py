"""Tests for analysis.streaming: chunking and worker processes change no score; bounded read-ahead."""
from __future__ import annotations

import operator

import pandas as pd
import pytest

from analysis.frames import FrameScorer
from analysis.streaming import stream_map, stream_scores, text_chunks
from toys import COMBO, RULES, random_texts, toy_codebook


@pytest.fixture
def toy(tmp_path):
    return FrameScorer(toy_codebook(tmp_path), n_components=2, context="paragraph").fit(COMBO + RULES)


@pytest.mark.parametrize("chunk_size", [1, 3, 1000])
def test_chunking_changes_nothing(toy, chunk_size):
    texts = RULES + random_texts(40, seed=2)
    chunks = list(stream_scores(iter(texts), toy, chunk_size=chunk_size))
    assert [len(c) for c in chunks] == [len(c) for c in text_chunks(texts, chunk_size)]
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), toy.transform_frame(texts),
                                  check_exact=True)


@pytest.mark.slow
def test_two_workers_change_nothing(toy):
    texts = RULES + random_texts(60, seed=4)
    got = pd.concat(stream_scores(texts, toy, chunk_size=25, n_jobs=2), ignore_index=True)
    pd.testing.assert_frame_equal(got, toy.transform_frame(texts), check_exact=True)


@pytest.mark.slow
def test_stream_map_keeps_order_and_reads_ahead_a_bounded_number():
    consumed = []

    def items():
        for i in range(6):
            consumed.append(i)
            yield i

    results = stream_map(operator.add, items(), 10, n_jobs=2, max_pending=2)
    assert next(results) == 10
    assert len(consumed) == 2  # two items in flight when the first result is handed back
    assert list(results) == [11, 12, 13, 14, 15]


def test_stream_map_in_process_is_lazy():
    consumed = []

    def items():
        for i in range(3):
            consumed.append(i)
            yield i

    results = stream_map(operator.mul, items(), 2)
    assert next(results) == 0 and consumed == [0]


@pytest.mark.parametrize("call, message", [
    (lambda: list(stream_map(operator.add, [1], 0, n_jobs=0)), "n_jobs must be a positive integer"),
    (lambda: list(text_chunks([1], 0)), "chunk_size must be a positive integer"),
])
def test_bad_worker_settings(call, message):
    with pytest.raises(ValueError, match=message):
        call()
