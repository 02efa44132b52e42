"""Tests for analysis.scoring: scoring a folder of .txt files, and every bad-input path."""
from __future__ import annotations

import hashlib
import json
import re

import numpy as np
import pandas as pd
import pytest

from analysis import config, scoring
from analysis.cli import main
from analysis.errors import InputError, Problem
from analysis.frame_tables import score_corpus
from analysis.frames import FrameScorer
from analysis.outputs import table_to_csv
from analysis.scoring import OUTPUT_FILES, SCORER_FILE, TABLE_FILES, folder_paragraphs, folder_read, score_folder
from analysis.sources import corpus_hash
from corpus_factory import demo_copy
from toys import COMBO, toy_codebook


@pytest.fixture
def scorer(tmp_path):
    return FrameScorer(toy_codebook(tmp_path), n_components=2, context="paragraph").fit(COMBO)


def write(folder, name, data: bytes):
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(data)


def test_scores_every_txt_file(tmp_path, scorer):
    src, out = tmp_path / "in", tmp_path / "out"
    write(src, "b-doc.txt", b"A deal for now.\n\nWe want credibility.\n")
    write(src, "a-doc.txt", b"An ideology shared.\nNot a deal.\n")
    write(src, "notes.md", b"ignored")
    written = score_folder(src, out, scorer=scorer, n_boot=50)
    assert written == [out / name for name in OUTPUT_FILES]
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)
    # a scorer fitted elsewhere: its measures are recorded, the corpus it came from is not known
    record = json.loads((out / SCORER_FILE).read_text(encoding="utf-8"))
    assert record["corpus"] is None and record["stamp"] is None and record["retrained"] is False
    assert record["index_measures"] == {"alliance": ["dict", "tfidf", "lss"], "force": ["dict", "tfidf", "lss"]}
    units = pd.read_csv(out / "unit_scores.csv")
    docs = pd.read_csv(out / "doc_scores.csv")
    assert units["unit_id"].tolist() == ["a-doc.p01", "a-doc.p02", "b-doc.p01", "b-doc.p02"]
    assert docs["doc_id"].tolist() == ["a-doc", "b-doc"]
    assert list(docs.columns[:9]) == ["doc_id", "alliance_index", "alliance_low", "alliance_high", "force_index",
                                      "force_low", "force_high", "alliance_salience", "force_salience"]
    # 'Not a deal.' is negated: the unit has no transactional match
    assert units.loc[1, "dict_transactional"] == 0


def test_block_paragraphs(tmp_path, scorer):
    src, out = tmp_path / "in", tmp_path / "out"
    write(src, "d.txt", b"A deal\nfor now.\n\n\nWe want\ncredibility.\n")
    score_folder(src, out, paragraphs="block", scorer=scorer, n_boot=50)
    units = pd.read_csv(out / "unit_scores.csv")
    assert units["text"].tolist() == ["A deal for now.", "We want credibility."]


def test_folder_paragraphs_modes():
    texts = {"x": "one\ntwo\n\n  three  \n"}
    assert folder_paragraphs(texts, "line")["text"].tolist() == ["one", "two", "three"]
    assert folder_paragraphs(texts, "block")["text"].tolist() == ["one two", "three"]
    with pytest.raises(ValueError, match="paragraphs must be one of"):
        folder_paragraphs(texts, "page")


BAD_FILES = [
    ("empty.txt", b"", r"empty\.txt: is empty"),
    ("blank.txt", b" \n\t\n", r"blank\.txt: contains only whitespace"),
    ("bom.txt", b"\xef\xbb\xbfA deal.", r"bom\.txt:1: starts with a UTF-8 byte-order mark"),
    ("nul.txt", b"A deal\x00.", r"nul\.txt:1: contains a NUL byte at byte offset 6"),
    # 'ok\n' is 3 bytes and 'ab' 2 more: the bad byte is at offset 5, on line 2
    ("latin.txt", b"ok\nab\xe9\n", r"latin\.txt:2: not valid UTF-8 at byte offset 5"),
]


