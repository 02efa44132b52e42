"""Tests for analysis.errors: one line per problem, ``path[:line]: problem — fix``."""
from __future__ import annotations

from pathlib import Path

import pytest

from analysis.cli import main
from analysis.errors import InputError, Problem

META = Problem("corpus/metadata.csv", "duplicate doc_id 'a'", "give each row its own id", line=3)
BOOK = Problem(Path("corpus") / "codebook.toml", "no seeds for 'deal'", "add a seed")


@pytest.mark.parametrize("problem, expected", [
    (META, "corpus/metadata.csv:3: duplicate doc_id 'a' — give each row its own id"),
    # no line: the path alone, then the colon
    (BOOK, "corpus/codebook.toml: no seeds for 'deal' — add a seed"),
    # line 0 is a line, not a missing one
    (Problem("f.csv", "p", "f", line=0), "f.csv:0: p — f"),
    # an option stands where a path would
    (Problem("--n", "must be at least 1", "pass a positive whole number"),
     "--n: must be at least 1 — pass a positive whole number"),
    # unicode and quotes pass through as written
    (Problem("t\u00e9xt.txt", "\u201cIran\u2019s\u201d", "fix", line=12),
     "t\u00e9xt.txt:12: \u201cIran\u2019s\u201d — fix"),
])
def test_problem_is_one_line(problem, expected):
    assert str(problem) == expected
    assert "\n" not in str(problem)


def test_problems_compare_by_value():
    assert META == Problem("corpus/metadata.csv", "duplicate doc_id 'a'", "give each row its own id", 3)
    assert META != Problem("corpus/metadata.csv", "duplicate doc_id 'a'", "give each row its own id", 4)


def test_input_error_of_one_problem():
    line = r"^corpus/metadata\.csv:3: duplicate doc_id 'a' — give each row its own id$"
    with pytest.raises(InputError, match=line):
        raise InputError(META)
    assert InputError(META).problems == [META]


@pytest.mark.parametrize("problems", [[META, BOOK], (META, BOOK), iter([META, BOOK])])
def test_input_error_prints_a_line_per_problem(problems):
    err = InputError(problems)
    assert err.problems == [META, BOOK]
    assert str(err).splitlines() == [str(META), str(BOOK)]


@pytest.mark.parametrize("problems", [[], (), iter([])])
def test_input_error_needs_a_problem(problems):
    # an error without a problem would stop a run and print nothing
    with pytest.raises(ValueError, match="needs at least one Problem"):
        InputError(problems)


def test_input_error_keeps_its_own_list():
    problems = [META]
    err = InputError(problems)
    problems.append(BOOK)
    assert err.problems == [META]


def test_input_error_is_a_value_error():
    # callers that catch ValueError for bad values also catch bad input
    with pytest.raises(ValueError, match="no seeds for 'deal'"):
        raise InputError(BOOK)


def test_command_line_prints_problems_without_traceback(tmp_path, capsys):
    out = tmp_path / "out"
    status = main(["score", str(tmp_path), "--out", str(out), "--jobs", "0"])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.err == "--jobs/--n-boot: must be at least 1 — pass a positive whole number\n"
    assert captured.out == ""
    assert not out.exists()
