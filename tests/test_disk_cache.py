"""Tests for analysis.disk_cache: results shared between the processes of a run."""
from __future__ import annotations

import os

import pandas as pd
import pytest

from analysis import disk_cache
from analysis.codebook import load_codebook, with_target_window
from analysis.disk_cache import cached, inputs_hash, scorer_fitted
from analysis.frames import FrameScorer

TEXTS = ["A pragmatic bargain of convenience.", "A shared ideology against the West.",
         "Deterrence by the threat of retaliation.", "Credibility, resolve and prestige.",
         "Not a pragmatic deal but a creed."]


@pytest.fixture
def cache_root(tmp_path, monkeypatch):
    monkeypatch.setattr(disk_cache, "CACHE_ROOT", tmp_path)
    return tmp_path


def test_inputs_hash_depends_on_every_part_and_its_order():
    table = pd.DataFrame({"a": [1, 2]})
    assert inputs_hash("x", table) == inputs_hash("x", table.copy())
    assert inputs_hash("x", table) != inputs_hash("x", table.assign(a=[1, 3]))
    assert inputs_hash("x", table) != inputs_hash("x", table.rename(columns={"a": "b"}))
    assert inputs_hash("x", ["p", "q"]) != inputs_hash("x", ["q", "p"])
    assert inputs_hash("x", ["pq"]) != inputs_hash("x", ["p", "q"])
    assert inputs_hash("x", "y") != inputs_hash("y", "x")


def toy_scorer(codebook=None):
    return FrameScorer(codebook or load_codebook(), n_components=2, context="paragraph")


def test_a_fitted_scorer_is_stored_once_and_read_back_as_fitted(cache_root):
    first = scorer_fitted(toy_scorer(), TEXTS)
    stored = list((cache_root / "scorers").glob("*.pkl"))
    assert len(stored) == 1
    mtime = stored[0].stat().st_mtime_ns
    again = scorer_fitted(toy_scorer(), TEXTS)
    assert again is not first and stored[0].stat().st_mtime_ns == mtime  # read, not written again
    pd.testing.assert_frame_equal(again.transform_frame(TEXTS), first.transform_frame(TEXTS), check_exact=True)
    # and it is the scorer a plain fit gives
    pd.testing.assert_frame_equal(toy_scorer().fit(TEXTS).transform_frame(TEXTS), first.transform_frame(TEXTS))


def test_other_texts_settings_or_codebook_are_other_results(cache_root):
    scorer_fitted(toy_scorer(), TEXTS)
    scorer_fitted(toy_scorer(), TEXTS[:-1])
    scorer_fitted(toy_scorer().set_params(n_components=1), TEXTS)
    scorer_fitted(toy_scorer(with_target_window(load_codebook(), "alliance", 3)), TEXTS)
    assert len(list((cache_root / "scorers").glob("*.pkl"))) == 4


@pytest.mark.slow
def test_exemplars_given_as_a_path_are_fitted_but_not_stored(cache_root):
    from analysis import config

    scorer = scorer_fitted(toy_scorer().set_params(exemplars=config.CORPUS_DIR / "exemplars"), TEXTS)
    assert scorer.supervised_ is not None  # fitted, with the exemplars of that folder
    assert not (cache_root / "scorers").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_folder_that_cannot_be_written_computes_every_time(tmp_path, monkeypatch):
    root = tmp_path / "ro"
    root.mkdir()
    root.chmod(0o500)
    calls = []
    try:
        for _ in range(2):
            assert cached(root / "x" / "r.pkl", lambda: calls.append(1) or 7, None, None) == 7
    finally:
        root.chmod(0o700)
    assert len(calls) == 2


def test_a_result_is_written_whole_or_not_at_all(tmp_path):
    def failing(result, fh):
        fh.write(b"half")
        raise OSError("disk full")

    assert cached(tmp_path / "r.bin", lambda: 1, None, failing) == 1
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == []


def test_only_the_newest_results_of_a_kind_are_kept(tmp_path):
    for i in range(5):
        assert cached(tmp_path / f"r{i}.bin", lambda i=i: i, None, lambda r, fh: fh.write(bytes([r]))) == i
    disk_cache.prune(tmp_path, keep=2)
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == ["r3.bin", "r3.lock", "r4.bin", "r4.lock"]
    # a result pruned by another process is computed again, not an error
    assert cached(tmp_path / "r0.bin", lambda: 7, lambda fh: fh.read()[0], lambda r, fh: fh.write(bytes([r]))) == 7
    assert cached(tmp_path / "r0.bin", lambda: 9, lambda fh: fh.read()[0], lambda r, fh: fh.write(bytes([r]))) == 7
