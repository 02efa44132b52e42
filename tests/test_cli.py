"""The command line: exit codes, one line per problem, no traceback, nothing written."""
import json
import re
import subprocess
import sys

import pytest

from analysis import config, sources
from analysis.cli import main
from analysis.exemplars import corpus_exemplars
from commands import cli_process, cli_run
from corpus_factory import TOY_TEXTS, demo_copy, make_corpus


run = cli_run


def snapshot(root):
    return sorted((p.relative_to(root).as_posix(), p.stat().st_mtime_ns) for p in root.rglob("*"))


@pytest.mark.slow
def test_validate_study_corpus():
    result = cli_process("validate")  # the real `python -m analysis`
    assert result.returncode == 0, result.stderr
    assert "corpus is sound" in result.stdout


@pytest.mark.parametrize("texts, message", [
    ({**TOY_TEXTS, "alpha-2020": b"\xff\xfeT\x00"}, "not valid UTF-8 at byte offset 0"),
    ({**TOY_TEXTS, "alpha-2020": b"\xef\xbb\xbfHello"}, "byte-order mark"),
    ({**TOY_TEXTS, "alpha-2020": b"a\x00b"}, "NUL byte"),
    ({**TOY_TEXTS, "alpha-2020": b""}, "is empty"),
    ({**TOY_TEXTS, "alpha-2020": b" \n "}, "contains only whitespace"),
])
def test_validate_bad_text_exits_nonzero_without_traceback(tmp_path, texts, message):
    root = make_corpus(tmp_path / "c", texts=texts)
    before = snapshot(tmp_path)
    result = run("validate", str(root))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before


def test_validate_lists_one_line_per_problem(tmp_path):
    root = make_corpus(tmp_path / "c")
    (root / "metadata.csv").write_text("doc_id,file,headline,date\n"
                                       "alpha-2020,texts/alpha-2020.txt,H,2020-02-31\n"
                                       "alpha-2020,texts/beta-2021.txt,H,2020-01-01\n", encoding="utf-8")
    result = run("validate", str(root))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2
    assert any(":2: impossible date '2020-02-31'" in l for l in lines)
    assert any(":3: duplicate doc_id 'alpha-2020'" in l for l in lines)
    assert all(" — " in l for l in lines[:-1])


def test_validate_checks_the_corpus_exemplars(tmp_path):
    root = make_corpus(tmp_path / "c")
    (root / "exemplars").mkdir()
    row = ('{"exemplar_id": "x-1", "writer": "x", "brief": "b", "kind": "clear", "alliance": "transact", '
           '"force": "none", "text": "' + " ".join(["word"] * 50) + '"}\n')
    (root / "exemplars" / "x.jsonl").write_text(row, encoding="utf-8")
    before = snapshot(tmp_path)
    result = run("validate", str(root))
    assert result.returncode == 2
    assert "x.jsonl:1: alliance 'transact' is not a code of the codebook — use one of" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before


