"""Tests for analysis.distributed: on a local Dask cluster, scoring gives exactly what the
single-machine path gives, for texts, for paragraph records, for articles and for files."""
from __future__ import annotations

import dask.bag as db
import pandas as pd
import pytest
from dask.distributed import Client, LocalCluster

from analysis.distributed import bag_to_csv, doc_bag, folder_bag, score_bag
from analysis.errors import InputError
from analysis.frames import FrameScorer
from analysis.scoring import OUTPUT_FILES, score_folder
from toys import COMBO, toy_codebook
from toys import RULES, random_texts

FOLDER = {"c.txt": "A deal for now.\n\nNot a deal, an ideology.\n", "a.txt": "Credibility matters.\nDeter them.\n",
          "b.txt": "x x x\n\n\nA shared values pact; no deal.\n", "d.txt": "The Axis of Resistance.\n",
          "e.txt": "Neither deal nor ideology.\nA marriage of convenience.\n",
          # enough paragraphs that the article's bootstrap interval depends on its random draws
          "f.txt": "A deal.\nA deal, a deal.\nAn ideology.\nx x\nCredibility and a deal.\nNot a deal.\n"
                   "Shared values.\nDeter, deter.\n"}


@pytest.fixture(scope="module")
def client():
    # one in-process worker with two threads (both share one fitted scorer); TCP on 127.0.0.1,
    # since the in-process transport looks the machine up through an outside address
    with LocalCluster(processes=False, n_workers=1, threads_per_worker=2, protocol="tcp://", host="127.0.0.1",
                      dashboard_address=None) as cluster, \
            Client(cluster) as c:
        yield c


@pytest.fixture
def toy(tmp_path):
    return FrameScorer(toy_codebook(tmp_path), n_components=2, context="paragraph").fit(COMBO + RULES)


def write_folder(folder):
    folder.mkdir()
    for name, text in FOLDER.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_texts_score_as_on_one_machine(client, toy):
    texts = RULES + random_texts(120, seed=8)
    records = client.compute(score_bag(db.from_sequence(texts, npartitions=7), toy)).result()
    pd.testing.assert_frame_equal(pd.DataFrame(records), toy.transform_frame(texts), check_exact=True)


@pytest.mark.parametrize("paragraphs, files_per_partition", [("line", 2), ("block", 1)])
def test_folder_scores_as_python_m_analysis_score(client, toy, tmp_path, paragraphs, files_per_partition):
    src = write_folder(tmp_path / "in")
    score_folder(src, tmp_path / "one", paragraphs, scorer=toy, n_boot=40, progress=False)
    scored = score_bag(folder_bag(src, paragraphs, files_per_partition), toy)
    for bag, name in ((scored, OUTPUT_FILES[0]), (doc_bag(scored, toy, n_boot=40), OUTPUT_FILES[1])):
        parts = bag_to_csv(bag, tmp_path / name)
        texts = [p.read_text(encoding="utf-8") for p in parts]
        joined = texts[0] + "".join(t.split("\n", 1)[1] for t in texts[1:])
        assert joined == (tmp_path / "one" / name).read_text(encoding="utf-8")


def test_bad_file_is_reported_when_its_partition_runs(client, toy, tmp_path):
    src = write_folder(tmp_path / "in")
    (src / "z.txt").write_bytes(b"ok\xff")
    with pytest.raises(InputError, match=r"z\.txt:1: not valid UTF-8 at byte offset 2"):
        client.compute(score_bag(folder_bag(src, files_per_partition=2), toy)).result()


@pytest.mark.parametrize("call, message", [
    (lambda s, d: score_bag(["a deal"], s), "bag must be a dask Bag"),
    (lambda s, d: doc_bag(pd.DataFrame(), s), "scored must be the dask Bag"),
    (lambda s, d: folder_bag(d, paragraphs="page"), "paragraphs must be one of"),
    (lambda s, d: folder_bag(d, files_per_partition=0), "files_per_partition must be a positive integer"),
    (lambda s, d: score_bag(db.from_sequence([1, 2]), s).compute(scheduler="sync"), "holds texts, or records"),
])
def test_bad_arguments(toy, tmp_path, call, message):
    with pytest.raises(ValueError, match=message):
        call(toy, write_folder(tmp_path / "in"))
