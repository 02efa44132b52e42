"""Tests for analysis.sampling: the allocation rules by hand, the stratified draw on a toy
score table, determinism and coders, exclusion, the sheet's columns, and the command line."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.annotations import annotations_check
from analysis.codebook import load_codebook
from analysis.frames import FrameScorer
from analysis.errors import InputError
from analysis.sampling import (UNCERTAIN_SHARE, article_allocation, coding_sheet, counts_apportion, sample_draw,
                               sheet_columns, sheet_order, sheet_read, sheet_write, unit_margin, unit_predicted,
                               unit_strata)
from commands import cli_run
from corpus_factory import TOY_METADATA, make_corpus
from toys import toy_codebook

CB = load_codebook()

# Three articles of our own writing: 6, 4 and 2 body paragraphs.
SAMPLE_TEXTS = {
    "alpha-2020": "Alpha Headline\n"
                  "The pact is a marriage of convenience, a deal struck for cash.\n"
                  "Both sides want the deal to pay; neither trusts the other.\n"
                  "A shared ideology of resistance binds the bloc.\n"
                  "Their shared values outlast any single bargain.\n"
                  "Strikes were meant to deter an attack and prevent escalation.\n"
                  "The weather was mild on the day of the meeting.\n",
    "beta-2021": "Beta Headline\n"
                 "The launch was meant to show resolve and restore credibility.\n"
                 "Officials met in the capital on Monday.\n"
                 "Trade between the two grew last year.\n"
                 "A deal on oil prices was signed.\n",
    "gamma-2022": "Gamma Headline\n"
                  "The parade showed credibility to audiences at home.\n"
                  "Talks will resume next month.\n",
}
SAMPLE_METADATA = [*TOY_METADATA,
                   {"doc_id": "gamma-2022", "file": "texts/gamma-2022.txt", "headline": "Gamma Headline",
                    "headline_basis": "stated: line 1", "date": "2022-03-01", "date_basis": "inferred: events",
                    "genre": "analysis", "genre_basis": "inferred: tone"}]
FURNITURE = "rule_id,doc_id,pattern,role,note\nheadline,*,(?:Alpha|Beta|Gamma) Headline,headline,\n"
N_UNITS = 12


def sample_corpus(root):
    return make_corpus(root, texts=SAMPLE_TEXTS, metadata=SAMPLE_METADATA, furniture=FURNITURE)


@pytest.fixture(scope="module")
def corpus_and_scorer(tmp_path_factory):
    """The toy corpus and measures fitted on it without exemplars (fast; the command fits the study's)."""
    from analysis.corpus import load_corpus

    root = sample_corpus(tmp_path_factory.mktemp("sample") / "c")
    texts = load_corpus(root).paragraphs["text"].tolist()
    return root, FrameScorer(CB, n_components=2, context="paragraph").fit(texts)


run = cli_run


def snapshot(root):
    return sorted((p.relative_to(root).as_posix(), p.stat().st_mtime_ns) for p in root.rglob("*"))


# -- allocation ------------------------------------------------------------------------------

def test_counts_apportion_by_hand():
    # quotas 7 * (5, 3, 2) / 10 = 3.5, 2.1, 1.4: whole parts 3, 2, 1; the one left goes to a (.5)
    assert counts_apportion(7, {"a": 5, "b": 3, "c": 2}) == {"a": 4, "b": 2, "c": 1}
    # equal remainders: the key first in sorted order wins
    assert counts_apportion(1, {"z": 2, "y": 2}) == {"y": 1, "z": 0}
    assert counts_apportion(0, {"a": 0}) == {"a": 0}


@pytest.mark.parametrize("total", range(0, 16))
def test_counts_apportion_sums_and_respects_capacity(total):
    caps = {"a": 1, "b": 9, "c": 2, "d": 3}
    shares = counts_apportion(total, caps)
    assert sum(shares.values()) == total
    assert all(0 <= shares[k] <= caps[k] for k in caps)


def test_counts_apportion_refuses_too_much():
    with pytest.raises(ValueError, match="total must lie between 0 and 3"):
        counts_apportion(4, {"a": 1, "b": 2})


def test_article_allocation_gives_one_each_then_proportional():
    # one each, then 5 by (9, 3, 0): 3.75, 1.25, 0 -> 3, 1, 0 and the one left to a (.75)
    assert article_allocation(8, {"a": 10, "b": 4, "c": 1}) == {"a": 5, "b": 2, "c": 1}
    # fewer than the articles: proportional to the sizes, 2 * (10, 4, 1) / 15 = 1.33, .53, .13
    assert article_allocation(2, {"a": 10, "b": 4, "c": 1}) == {"a": 1, "b": 1, "c": 0}
    # an article with nothing left gets nothing, and does not count towards "one each"
    assert article_allocation(2, {"a": 3, "b": 0, "c": 1}) == {"a": 1, "b": 0, "c": 1}


@pytest.mark.parametrize("n", range(1, 16))
def test_article_allocation_sums_and_fits(n):
    sizes = {"a": 10, "b": 4, "c": 1}
    shares = article_allocation(n, sizes)
    assert sum(shares.values()) == n
    assert all(shares[k] <= sizes[k] for k in sizes)
    if n >= 3:
        assert min(shares.values()) >= 1


# -- the draw on a toy score table -----------------------------------------------------------

def score_table():
    """Scores shaped like the scorer's: a salience above 0.5 (the supervised rule) is framed."""
    rows = [  # unit, article, alliance index, alliance salience, force index, force salience
        ("a1", "a", -1.0, 0.9, 0.0, 0.1),   # transactional, margin 1.0
        ("a2", "a", -2.0, 0.9, 0.0, 0.1),   # transactional, margin 2.0
        ("a3", "a", 1.5, 0.9, 0.0, 0.1),    # ideological, margin 1.5
        ("a4", "a", 3.0, 0.9, 0.0, 0.1),    # ideological, margin 3.0
        ("a5", "a", 0.0, 0.1, -0.05, 0.9),  # deterrence, margin 0.05
        ("a6", "a", 0.2, 0.1, 0.1, 0.1),    # none
        ("a7", "a", -0.2, 0.1, 0.1, 0.1),   # none
        ("a8", "a", 0.01, 0.1, 0.1, 0.1),   # none (a tiny index does not count when unframed)
        ("b1", "b", 0.1, 0.9, 0.0, 0.1),    # ideological, margin 0.1
        ("b2", "b", 0.0, 0.1, 0.0, 0.1),    # none
        ("b3", "b", 0.0, 0.1, 0.0, 0.1),    # none
        ("b4", "b", 0.0, 0.1, 0.0, 0.1),    # none
        ("c1", "c", 0.0, 0.1, 0.0, 0.1),    # none
        ("c2", "c", 0.0, 0.1, 0.0, 0.1),    # none
    ]
    t = pd.DataFrame(rows, columns=["unit_id", "doc_id", "alliance_index", "alliance_salience",
                                    "force_index", "force_salience"])
    return t.assign(sup_alliance_salience=t["alliance_salience"], sup_force_salience=t["force_salience"])


def test_predicted_strata_and_margins_of_the_toy_table():
    units = score_table()
    predicted = unit_predicted(units, CB)
    strata = dict(zip(units["unit_id"], unit_strata(predicted, CB)))
    assert strata["a1"] == ("alliance:transactional",) and strata["a5"] == ("force:deterrence",)
    assert strata["b1"] == ("alliance:ideological",) and strata["a8"] == ("none",)
    margin = dict(zip(units["unit_id"], unit_margin(units, predicted, CB)))
    assert margin["a5"] == 0.05 and margin["a3"] == 1.5 and np.isnan(margin["a8"])


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 20240131])
def test_stratified_draw_by_hand(seed):
    # n = 8 over articles of 8, 4, 2: one each, then 5 by (7, 3, 1) / 11 = 3.18, 1.36, .45
    # -> 3, 1, 0 and the one left to c (.45): a 4, b 2, c 2.
    # Least sure: floor(8 * 0.25) = 2, by capacity min(allocation, framed units) = a 4, b 1, c 0:
    # 2 * (4, 1) / 5 = 1.6, .4 -> 1, 0 and the one left to a: a's two smallest margins, a5 and a1.
    # Strata in turn from alliance:transactional: a2 (a1 taken), then one of a3/a4; b continues the
    # turn at alliance:mixed, finds only 'none' (one of b2-b4) and then alliance:ideological (b1).
    assert UNCERTAIN_SHARE == 0.25
    drawn = sample_draw(score_table(), CB, 8, seed=seed)
    assert len(drawn) == 8
    assert {"a5", "a1", "a2", "b1", "c1", "c2"} <= set(drawn)
    assert len(set(drawn) & {"a3", "a4"}) == 1
    assert len(set(drawn) & {"b2", "b3", "b4"}) == 1
    assert drawn == sorted(drawn)  # in the order of the table


