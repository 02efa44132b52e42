"""Tests for analysis.scoring: scoring a folder of .txt files, and every bad-input path."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis import scoring
from analysis.errors import InputError, Problem
from analysis.frames import FrameScorer, score_corpus
from analysis.outputs import table_to_csv
from analysis.scoring import OUTPUT_FILES, folder_paragraphs, folder_read, score_folder
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


@pytest.mark.parametrize("paragraphs, batch_bytes, n_jobs", [("line", 10**9, 1), ("block", 1, 1), ("line", 1, 2)])
def test_batches_and_workers_write_the_whole_folder_tables(tmp_path, scorer, paragraphs, batch_bytes, n_jobs):
    src = tmp_path / "in"
    for name, data in FOLDER.items():
        write(src, name, data)
    score_folder(src, tmp_path / "out", paragraphs, scorer=scorer, n_boot=30, n_jobs=n_jobs,
                 batch_bytes=batch_bytes, progress=False)
    written = tuple((tmp_path / "out" / name).read_text(encoding="utf-8") for name in OUTPUT_FILES)
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
    assert sorted(p.name for p in out.iterdir()) == []  # no table, no temporary file


def test_progress_bar_on_stderr(tmp_path, scorer, capsys):
    write(tmp_path / "in", "a.txt", b"A deal.\n")
    score_folder(tmp_path / "in", tmp_path / "out", scorer=scorer, n_boot=10)
    assert "scoring" in capsys.readouterr().err
    score_folder(tmp_path / "in", tmp_path / "out2", scorer=scorer, n_boot=10, progress=False)
    assert capsys.readouterr().err == ""
