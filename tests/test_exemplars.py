"""Tests for analysis.exemplars: the committed training set, and every check on bad files."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.codebook import load_codebook
from analysis.errors import InputError
from analysis.exemplars import corpus_exemplars, exemplar_counts, load_exemplars, word_runs

WORDS = ("Tehran and Moscow trade drones for cash while each side keeps a careful eye on the exit, "
         "officials in both capitals say privately, and neither pretends the arrangement rests on anything "
         "deeper than what each can extract from the other this year.")


def row(i=1, **kw):
    base = dict(exemplar_id=f"t-{i:04d}", writer="t", brief="b", text=WORDS + f" Item {i}.", alliance="transactional",
                force="none", kind="clear", note="n")
    return {**base, **kw}


def write(tmp_path, rows, name="t.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_committed_exemplars_meet_the_design():
    cb = load_codebook()
    ex = corpus_exemplars()
    assert len(ex) >= 1200
    assert ex["writer"].nunique() >= 6
    counts = exemplar_counts(ex, cb).set_index(["contrast", "code"])["all"]
    for c, con in cb.contrasts.items():
        for code in (con.negative.name, con.positive.name, "none"):
            assert counts[(c, code)] >= 150, (c, code)
        assert counts[(c, "mixed")] > 0
    both = (ex["alliance"] != "none") & (ex["force"] != "none")
    assert both.sum() >= 150
    for kind in ("rejected", "attributed", "negated", "hedged", "false_friend"):
        assert (ex["kind"] == kind).sum() >= 60, kind


def test_good_file_loads(tmp_path):
    write(tmp_path, [row(1), row(2, alliance="ideological")])
    ex = load_exemplars(tmp_path, sources={})
    assert ex["exemplar_id"].tolist() == ["t-0001", "t-0002"]
    assert ex["line"].tolist() == [1, 2]


def test_csv_file_loads(tmp_path):
    import csv
    with open(tmp_path / "t.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(row()))
        w.writeheader()
        w.writerow(row(1))
    assert len(load_exemplars(tmp_path, sources={})) == 1


@pytest.mark.parametrize("bad, message", [
    (dict(alliance="transactionnal"), r"t\.jsonl:2: alliance 'transactionnal' is not a code of the codebook"),
    (dict(kind="easy"), r"t\.jsonl:2: kind 'easy' is unknown"),
    (dict(text="Too short to train on."), r"t\.jsonl:2: text has 5 words — write 40–120 words"),
    (dict(writer=""), r"t\.jsonl:2: field 'writer' is missing or empty"),
    (dict(exemplar_id="t-0001", text=WORDS + " Other."), r"t\.jsonl:2: exemplar_id 't-0001' also at t\.jsonl:1"),
    (dict(text=WORDS + " Item 1."), r"t\.jsonl:2: text repeats t\.jsonl:1"),
])
def test_bad_rows_are_named(tmp_path, bad, message):
    write(tmp_path, [row(1), row(2, **bad)])
    with pytest.raises(InputError, match=message):
        load_exemplars(tmp_path, sources={})


def test_not_json_is_named(tmp_path):
    (tmp_path / "t.jsonl").write_text(json.dumps(row(1)) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"t\.jsonl:2: is not JSON"):
        load_exemplars(tmp_path, sources={})


def test_shared_run_with_a_source_is_refused(tmp_path):
    write(tmp_path, [row(1)])
    source = "In other news: and neither pretends the arrangement rests on anything deeper, they said."
    with pytest.raises(InputError, match=r"t\.jsonl:1: shares the words 'and neither pretends the arrangement rests on "
                                         r"anything' with src\.txt"):
        load_exemplars(tmp_path, sources={"src.txt": source})


def test_committed_exemplars_share_no_run_with_the_study_sources():
    ex = corpus_exemplars()  # raises if any exemplar shares an 8-word run with a source
    assert not any(word_runs(t) & word_runs("") for t in ex["text"].head(3))


def test_empty_folder_is_named(tmp_path):
    with pytest.raises(InputError, match="holds no"):
        load_exemplars(tmp_path, sources={})


def test_all_problems_reported_at_once(tmp_path):
    write(tmp_path, [row(1, kind="x"), row(2, force="y")])
    with pytest.raises(InputError) as err:
        load_exemplars(tmp_path, sources={})
    assert len(err.value.problems) == 2


def test_writers_table_joins_rounds(tmp_path):
    write(tmp_path, [row(1), row(2, writer="u", exemplar_id="u-0001")])
    (tmp_path / "writers.csv").write_text("writer,round,instructions\nt,1,A.md\nu,2,B.md\n", encoding="utf-8")
    ex = load_exemplars(tmp_path, sources={})
    assert ex.set_index("writer")["round"].to_dict() == {"t": 1, "u": 2}
    assert ex["instructions"].tolist() == ["A.md", "B.md"]


@pytest.mark.parametrize("table, message", [
    ("writer,round\nt,1\n", r"writers\.csv: writer 'u' of the exemplar files is not listed — add a row for u"),
    ("writer,round\nt,1\nu,2\nv,2\n", r"writers\.csv:4: writer 'v' has no exemplars"),
    ("writer,round\nt,1\nu,x\n", r"writers\.csv:3: needs a writer and a whole-number round"),
    ("writer,round\nt,1\nu,2\nt,2\n", r"writers\.csv:4: writer 't' also on line 2"),
])
def test_bad_writers_table_is_named(tmp_path, table, message):
    write(tmp_path, [row(1), row(2, writer="u", exemplar_id="u-0001")])
    (tmp_path / "writers.csv").write_text(table, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_exemplars(tmp_path, sources={})


def test_dilution_keeps_codes_and_own_sentences_and_uses_only_the_same_writer():
    from analysis.exemplars import exemplar_sentences, exemplars_diluted

    ex = corpus_exemplars()
    part = pd.concat([g.head(30) for _, g in ex.groupby("writer", sort=True)], ignore_index=True)
    out = exemplars_diluted(part, ["alliance", "force"], share=0.5, seed=3)
    assert out[["exemplar_id", "alliance", "force"]].equals(part[["exemplar_id", "alliance", "force"]])
    assert out["text"].equals(exemplars_diluted(part, ["alliance", "force"], share=0.5, seed=3)["text"])
    unframed = (part[["alliance", "force"]] == "none").all(axis=1)
    # w1's first exemplars include none coded 'none' on both contrasts: nothing to add
    assert out.loc[0, "text"] == part.loc[0, "text"] and not (unframed & (part["writer"] == "w1")).any()
    pooled = sorted(set(part.loc[unframed, "writer"]))
    assert len(pooled) >= 3
    for i in [int(part.index[part["writer"] == w][0]) for w in pooled[:3]]:
        own = exemplar_sentences(part.loc[i, "text"])
        added = [s for s in exemplar_sentences(out.loc[i, "text"]) if s not in own]
        assert all(s in out.loc[i, "text"] for s in own)
        pool = {s for t in part.loc[unframed & (part["writer"] == part.loc[i, "writer"]), "text"]
                for s in exemplar_sentences(t)}
        assert added and set(added) <= pool
        words_added = sum(len(s.split()) for s in added)
        assert words_added >= len(part.loc[i, "text"].split())  # share 0.5: at least as many words added
    with pytest.raises(ValueError, match="share must be in"):
        exemplars_diluted(part, ["alliance", "force"], share=1.0)


def test_text_must_be_a_string(tmp_path):
    write(tmp_path, [row(1, text=["a", "list"] * 30)])
    with pytest.raises(InputError, match=r"t\.jsonl:1: text is list, not a string"):
        load_exemplars(tmp_path, sources={})


def test_numeric_writer_names_are_read_as_text(tmp_path):
    write(tmp_path, [row(1, writer=7), row(2, writer="u")])
    assert sorted(load_exemplars(tmp_path, sources={})["writer"]) == ["7", "u"]


def test_training_needs_two_writers_and_every_code(tmp_path):
    import shutil

    from analysis.exemplars import exemplars_check
    from corpus_factory import make_corpus

    root = make_corpus(tmp_path / "c")
    (root / "exemplars").mkdir()
    write(root / "exemplars", [row(1), row(2)])
    found = [str(p) for p in exemplars_check(root)]
    assert any("holds exemplars by one writer only" in p for p in found)
    assert any("0 exemplar(s) coded 'ideological' on 'alliance'" in p for p in found)
    shutil.rmtree(root / "exemplars")
    assert exemplars_check(root) == []  # the study's exemplars are used, and they are sound


def test_own_codebook_needs_own_exemplars(tmp_path):
    from analysis.codebook import default_path
    from corpus_factory import make_corpus

    root = make_corpus(tmp_path / "c")
    text = default_path().read_text(encoding="utf-8").replace('positive = "ideological"', 'positive = "doctrinal"')
    text = text.replace("[contrasts.alliance.poles.ideological", "[contrasts.alliance.poles.doctrinal")
    (root / "codebook.toml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"exemplars: is missing: the study's exemplars are coded to the study's "
                                         r"codebook"):
        corpus_exemplars(root)


def test_pairs_load_when_twins_name_each_other(tmp_path):
    write(tmp_path, [row(1, pair="t-0002"), row(2, alliance="ideological", pair="t-0001"), row(3)])
    ex = load_exemplars(tmp_path, sources={})
    assert ex["pair"].fillna("").tolist() == ["t-0002", "t-0001", ""]


@pytest.mark.parametrize("rows, message", [
    ([row(1, pair="t-0009"), row(2, alliance="ideological")], r"t\.jsonl:1: pair 't-0009' is not an exemplar_id"),
    ([row(1, pair="t-0002"), row(2, alliance="ideological")], r"t\.jsonl:1: pair 't-0002' does not name 't-0001' back"),
    ([row(1, pair="t-0002"), row(2, pair="t-0001")], r"t\.jsonl:1: pair 't-0002' has the same codes"),
    ([row(1, pair="u-0001"), row(2, writer="u", exemplar_id="u-0001", alliance="ideological", pair="t-0001")],
     r"t\.jsonl:1: pair 'u-0001' is by another writer"),
    ([row(1, pair="t-0001")], r"t\.jsonl:1: pair 't-0001' names the exemplar itself — give the exemplar_id of its twin"),
    ([row(1, pair="t-0002"), row(2, alliance="ideological", pair="t-0001"), row(3, alliance="ideological", pair="t-0001")],
     r"t\.jsonl:3: pair 't-0001' does not name 't-0003' back \(it names 't-0002'\) — give t-0003 its own twin"),
])
def test_bad_pairs_are_named(tmp_path, rows, message):
    write(tmp_path, rows)
    with pytest.raises(InputError, match=message):
        load_exemplars(tmp_path, sources={})


def test_round_three_files_pass_the_checker_their_writers_ran():
    """Round 3's writers were held to ``check-round3.py`` (pairs, edits, lengths); the files as
    committed still pass it, repairs included."""
    import subprocess
    import sys

    from analysis import config

    folder = config.CORPUS_DIR / "exemplars"
    writers = pd.read_csv(folder / "writers.csv")
    names = writers.loc[writers["round"] == 3, "writer"].tolist()
    assert names
    for name in names:
        done = subprocess.run([sys.executable, str(folder / "check-round3.py"), str(folder / f"{name}.jsonl")],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        assert "160 paragraphs, 80 pairs" in done.stdout


def test_a_twin_with_problems_of_its_own_is_not_called_missing(tmp_path):
    write(tmp_path, [row(1, pair="t-0002"), row(2, alliance="ideological", pair="t-0001", text="Too short.")])
    with pytest.raises(InputError) as err:
        load_exemplars(tmp_path, sources={})
    messages = [str(p) for p in err.value.problems]
    assert len(messages) == 1 and "text has 2 words" in messages[0]
