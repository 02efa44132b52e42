"""Tests for analysis.disk_cache: results shared between the processes of a run."""
from __future__ import annotations

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
    assert inputs_hash("x", pd.DataFrame({"a": [True, False]})) != inputs_hash("x", pd.DataFrame({"a": [1, 0]}))
    assert inputs_hash("x", pd.DataFrame({"a": [1, 2]})) != inputs_hash("x", pd.DataFrame({"a": ["1", "2"]}))
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


def test_a_result_is_written_whole_or_not_at_all(tmp_path):
    class Unpicklable:
        def __reduce__(self):
            raise TypeError("cannot pickle this")

    import pickle

    with pytest.raises(TypeError):
        cached(tmp_path / "r.pkl", Unpicklable, pickle.load, pickle.dumps)
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == []


def test_a_damaged_result_is_computed_again(tmp_path):
    import pickle

    path = tmp_path / "r.pkl"
    path.write_bytes(b"")  # e.g. a crash left an empty file
    assert cached(path, lambda: {"a": 1}, pickle.load, pickle.dumps) == {"a": 1}
    assert pickle.loads(path.read_bytes()) == {"a": 1}
    path.write_bytes(b"not a pickle")
    assert cached(path, lambda: 2, pickle.load, pickle.dumps) == 2


def test_only_the_newest_results_of_a_kind_are_kept(tmp_path):
    import time

    for i in (4, 3, 2, 1, 0):  # written newest last, against name order
        assert cached(tmp_path / f"r{i}.bin", lambda i=i: i, lambda fh: fh.read()[0], lambda r: bytes([r])) == i
        time.sleep(0.01)
    disk_cache.prune(tmp_path, keep=2)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".bin") == ["r0.bin", "r1.bin"]
    assert len(list(tmp_path.glob("*.lock"))) == 5  # lock files stay: a waiting process keeps its lock
    # a result pruned by another process is computed again, not an error
    assert cached(tmp_path / "r4.bin", lambda: 7, lambda fh: fh.read()[0], lambda r: bytes([r])) == 7
    assert cached(tmp_path / "r4.bin", lambda: 9, lambda fh: fh.read()[0], lambda r: bytes([r])) == 7


def test_a_folder_that_cannot_be_created_computes_every_time(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    calls = []
    for _ in range(2):  # the cache folder would have to be created below a regular file
        assert cached(blocker / "sub" / "r.pkl", lambda: calls.append(1) or 7, lambda fh: int(fh.read()),
                      lambda r: b"7") == 7
    assert len(calls) == 2


def test_inputs_hash_keeps_sequences_apart():
    assert inputs_hash(["a\0b"]) != inputs_hash(["a", "b"])
    assert inputs_hash(["a"], ["b"]) != inputs_hash(["a", "b"])


def test_the_computing_process_gets_the_result_as_the_others_read_it(tmp_path):
    # the first process continues from the stored bytes, not from its own object
    first = cached(tmp_path / "r.bin", lambda: [1.0, 2.0], lambda fh: ("read", fh.read()), lambda r: b"12")
    assert first == ("read", b"12")


@pytest.mark.slow  # three interpreters
def test_code_key_is_the_same_in_another_process():
    import subprocess
    import sys

    source = "f = lambda: [x * 2 for x in data if x not in ('a', None)]\n"
    script = source + "from analysis.disk_cache import code_key\nprint(code_key(f))"
    keys = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={**__import__("os").environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("0", "1", "random")}
    namespace = {}
    exec(source, namespace)
    assert keys == {disk_cache.code_key(namespace["f"]) + "\n"}