@pytest.mark.parametrize("name, data, message", BAD_FILES)
def test_bad_file_is_named_and_nothing_is_written(tmp_path, scorer, name, data, message):
    src, out = tmp_path / "in", tmp_path / "out"
    write(src, "good.txt", b"A deal.\n")
    write(src, name, data)
    with pytest.raises(InputError, match=message):
        score_folder(src, out, scorer=scorer, n_boot=10)
    assert not out.exists()


def test_every_bad_file_is_listed(tmp_path, scorer):
    src = tmp_path / "in"
    for name, data, _ in BAD_FILES:
        write(src, name, data)
    with pytest.raises(InputError) as caught:
        folder_read(src)
    assert sorted(p.path.name for p in caught.value.problems) == sorted(n for n, _, _ in BAD_FILES)


def test_unreadable_file(tmp_path, scorer):
    src = tmp_path / "in"
    (src / "folder.txt").mkdir(parents=True)  # a .txt that cannot be read as a file
    with pytest.raises(InputError, match=r"folder\.txt: cannot be read"):
        score_folder(src, tmp_path / "out", scorer=scorer)


def test_folder_without_txt(tmp_path, scorer):
    write(tmp_path / "in", "a.md", b"text")
    with pytest.raises(InputError, match="contains no .txt file"):
        score_folder(tmp_path / "in", tmp_path / "out", scorer=scorer)


def test_missing_folder(tmp_path, scorer):
    with pytest.raises(InputError, match="is not a folder"):
        score_folder(tmp_path / "nope", tmp_path / "out", scorer=scorer)


def test_unknown_paragraph_mode(tmp_path, scorer):
    write(tmp_path / "in", "a.txt", b"A deal.")
    with pytest.raises(InputError, match="unknown paragraph mode 'page'"):
        score_folder(tmp_path / "in", tmp_path / "out", paragraphs="page", scorer=scorer)


def test_out_is_a_file(tmp_path, scorer):
    write(tmp_path / "in", "a.txt", b"A deal.")
    (tmp_path / "out").write_text("x")
    with pytest.raises(InputError, match="exists and is not a folder"):
        score_folder(tmp_path / "in", tmp_path / "out", scorer=scorer)


def test_default_scorer_is_fitted_on_the_study_corpus(tmp_path):
    write(tmp_path / "in", "a.txt", b"It was a marriage of convenience, not an ideological alliance.\n")
    score_folder(tmp_path / "in", tmp_path / "out", n_boot=20, measures="all")
    units = pd.read_csv(tmp_path / "out" / "unit_scores.csv")
    assert units.loc[0, "dict_transactional"] > 0 and units.loc[0, "dict_ideological"] == 0
    assert units.loc[0, "alliance_index"] < 0
    # by default only the index's measures are scored, and the index is the same
    score_folder(tmp_path / "in", tmp_path / "lean", n_boot=20)
    lean = pd.read_csv(tmp_path / "lean" / "unit_scores.csv")
    assert lean["alliance_index"].equals(units["alliance_index"])
    assert lean["force_salience"].equals(units["force_salience"])
    assert not any(c.startswith("dict_") and c != "dict_tokens" for c in lean.columns)
    assert len(lean.columns) < len(units.columns)


# -- any number of files: batches, workers, progress ----------------------------------

FOLDER = {"c.txt": b"A deal for now.\n\nNot a deal, an ideology.\n", "a.txt": b"Credibility matters.\nDeter them.\n",
          "b.txt": b"x x x\n\n\nA shared values pact; no deal.\n"}


def reference_tables(src, scorer, paragraphs, n_boot):
    """The two tables as the study computes them for the whole folder at once."""
    units, docs = score_corpus(folder_paragraphs(folder_read(src), paragraphs), scorer=scorer, n_boot=n_boot)
    return table_to_csv(units), table_to_csv(docs)


@pytest.mark.parametrize("paragraphs, batch_bytes, n_jobs", [("line", 10**9, 1), ("block", 1, 1), pytest.param("line", 1, 2, marks=pytest.mark.slow)])
def test_batches_and_workers_write_the_whole_folder_tables(tmp_path, scorer, paragraphs, batch_bytes, n_jobs):
    src = tmp_path / "in"
    for name, data in FOLDER.items():
        write(src, name, data)
    score_folder(src, tmp_path / "out", paragraphs, scorer=scorer, n_boot=30, n_jobs=n_jobs,
                 batch_bytes=batch_bytes, progress=False)
    written = tuple((tmp_path / "out" / name).read_text(encoding="utf-8") for name in TABLE_FILES)
    assert written == reference_tables(src, scorer, paragraphs, 30)


