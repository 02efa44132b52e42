"""Tests for the benchmarks package: the synthetic corpus and the JSON records (not timings)."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import benchmarks
from analysis import config
from analysis.words import WORD_PATTERN
from benchmarks import FIELDS, STAGES, benchmark_run, folder_lines, suffix, synthetic_paragraphs, write_corpus

SOURCE = ["One two three four.", "Five six, seven eight nine ten!", "U.S. eleven's twelve."]


def check_record(record: dict, stage: str, paragraphs: int) -> None:
    assert list(record) == list(FIELDS)
    assert record["stage"] == stage and record["paragraphs"] == paragraphs
    assert isinstance(record["seconds"], float) and record["seconds"] > 0
    # the throughput is the count over the unrounded time, which lies within 0.0005 s of the
    # printed one (rounded to 3 decimals); the throughput itself is rounded to 0.1
    low = paragraphs / (record["seconds"] + 0.0005) - 0.05
    high = paragraphs / max(record["seconds"] - 0.0005, 1e-9) + 0.05
    assert low <= record["paragraphs_per_s"] <= high
    assert isinstance(record["peak_mb"], float) and record["peak_mb"] > 0


@pytest.mark.slow
def test_command_line_prints_one_json_line_per_stage():
    run = subprocess.run([sys.executable, "-m", "benchmarks", "--paragraphs", "200", "--naive", "10",
                          "--stages", "score_write", "baseline_naive"],
                         capture_output=True, text=True, cwd=config.ROOT, timeout=300)
    assert run.returncode == 0, run.stderr
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(records) == 2
    check_record(records[0], "score_write", 200)
    check_record(records[1], "baseline_naive", 10)
    header = json.loads(run.stderr.splitlines()[-1])
    assert header["corpus"]["paragraphs"] == 200 and header["corpus"]["files"] == 2
    assert header["machine"]["nproc"] >= 1


@pytest.mark.slow
def test_every_stage_gives_a_record():
    records = benchmark_run(120, naive=10, jobs=1, isolate=False)
    assert [r["stage"] for r in records] == list(STAGES)
    for record in records:
        sample = record["stage"] in ("baseline_naive", "reference_batch")
        check_record(record, record["stage"], 10 if sample else 120)


@pytest.mark.parametrize("argv, message", [
    (["--paragraphs", "0"], "must be positive integers"),
    (["--paragraphs", "5", "--jobs", "0"], "must be positive integers"),
    (["--paragraphs", "5", "--workdir", "no/such/folder"], "--workdir no/such/folder is not a folder: create it"),
])
def test_command_line_rejects_bad_counts(argv, message, capsys):
    from benchmarks.__main__ import main

    code = main(argv)
    captured = capsys.readouterr()
    assert code == 2 and message in captured.err and captured.out == ""


@pytest.mark.parametrize("rank, expected", [(1, "a"), (26, "z"), (27, "aa"), (52, "az"), (702, "zz"), (703, "aaa")])
def test_suffix_counts_in_base_26(rank, expected):
    # 702 = 26 + 26 * 26: the last two-letter name; 703 the first of three letters
    assert suffix(rank) == expected


def test_suffix_needs_a_positive_rank():
    with pytest.raises(ValueError, match="rank must be a positive integer"):
        suffix(0)


def test_synthetic_paragraphs_are_seeded():
    a = list(synthetic_paragraphs(SOURCE, 50, seed=1))
    assert a == list(synthetic_paragraphs(SOURCE, 50, seed=1))
    assert a != list(synthetic_paragraphs(SOURCE, 50, seed=2))


def test_without_perturbation_paragraphs_are_joined_source_paragraphs():
    # words=4 with source paragraphs of 4, 6 and 3 words (mean 13/3): ratio below 1, so k = 1
    out = list(synthetic_paragraphs(SOURCE, 30, words=4, perturb=0.0, seed=3))
    assert set(out) <= set(SOURCE) and len(set(out)) > 1


def test_full_perturbation_changes_every_alphabetic_word_only():
    out = list(synthetic_paragraphs(["Deal, U.S. don't stop."], 5, words=1, perturb=1.0, seed=4))
    for paragraph in out:
        words = WORD_PATTERN.findall(paragraph)
        assert words[0].startswith("Deal") and len(words[0]) > 4 and words[1] == "U.S."
        assert words[2] == "don't" and words[3].startswith("stop") and len(words[3]) > 4
        assert paragraph.count(",") == 1 and paragraph.endswith(".")


def test_mean_length_follows_words(study_corpus):
    source = study_corpus.paragraphs["text"].tolist()
    out = list(synthetic_paragraphs(source, 3000, words=100, perturb=0.0, seed=5))
    # E[k] = 100 / m for the mean source length m, so E[words] = 100; the sd of a paragraph's
    # length is below 60, so the mean of 3000 has sd below 1.1: 90..110 cannot fail by chance
    assert 90 < np.mean([len(WORD_PATTERN.findall(p)) for p in out]) < 110


@pytest.mark.parametrize("kwargs, message", [
    (dict(n=-1), "n must be a non-negative integer"),
    (dict(n=3, perturb=1.5), "perturb must lie between 0 and 1"),
])
def test_synthetic_paragraphs_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        list(synthetic_paragraphs(SOURCE, **kwargs))


def test_empty_source():
    with pytest.raises(ValueError, match="source has no words"):
        list(synthetic_paragraphs(["...", "1999"], 2))


def test_corpus_round_trip(tmp_path):
    paragraphs = ["a b", "c", "d e f", "g"]
    # 4 paragraphs, 3 per file: 2 files; words 2 + 1 + 3 + 1 = 7
    assert write_corpus(tmp_path, paragraphs, per_file=3) == (2, 4, 7)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0000000.txt", "0000001.txt"]
    assert list(folder_lines(tmp_path)) == paragraphs
    assert list(folder_lines(tmp_path, limit=2)) == paragraphs[:2]


@pytest.mark.parametrize("kwargs, message", [
    (dict(paragraphs=0), "--paragraphs must be a positive integer"),
    (dict(paragraphs=5, stages=["warp"]), "unknown stage 'warp'"),
])
def test_benchmark_run_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        benchmark_run(**kwargs)


def test_stage_names_are_the_documented_ones():
    assert list(STAGES) == ["load_tokenise", "vectorise", "score", "score_all", "score_write", "score_parallel",
                            "topics_lda", "topics_nmf", "baseline_hashing", "baseline_naive", "reference_batch"]
    assert all(f"``{name}``" in benchmarks.__doc__ for name in STAGES)


def test_report_benchmark_reads_each_notebook_time_from_the_log(monkeypatch):
    from analysis.report import notebook_done
    from benchmarks import report

    calls = []

    def fake_run(cmd, **kwargs):
        calls.append(cmd)
        log = (f"04-topics: started (1/7; 0 s in; running: 04-topics)\n{notebook_done('04-topics', 16.42)} (1/7; 17 s in; "
               f"running: 06-validation)\n{notebook_done('01-corpus', 2.71)} (2/7; 20 s in; running: none)\n"
               "results/MANIFEST.json: provenance stamp\n")
        return subprocess.CompletedProcess(cmd, 0, stdout="report written to out/index.html\n", stderr=log)

    monkeypatch.setattr(report.subprocess, "run", fake_run)
    records = report.report_times(run=2)
    assert calls[0][1:5] == ["-m", "analysis", "report", "--out"]
    assert [(r["notebook"], r["seconds"]) for r in records[:2]] == [("01-corpus", 2.7), ("04-topics", 16.4)]
    assert records[-1]["notebook"] == "all" and records[-1]["run"] == 2 and records[-1]["seconds"] >= 0


def test_report_benchmark_refuses_a_log_without_notebook_times(monkeypatch):
    from benchmarks import report

    monkeypatch.setattr(report.subprocess, "run",
                        lambda cmd, **kw: subprocess.CompletedProcess(cmd, 0, stdout="01-corpus: done in 2.7 s\n",
                                                                      stderr="something else\n"))
    with pytest.raises(RuntimeError, match="names no finished notebook"):
        report.report_times()


def test_report_benchmark_names_a_failed_report(monkeypatch):
    from benchmarks import report

    monkeypatch.setattr(report.subprocess, "run",
                        lambda cmd, **kw: subprocess.CompletedProcess(cmd, 1, stdout="", stderr="cell 3 raised"))
    with pytest.raises(RuntimeError, match="cell 3 raised"):
        report.report_times()


def test_report_command_rejects_a_missing_workdir(capsys):
    from benchmarks import report

    code = report.main(["--repeat", "1", "--workdir", "no/such/folder"])
    captured = capsys.readouterr()
    assert code == 2 and "--workdir no/such/folder is not a folder" in captured.err and captured.out == ""