def test_validate_checks_the_corpus_annotations(tmp_path):
    root = make_corpus(tmp_path / "c")
    (root / "annotations").mkdir()
    (root / "annotations" / "pass_a.csv").write_text("unit_id,alliance,force,note\n"
                                                     "alpha-2020.p01,transactional,,x\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run("validate", str(root))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2
    assert any(l.endswith("pass_a.csv:2: field 'force' is empty — code the paragraph with one of deterrence, "
                          "credibility, mixed, none") for l in lines), lines
    assert any(l.endswith("pass_b.csv: the coding pass is missing — add it (a filled-in sheet of "
                          "`python -m analysis sample`, or columns unit_id, alliance, force) or remove the "
                          "annotations/ folder") for l in lines), lines
    assert any("reconciled.csv: the reconciled coding is missing" in l for l in lines), lines
    assert lines[-1].startswith("3 problem(s) found") and "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before


def test_validate_warns_about_a_large_text_and_still_passes(tmp_path, monkeypatch, capsys):
    root = make_corpus(tmp_path / "c")
    monkeypatch.setattr(sources, "LARGE_TEXT_BYTES", 10)
    before = snapshot(tmp_path)
    assert main(["validate", str(root)]) == 0
    captured = capsys.readouterr()
    assert "corpus is sound" in captured.out
    warnings = captured.err.splitlines()
    assert len(warnings) == len(TOY_TEXTS)
    assert all(re.fullmatch(r"warning: \S+\.txt: is 0\.0 MB, above the 0 MB beyond which one article may exhaust "
                            r"memory .* — if a run fails for want of memory, split it .*", w) for w in warnings), warnings
    assert snapshot(tmp_path) == before


def test_report_refuses_bad_corpus_and_writes_nothing(tmp_path):
    root = make_corpus(tmp_path / "c", texts={**TOY_TEXTS, "beta-2021": b""})
    result = run("report", "--corpus", str(root), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "is empty" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_unknown_command_is_a_usage_error():
    result = run("frobnicate")
    assert result.returncode == 2 and "invalid choice" in result.stderr


def empty_seeds(text, section):
    """``text`` with the seed list of ``section`` emptied."""
    head, tail = text.split(section, 1)
    start = tail.index("seeds = [")
    end = tail.index("]", start)
    return head + section + tail[:start] + "seeds = []" + tail[end + 1:]


def codebook_variant(tmp_path, edit):
    """A copy of the toy corpus with the study's codebook, edited by ``edit(text) -> text``."""
    root = make_corpus(tmp_path / "c")
    text = (config.CORPUS_DIR / "codebook.toml").read_text(encoding="utf-8")
    (root / "codebook.toml").write_text(edit(text), encoding="utf-8")
    return root


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace('problem = "Force is a matter of being believed', 'problem_x = "Force is a matter of being believed'),
     r"codebook\.toml.*credibility.*problem"),
    (lambda t: empty_seeds(t, "[contrasts.force.poles.credibility]"), r"codebook\.toml.*seeds"),
    (lambda t: t + "\n[broken\n", r"codebook\.toml.*(TOML|parse)"),
])
def test_validate_refuses_bad_codebook(tmp_path, edit, message):
    root = codebook_variant(tmp_path, edit)
    before = snapshot(tmp_path)
    result = run("validate", str(root))
    assert result.returncode == 2, result.stdout
    assert re.search(message, result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before


SCORE_CASES = [
    ({"a.txt": b"\xff\xfe"}, r"a\.txt:1: not valid UTF-8 at byte offset 0"),
    ({"a.txt": b"\xef\xbb\xbfText"}, r"a\.txt:1: starts with a UTF-8 byte-order mark"),
    ({"a.txt": b"Te\x00xt"}, r"a\.txt:1: contains a NUL byte"),
    ({"a.txt": b""}, r"a\.txt: is empty"),
    ({"a.txt": b"\n \n"}, r"a\.txt: contains only whitespace"),
    ({"notes.md": b"not a text file"}, r"no \.txt"),
]


@pytest.mark.parametrize("files, message", SCORE_CASES)
def test_score_refuses_bad_input_without_writing(tmp_path, files, message):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "good.txt").write_bytes(b"A marriage of convenience.\n") if "notes.md" not in files else None
    for name, data in files.items():
        (src / name).write_bytes(data)
    result = run("score", str(src), "--out", str(out))
    assert result.returncode == 2
    assert re.search(message, result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_score_refuses_unreadable_file(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "good.txt").write_bytes(b"A marriage of convenience.\n")
    (src / "gone.txt").symlink_to(tmp_path / "does-not-exist.txt")
    result = run("score", str(src), "--out", str(out))
    assert result.returncode == 2
    assert "gone.txt" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_score_writes_both_tables(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "doc-a.txt").write_bytes(b"A marriage of convenience.\n\nThey want to show strength.\n")
    result = run("score", str(src), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["doc_scores.csv", "scorer.json", "unit_scores.csv"]
    record = json.loads((out / "scorer.json").read_text(encoding="utf-8"))
    assert record["corpus"] == "corpus" and record["retrained"] is False
    assert record["exemplars"]["count"] == len(corpus_exemplars())


def test_report_refuses_unknown_notebook_and_writes_nothing(tmp_path):
    result = run("report", "--only", "99-nope", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "--only: no notebook is named '99-nope' — use one of 01-corpus" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_score_tables_follow_the_umask(tmp_path):
    texts = tmp_path / "in"
    texts.mkdir()
    (texts / "a.txt").write_text("Iran and Russia signed a deal in exchange for drones.\n", encoding="utf-8")
    result = subprocess.run(["sh", "-c", f'umask 022 && "{sys.executable}" -m analysis score "{texts}" '
                             f'--out "{tmp_path / "out"}"'], capture_output=True, text=True, cwd=config.ROOT,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    assert {oct(p.stat().st_mode & 0o777) for p in (tmp_path / "out").iterdir()} == {"0o644"}


@pytest.mark.parametrize("edit, message", [
    (lambda t: t + "\n[broken\n", r"codebook\.toml.*(TOML|parse)"),
    (lambda t: empty_seeds(t, "[contrasts.force.poles.credibility]"), r"codebook\.toml.*seeds"),
])
def test_report_checks_the_codebook_before_running(tmp_path, edit, message):
    root = codebook_variant(tmp_path, edit)
    before = snapshot(tmp_path)
    result = run("report", "--corpus", str(root), "--out", str(tmp_path / "out"))
    assert result.returncode == 2, result.stderr
    assert re.search(message, result.stderr), result.stderr
    assert "Traceback" not in result.stderr and "started" not in result.stderr
    assert snapshot(tmp_path) == before


def test_report_checks_the_exemplars_before_running(tmp_path):
    root = make_corpus(tmp_path / "c")
    (root / "exemplars").mkdir()
    (root / "exemplars" / "x.jsonl").write_text('{"exemplar_id": "x-1"}\n', encoding="utf-8")
    result = run("report", "--corpus", str(root), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "x.jsonl:1:" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_report_on_another_corpus_needs_out(tmp_path):
    root = make_corpus(tmp_path / "c")
    before = snapshot(config.ROOT / "results")
    result = run("report", "--corpus", str(root))
    assert result.returncode == 2
    assert re.search(r"^--corpus: .*would overwrite the study's committed results — pass --out DIR",
                     result.stderr), result.stderr
    assert snapshot(config.ROOT / "results") == before
    assert not list(config.ROOT.glob(".report-staging-*"))


def test_report_refuses_out_that_is_a_file(tmp_path):
    (tmp_path / "taken").write_text("x")
    result = run("report", "--out", str(tmp_path / "taken"))
    assert result.returncode == 2
    assert f"{tmp_path / 'taken'}: --out is a file — give a folder" in result.stderr
    assert (tmp_path / "taken").read_text() == "x"


@pytest.mark.parametrize("args, message", [
    (["-p", "topic_kk=6"], r"-p: no notebook run declares a parameter 'topic_kk' — use one of claims, progress"),
    (["-p", "topic_k"], r"-p: 'topic_k' is not name=value — write -p name=value"),
    (["-p", "out_dir=x"], r"-p: out_dir is set by --out — use --out instead"),
])
def test_report_refuses_bad_parameters_and_writes_nothing(tmp_path, args, message):
    result = run("report", "--out", str(tmp_path / "out"), *args)
    assert result.returncode == 2
    assert re.search(message, result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_report_help_explains_parameters():
    result = run("report", "--help")
    assert result.returncode == 0
    assert "-p NAME=VALUE" in result.stdout and "Python literal" in result.stdout
    assert "otherwise taken as a string" in " ".join(result.stdout.split())


@pytest.fixture
def texts(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(b"Iran and Russia signed a deal in exchange for drones.\n")
    return src


def test_score_for_a_corpus_retrained_on_its_hand_codes(tmp_path, texts):
    corpus, out = demo_copy(tmp_path / "demo"), tmp_path / "out"
    result = run("score", str(texts), "--corpus", str(corpus), "--retrain", "--out", str(out), "--n-boot", "20")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["doc_scores.csv", "scorer.json", "unit_scores.csv"]
    record = json.loads((out / "scorer.json").read_text(encoding="utf-8"))
    assert record["corpus"] == str(corpus.resolve())
    assert (record["retrained"], record["coded_paragraphs"]) == (True, 18)
    assert record["exemplars"] == {"count": 180, "writers": ["w1", "w2", "w3"]}


@pytest.mark.parametrize("corpus_args, message", [
    (["--corpus", "{bare}"], r"bare/annotations: is missing: --retrain trains on the corpus' reconciled hand codes "
                             r"— code a sample by hand"),
    ([], r"--retrain: the study's measures never train on the study's own hand coding — pass --corpus DIR"),
])
def test_score_retrain_without_hand_codes_is_refused(tmp_path, texts, corpus_args, message):
    bare = demo_copy(tmp_path / "bare", annotations=False)
    before = snapshot(tmp_path)
    args = [a.format(bare=bare) for a in corpus_args]
    result = run("score", str(texts), *args, "--retrain", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert re.search(message, result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before


def test_score_checks_the_corpus_first(tmp_path, texts):
    corpus = demo_copy(tmp_path / "demo")
    (corpus / "annotations" / "reconciled.csv").write_text(
        "unit_id,alliance,force,alliance_reason,force_reason\nnope.p01,none,none,agreed,agreed\n", encoding="utf-8")
    (texts / "empty.txt").write_bytes(b"")  # a bad text too: the corpus is reported, before the texts
    before = snapshot(tmp_path)
    result = run("score", str(texts), "--corpus", str(corpus), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "reconciled.csv" in result.stderr and "nope.p01" in result.stderr
    assert "empty.txt" not in result.stderr and "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before