def test_file_spoiled_after_the_check_writes_nothing(tmp_path, scorer, monkeypatch):
    src, out = tmp_path / "in", tmp_path / "out"
    for name, data in FOLDER.items():
        write(src, name, data)
    real, calls = scoring.file_read, []

    def spoiled_on_second_read(path):
        calls.append(path.name)
        if calls.count(path.name) == 2 and path.name == "b.txt":
            return None, [Problem(path, "is empty", "add text")]
        return real(path)

    monkeypatch.setattr(scoring, "file_read", spoiled_on_second_read)
    with pytest.raises(InputError, match=r"b\.txt: is empty"):
        score_folder(src, out, scorer=scorer, n_boot=10, batch_bytes=1, progress=False)
    assert not out.exists()  # no table, no temporary file, not even the folder


def allocate_too_much(*args, **kwargs):
    """A real failed allocation: far more bytes than any machine has."""
    return np.empty(2**62, dtype=np.uint8)


def test_running_out_of_memory_names_the_largest_file_and_writes_nothing(tmp_path, scorer, monkeypatch):
    src, out = tmp_path / "in", tmp_path / "out"
    write(src, "small.txt", b"A deal.\n")
    write(src, "large.txt", b"A deal for now.\n" * 200)
    monkeypatch.setattr(scoring, "score_corpus", allocate_too_much)
    with pytest.raises(InputError) as caught:
        score_folder(src, out, scorer=scorer, n_boot=10, progress=False)
    assert [str(p) for p in caught.value.problems] == [
        f"{src / 'large.txt'}: ran out of memory while scoring this file (0.0 MB) with 1 other file(s) — split it "
        "into several smaller .txt files (each file is scored whole, as one article), lower --jobs, or score on a "
        "machine with more memory"]
    assert not out.exists()


def test_running_out_of_memory_keeps_an_existing_out_folder_as_it_was(tmp_path, scorer, monkeypatch):
    src, out = tmp_path / "in", tmp_path / "out"
    write(src, "a.txt", b"A deal.\n")
    write(out, "mine.csv", b"kept")
    monkeypatch.setattr(scoring, "score_corpus", allocate_too_much)
    with pytest.raises(InputError, match=r"a\.txt: ran out of memory while scoring this file \(0\.0 MB\) —"):
        score_folder(src, out, scorer=scorer, n_boot=10, progress=False)
    assert [p.name for p in out.iterdir()] == ["mine.csv"]