def test_draw_is_deterministic_and_seed_dependent():
    units = score_table()
    draws = {seed: tuple(sample_draw(units, CB, 8, seed=seed)) for seed in range(12)}
    assert all(tuple(sample_draw(units, CB, 8, seed=seed)) == d for seed, d in draws.items())
    assert len(set(draws.values())) > 1


def test_draw_never_takes_excluded_units():
    units = score_table()
    excluded = ["a1", "a5", "b1", "c1"]
    for seed in range(5):
        drawn = sample_draw(units, CB, 10, seed=seed, exclude=excluded)
        assert len(drawn) == 10 and not set(drawn) & set(excluded)
    # everything left is drawn when n is all that is left
    assert sample_draw(units, CB, 10, exclude=excluded) == [u for u in units["unit_id"] if u not in excluded]
    with pytest.raises(ValueError, match="between 1 and the 10 units available"):
        sample_draw(units, CB, 11, exclude=excluded)


def test_least_sure_units_come_first():
    # one article; a4 made the least sure (margin .01, below a5's .05). With n = 3 no unit is
    # drawn for its margin (floor(3 * .25) = 0) and a4 is drawn only when the ideological turn
    # picks it over a3; with n = 4 one is (floor(4 * .25) = 1), and it is a4 whatever the seed.
    units = score_table()
    one = units[units["doc_id"] == "a"]
    closer = one.assign(alliance_index=one["alliance_index"].where(one["unit_id"] != "a4", 0.01))
    assert not all("a4" in sample_draw(closer, CB, 3, seed=seed) for seed in range(10))
    assert all("a4" in sample_draw(closer, CB, 4, seed=seed) for seed in range(10))


