"""The command line: exit codes, one line per problem, no traceback, nothing written."""
import subprocess
import sys

import pytest

from analysis import config
from corpus_factory import TOY_TEXTS, make_corpus


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True,
                          cwd=cwd or config.ROOT, timeout=600)


def snapshot(root):
    return sorted((p.relative_to(root).as_posix(), p.stat().st_mtime_ns) for p in root.rglob("*"))


def test_validate_study_corpus():
    result = run("validate")
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


def test_report_refuses_bad_corpus_and_writes_nothing(tmp_path):
    root = make_corpus(tmp_path / "c", texts={**TOY_TEXTS, "beta-2021": b""})
    result = run("report", "--corpus", str(root), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "is empty" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_unknown_command_is_a_usage_error():
    result = run("frobnicate")
    assert result.returncode == 2 and "invalid choice" in result.stderr