@pytest.mark.parametrize("where, line", [
    # inside a batch: the batch names its largest file
    ("score_corpus", r"^\S*a\.txt: ran out of memory while scoring this file \(0\.0 MB\) — split it"),
    # anywhere else in the run: the folder
    ("score_folder", r"^\S*in: ran out of memory while scoring — split its largest files into smaller ones"),
])
def test_command_line_reports_running_out_of_memory_in_one_line(tmp_path, scorer, monkeypatch, capsys, where, line):
    src, out = tmp_path / "in", tmp_path / "out"
    write(src, "a.txt", b"A deal.\n")
    monkeypatch.setattr(scoring, "study_scorer", lambda *args, **kwargs: scorer)
    monkeypatch.setattr(scoring, where, allocate_too_much)
    status = main(["score", str(src), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 2
    problems = [l for l in err.splitlines() if " — " in l]  # the rest is the progress bar
    assert len(problems) == 1 and re.search(line, problems[0]), err
    assert "Traceback" not in err
    assert not out.exists()


def test_progress_bar_on_stderr(tmp_path, scorer, capsys):
    write(tmp_path / "in", "a.txt", b"A deal.\n")
    score_folder(tmp_path / "in", tmp_path / "out", scorer=scorer, n_boot=10)
    assert "scoring" in capsys.readouterr().err
    score_folder(tmp_path / "in", tmp_path / "out2", scorer=scorer, n_boot=10, progress=False)
    assert capsys.readouterr().err == ""


# -- scoring with the measures fitted for another corpus ------------------------------

TEXTS = {"a.txt": b"Iran and Russia signed a deal in exchange for drones.\nThey want to show resolve to allies.\n",
         "b.txt": b"A shared ideology binds the bloc.\n"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo corpus (with its annotations/) and 180 of the study's exemplars, and a folder to score."""
    root = tmp_path_factory.mktemp("demo")
    for name, data in TEXTS.items():
        write(root / "in", name, data)
    return demo_copy(root / "corpus"), root / "in"


@pytest.fixture(scope="module")
def demo_scored(demo, tmp_path_factory):
    corpus, src = demo
    out = tmp_path_factory.mktemp("scored")
    score_folder(src, out / "plain", corpus_dir=corpus, n_boot=20, progress=False)
    score_folder(src, out / "retrained", corpus_dir=corpus, n_boot=20, progress=False, retrain=True)
    return out


def read_record(folder):
    return json.loads((folder / SCORER_FILE).read_text(encoding="utf-8"))


def test_scorer_json_names_what_scored_the_tables(demo, demo_scored):
    corpus, _ = demo
    record = read_record(demo_scored / "plain")
    assert record["corpus"] == str(corpus.resolve())
    # the demo corpus has no codebook of its own: the study's scores it
    study_codebook = hashlib.sha256((config.CORPUS_DIR / "codebook.toml").read_bytes()).hexdigest()
    assert record["codebook_sha256"] == study_codebook == record["stamp"]["codebook_sha256"]
    assert record["exemplars"] == {"count": 180, "writers": ["w1", "w2", "w3"]}
    assert (record["retrained"], record["coded_paragraphs"], record["coded_articles"]) == (False, 0, [])
    assert set(record["index_measures"]) == {"alliance", "force"}
    assert all(set(ms) <= set(record["measures"]) for ms in record["index_measures"].values())
    assert record["stamp"]["corpus_sha256"] == corpus_hash(corpus)
    units = pd.read_csv(demo_scored / "plain" / "unit_scores.csv")
    assert units["unit_id"].tolist() == ["a.p01", "a.p02", "b.p01"]


def test_retrain_adds_the_hand_codes_and_changes_the_supervised_scores(demo_scored):
    record = read_record(demo_scored / "retrained")
    assert record["retrained"] is True
    assert record["coded_paragraphs"] == 18  # every row of the demo's reconciled.csv
    assert record["coded_articles"] == ["courier-2023", "ledger-2019", "tribune-2021"]
    assert record["exemplars"] == read_record(demo_scored / "plain")["exemplars"]  # the written ones, unchanged
    plain = pd.read_csv(demo_scored / "plain" / "unit_scores.csv")
    retrained = pd.read_csv(demo_scored / "retrained" / "unit_scores.csv")
    assert retrained["unit_id"].equals(plain["unit_id"])
    for column in ("sup_alliance", "sup_force", "sup_alliance_salience", "sup_force_salience"):
        assert not retrained[column].equals(plain[column]), column


def test_scorer_json_is_the_same_for_the_same_inputs(demo, demo_scored, tmp_path):
    corpus, src = demo
    score_folder(src, tmp_path / "again", corpus_dir=corpus, n_boot=20, progress=False, retrain=True)
    for name in OUTPUT_FILES:
        assert (tmp_path / "again" / name).read_bytes() == (demo_scored / "retrained" / name).read_bytes(), name


def test_retrain_without_annotations_is_refused_and_nothing_written(demo, tmp_path):
    _, src = demo
    corpus = demo_copy(tmp_path / "bare", annotations=False)
    with pytest.raises(InputError, match=r"bare/annotations: is missing: --retrain trains on the corpus' "
                                         r"reconciled hand codes — code a sample by hand"):
        score_folder(src, tmp_path / "out", corpus_dir=corpus, retrain=True, progress=False)
    assert not (tmp_path / "out").exists()


def test_retrain_on_the_study_corpus_is_refused(demo, tmp_path):
    _, src = demo
    with pytest.raises(InputError, match="never train on the study's own hand coding"):
        score_folder(src, tmp_path / "out", retrain=True, progress=False)
    assert not (tmp_path / "out").exists()