# -- order per coder and the sheet -----------------------------------------------------------

@pytest.mark.slow
def test_coders_get_the_same_units_in_their_own_order():
    ids = [f"u{i:02d}" for i in range(20)]
    ann, bo = sheet_order(ids, 7, "ann"), sheet_order(ids, 7, "bo")
    assert sorted(ann) == sorted(bo) == ids
    assert ann != bo
    assert sheet_order(ids[::-1], 7, "ann") == ann  # the order handed in does not matter
    assert sheet_order(ids, 8, "ann") != ann
    # a stable hash: the same order in every process (Python's str hash is salted per process)
    code = "from analysis.sampling import sheet_order; print(sheet_order([f'u{i:02d}' for i in range(20)], 7, 'ann'))"
    out = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=config.ROOT,
                          env={"PYTHONHASHSEED": str(h), "PATH": ""}).stdout for h in (1, 2)]
    assert out[0] == out[1] == f"{ann}\n"


def test_sheet_has_exactly_the_columns_and_no_score():
    paragraphs = pd.DataFrame({"doc_id": ["a", "a"], "unit_id": ["a.p1", "a.p2"], "text": ["One.", "Two."],
                               "line": [1, 2], "alliance_index": [0.5, -0.5]})
    sheet = coding_sheet(paragraphs, ["a.p2", "a.p1"], CB)
    assert sheet.columns.tolist() == ["unit_id", "doc_id", "text", "alliance", "force", "note"]
    assert sheet["unit_id"].tolist() == ["a.p2", "a.p1"]
    assert (sheet[["alliance", "force", "note"]] == "").all().all()


def test_sheet_columns_follow_the_codebook(tmp_path):
    assert sheet_columns(toy_codebook(tmp_path, contrasts=("force",))) == ["unit_id", "doc_id", "text", "force",
                                                                           "note"]


# -- writing the sheet -----------------------------------------------------------------------

def test_sheet_write_same_seed_same_bytes(tmp_path, corpus_and_scorer):
    root, scorer = corpus_and_scorer
    for name in ("one.csv", "two.csv"):
        sheet_write(root, tmp_path / name, 6, seed=3, coder="ann", scorer=scorer)
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()
    text = (tmp_path / "one.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "unit_id,doc_id,text,alliance,force,note"
    assert len(text.splitlines()) == 7 and "\r" not in text


def test_sheet_write_coders_and_strata(tmp_path, corpus_and_scorer):
    root, scorer = corpus_and_scorer
    ann = sheet_write(root, tmp_path / "ann.csv", 9, seed=3, coder="ann", scorer=scorer)
    bo = sheet_write(root, tmp_path / "bo.csv", 9, seed=3, coder="bo", scorer=scorer)
    assert set(ann["unit_id"]) == set(bo["unit_id"])
    assert ann["unit_id"].tolist() != bo["unit_id"].tolist()
    # 9 of 6 + 4 + 2 paragraphs: one each, then 6 by (5, 3, 1) / 9 -> 3.33, 2, .67 -> 3, 2, 0 + 1 to gamma
    assert ann["doc_id"].value_counts().to_dict() == {"alpha-2020": 4, "beta-2021": 3, "gamma-2022": 2}
    written = pd.read_csv(tmp_path / "ann.csv", dtype=str, keep_default_na=False)
    assert written.columns.tolist() == ["unit_id", "doc_id", "text", "alliance", "force", "note"]
    assert (written[["alliance", "force", "note"]] == "").all().all()
    assert written["unit_id"].tolist() == ann["unit_id"].tolist()


def test_sheet_write_excludes_earlier_sheets(tmp_path, corpus_and_scorer):
    root, scorer = corpus_and_scorer
    first = sheet_write(root, tmp_path / "first.csv", 5, scorer=scorer)
    second = sheet_write(root, tmp_path / "second.csv", N_UNITS - 5, exclude=[tmp_path / "first.csv"],
                         scorer=scorer)
    assert not set(first["unit_id"]) & set(second["unit_id"])
    assert len(set(first["unit_id"]) | set(second["unit_id"])) == N_UNITS


def test_an_exclude_file_saved_with_a_byte_order_mark_is_read(tmp_path, corpus_and_scorer):
    # spreadsheets save CSV with a BOM, and annotations/ accepts one: so does --exclude
    root, scorer = corpus_and_scorer
    first = sheet_write(root, tmp_path / "first.csv", 5, scorer=scorer)
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf" + (tmp_path / "first.csv").read_bytes())
    second = sheet_write(root, tmp_path / "second.csv", N_UNITS - 5, exclude=[tmp_path / "bom.csv"], scorer=scorer)
    assert not set(first["unit_id"]) & set(second["unit_id"])
    assert len(set(first["unit_id"]) | set(second["unit_id"])) == N_UNITS


# paragraphs a spreadsheet would run as formulas, and one that starts with the mark itself
FORMULA_TEXTS = {
    "alpha-2020": "Alpha Headline\n"
                  "=HYPERLINK(\"http://example.invalid\",\"a deal struck for cash\")\n"
                  "+1 for the bargain, said one official.\n"
                  "-5% in trade did not end the marriage of convenience.\n"
                  "@resistance posts spoke of a shared ideology.\n"
                  "'Tis a deal, no more.\n"
                  "Strikes were meant to deter an attack.\n",
    "beta-2021": "Beta Headline\nThe launch was meant to show resolve.\nTrade grew last year.\n",
}


def test_formula_cells_are_neutralised_and_read_back_as_written(tmp_path):
    from analysis.corpus import load_corpus

    root = make_corpus(tmp_path / "c", texts=FORMULA_TEXTS, furniture=FURNITURE)
    paragraphs = load_corpus(root).paragraphs
    scorer = FrameScorer(CB, n_components=2, context="paragraph").fit(paragraphs["text"].tolist())
    folder = root / "annotations"
    folder.mkdir()
    sheet = sheet_write(root, folder / "pass_a.csv", len(paragraphs), scorer=scorer)
    original = dict(zip(paragraphs["unit_id"], paragraphs["text"]))
    assert dict(zip(sheet["unit_id"], sheet["text"])) == original  # what the function returns is the corpus' text
    raw = pd.read_csv(folder / "pass_a.csv", dtype=str, keep_default_na=False)
    cells = dict(zip(raw["unit_id"], raw["text"]))
    for uid, text in original.items():
        risky = text[0] in "=+-@'"
        assert cells[uid] == ("'" + text if risky else text), uid
    assert sum(text[0] in "=+-@'" for text in original.values()) == 5
    # filled in (as a spreadsheet would save it: BOM, CRLF), it is a valid pass file and gives back the text
    filled = raw.assign(alliance="none", force="none")
    (folder / "pass_a.csv").write_bytes(b"\xef\xbb\xbf" + filled.to_csv(index=False, lineterminator="\r\n").encode())
    back = sheet_read(folder / "pass_a.csv", CB, paragraphs["unit_id"])
    assert dict(zip(back["unit_id"], back["text"])) == original
    assert back["alliance"].tolist() == ["none"] * len(paragraphs)


def test_a_sheet_read_back_is_checked_as_a_pass(tmp_path, corpus_and_scorer):
    root, scorer = corpus_and_scorer
    sheet_write(root, tmp_path / "s.csv", 3, scorer=scorer)
    with pytest.raises(InputError, match=r"s\.csv:2: field 'alliance' is empty — code the paragraph"):
        sheet_read(tmp_path / "s.csv", CB)


def test_filled_sheet_is_a_pass_file(tmp_path, corpus_and_scorer):
    root, scorer = corpus_and_scorer
    corpus = tmp_path / "c"
    shutil.copytree(root, corpus)
    folder = corpus / "annotations"
    folder.mkdir()
    sheet = sheet_write(corpus, folder / "pass_a.csv", 5, coder="ann", scorer=scorer)
    assert annotations_check(corpus)[0].problem == "the coding pass is missing"  # pass_b, reconciled to come
    sheet_write(corpus, folder / "pass_b.csv", 5, coder="bo", scorer=scorer)
    for name, code in (("pass_a.csv", "none"), ("pass_b.csv", "mixed")):
        filled = pd.read_csv(folder / name, dtype=str, keep_default_na=False).assign(alliance=code, force="none",
                                                                                     note="read")
        filled.to_csv(folder / name, index=False)
    reconciled = sheet[["unit_id"]].assign(alliance="mixed", force="none", alliance_reason="both poles",
                                           force_reason="agreed")
    reconciled.to_csv(folder / "reconciled.csv", index=False)
    assert annotations_check(corpus) == []


# -- the command line ------------------------------------------------------------------------

ERROR_CASES = [
    (["--n", "0"], r"^--n: asks for 0 paragraphs — pass a whole number of at least 1$"),
    (["--n", "13"], r"^--n: asks for 13 paragraphs but 12 of the corpus' 12 are left after exclusion — pass "
                    r"--n 12 or less"),
    (["--n", "2", "--seed", "-1"], r"^--seed: is negative \(-1\)"),
    (["--n", "2", "--out", "{tmp}/existing.csv"], r"existing\.csv: already exists — choose another file name"),
    (["--n", "2", "--out", "{tmp}/nowhere/s.csv"], r"nowhere: folder not found — create it first"),
    (["--n", "2", "--exclude", "{tmp}/missing.csv"], r"missing\.csv: --exclude file not found"),
    (["--n", "2", "--exclude", "{tmp}/latin1.csv"], r"latin1\.csv:2: not valid UTF-8 at byte offset"),
    (["--n", "2", "--exclude", "{tmp}/no-id.csv"], r"no-id\.csv:1: header lacks column\(s\) unit_id"),
    (["--n", "2", "--exclude", "{tmp}/unknown.csv"], r"unknown\.csv:3: unit_id 'zeta-2020\.p01' is not a paragraph "
                                                     r"of the corpus — exclude only sheets or coding files"),
    (["--n", "11", "--exclude", "{tmp}/two.csv"], r"--n: asks for 11 paragraphs but 10 of the corpus' 12 are left"),
]


@pytest.mark.parametrize("extra, message", ERROR_CASES)
def test_sample_refuses_bad_input_without_writing(tmp_path, extra, message):
    corpus = sample_corpus(tmp_path / "c")
    (tmp_path / "existing.csv").write_text("keep me\n", encoding="utf-8")
    (tmp_path / "latin1.csv").write_bytes(b"unit_id\ncaf\xe9\n")
    (tmp_path / "no-id.csv").write_text("id\nalpha-2020.p01\n", encoding="utf-8")
    (tmp_path / "unknown.csv").write_text("unit_id,note\nalpha-2020.p01,x\nzeta-2020.p01,y\n", encoding="utf-8")
    (tmp_path / "two.csv").write_text("unit_id\nalpha-2020.p01\nbeta-2021.p02\n", encoding="utf-8")
    args = [a.format(tmp=tmp_path) for a in extra]
    if "--out" not in args:
        args += ["--out", str(tmp_path / "sheet.csv")]
    before = snapshot(tmp_path)
    result = run("sample", str(corpus), *args)
    assert result.returncode == 2, result.stderr
    assert re.search(message, result.stderr, flags=re.M), result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert snapshot(tmp_path) == before
    assert (tmp_path / "existing.csv").read_text(encoding="utf-8") == "keep me\n"


def test_sample_refuses_unsound_corpus(tmp_path):
    corpus = make_corpus(tmp_path / "c", texts={**SAMPLE_TEXTS, "beta-2021": b""}, metadata=SAMPLE_METADATA,
                         furniture=FURNITURE)
    before = snapshot(tmp_path)
    result = run("sample", str(corpus), "--n", "2", "--out", str(tmp_path / "sheet.csv"))
    assert result.returncode == 2
    assert "beta-2021.txt: is empty" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before


def test_sample_command_writes_a_sheet_that_validates_once_coded(tmp_path):
    """The whole path with the study's fitted measures: sheet, codes filled in, validate."""
    corpus = sample_corpus(tmp_path / "c")
    folder = corpus / "annotations"
    folder.mkdir()
    result = run("sample", str(corpus), "--n", "4", "--out", str(folder / "pass_a.csv"), "--coder", "ann")
    assert result.returncode == 0, result.stderr
    assert "pass_a.csv: 4 paragraphs from 3 articles" in result.stdout
    assert "alliance: transactional, ideological, mixed, none" in result.stdout
    sheet = pd.read_csv(folder / "pass_a.csv", dtype=str, keep_default_na=False)
    assert sheet.columns.tolist() == ["unit_id", "doc_id", "text", "alliance", "force", "note"]
    assert (sheet[["alliance", "force", "note"]] == "").all().all()
    result = run("validate", str(corpus))
    assert result.returncode == 2
    assert re.search(r"pass_a\.csv:2: field 'alliance' is empty — code the paragraph with one of", result.stderr)
    filled = sheet.assign(alliance="none", force="none")
    for name in ("pass_a.csv", "pass_b.csv"):
        filled.to_csv(folder / name, index=False)
    filled[["unit_id", "alliance", "force"]].assign(alliance_reason="agreed", force_reason="agreed").to_csv(
        folder / "reconciled.csv", index=False)
    result = run("validate", str(corpus))
    assert result.returncode == 0, result.stderr
