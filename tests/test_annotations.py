"""Tests for analysis.annotations: the loader's and the checker's errors, reliability and counts."""
from __future__ import annotations

import pytest

from analysis.annotations import (annotation_read, annotation_reliability, annotations_check, code_counts,
                                  load_annotations, reconciliation_summary)
from analysis.codebook import load_codebook
from analysis.errors import InputError
from corpus_factory import make_corpus

CB = load_codebook()


HEADER = "unit_id,alliance,force,note\n"


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def annotation_folder(root, a=None, b=None, rec=None):
    folder = root / "annotations"
    write(folder, "pass_a.csv", a or HEADER + "u1,transactional,deterrence,x\nu2,transactional,credibility,x\n"
                                             "u3,ideological,none,x\nu4,none,none,x\n")
    write(folder, "pass_b.csv", b or HEADER + "u1,transactional,deterrence,x\nu2,ideological,credibility,x\n"
                                             "u3,ideological,none,x\nu4,none,deterrence,x\n")
    write(folder, "reconciled.csv", rec or "unit_id,alliance,force,alliance_reason,force_reason\n"
                                           "u1,transactional,deterrence,agreed,agreed\n"
                                           "u2,ideological,credibility,why,agreed\n"
                                           "u3,ideological,none,agreed,agreed\n"
                                           "u4,none,mixed,agreed,why\n")
    return root


def test_annotation_read_keeps_every_column(tmp_path):
    path = write(tmp_path, "p.csv", HEADER + 'u1,transactional,none,"a note, with a comma"\n\nu2,none,mixed,\n')
    table = annotation_read(path, CB, unit_ids=["u1", "u2"])
    assert table.columns.tolist() == ["unit_id", "alliance", "force", "note"]
    assert table["note"].tolist() == ["a note, with a comma", ""]


@pytest.mark.parametrize("text, message", [
    ("", r"p\.csv:1: the file is empty"),
    ("unit_id,alliance,note\nu1,none,x\n", r"p\.csv:1: no column 'force' in the header"),
    (HEADER + "u1,Transactional,none,x\n", r"p\.csv:2: field 'alliance' has code 'Transactional' — use one of "
                                           r"transactional, ideological, mixed, none"),
    (HEADER + "u1,none,deterrence,x\nu1,none,none,x\n", r"p\.csv:3: unit_id 'u1' is coded twice \(first on line 2\)"),
    (HEADER + "u9,none,none,x\n", r"p\.csv:2: unit_id 'u9' is not a paragraph of the corpus"),
    (HEADER + "u1,none,none\n", r"p\.csv:2: has 3 fields where the header has 4"),
    (HEADER + ",none,none,x\n", r"p\.csv:2: field 'unit_id' is empty"),
    (HEADER, r"p\.csv:2: the file codes no paragraph"),
    # a quoted note spanning two lines: the next row's line number is still its own
    (HEADER + 'u1,none,none,"two\nlines"\nu2,none,bad,x\n', r"p\.csv:4: field 'force' has code 'bad'"),
])
def test_annotation_read_errors_name_file_line_and_field(tmp_path, text, message):
    path = write(tmp_path, "p.csv", text)
    with pytest.raises(InputError, match=message):
        annotation_read(path, CB, unit_ids=["u1", "u2"])


def test_annotation_read_missing_and_undecodable_files(tmp_path):
    with pytest.raises(InputError, match=r"nope\.csv: the coding file is missing"):
        annotation_read(tmp_path / "nope.csv", CB)
    (tmp_path / "bad.csv").write_bytes(b"unit_id,alliance,force\n\xff\n")
    with pytest.raises(InputError, match=r"bad\.csv: not valid UTF-8"):
        annotation_read(tmp_path / "bad.csv", CB)


def test_load_annotations_none_without_folder_and_all_problems_at_once(tmp_path):
    assert load_annotations(tmp_path, CB) is None
    annotation_folder(tmp_path, a=HEADER + "u1,none,oops,x\n", b=HEADER + "u1,huh,none,x\n")
    with pytest.raises(InputError) as err:
        load_annotations(tmp_path, CB, unit_ids=["u1", "u2", "u3", "u4"])
    text = str(err.value)
    assert "pass_a.csv:2: field 'force' has code 'oops'" in text
    assert "pass_b.csv:2: field 'alliance' has code 'huh'" in text


def test_load_annotations_reads_every_pass(tmp_path):
    ann = load_annotations(annotation_folder(tmp_path), CB, unit_ids=["u1", "u2", "u3", "u4"])
    assert sorted(ann.passes) == ["pass_a", "pass_b"]
    assert ann.reconciled["force"].tolist() == ["deterrence", "credibility", "none", "mixed"]


TOY_PASS = (HEADER + "alpha-2020.p01,transactional,none,x\nalpha-2020.p02,none,none,x\n"
            "beta-2021.p01,ideological,none,x\n")


TOY_RECONCILED = ("unit_id,alliance,force,alliance_reason,force_reason\n"
                  "alpha-2020.p01,transactional,none,agreed,agreed\n"
                  "alpha-2020.p02,none,none,agreed,agreed\nbeta-2021.p01,ideological,none,agreed,agreed\n")


def toy_annotated(root, **files):
    """A toy corpus whose annotations/ holds the three files, each replaced by ``files[name]``
    (None: left out)."""
    corpus = make_corpus(root / "c")
    texts = {"pass_a.csv": TOY_PASS, "pass_b.csv": TOY_PASS, "reconciled.csv": TOY_RECONCILED, **files}
    for name, text in texts.items():
        if text is not None:
            write(corpus / "annotations", name, text)
    return corpus


def test_annotations_check_accepts_sound_files_and_no_folder(tmp_path):
    assert annotations_check(make_corpus(tmp_path / "bare")) == []
    assert annotations_check(toy_annotated(tmp_path)) == []


@pytest.mark.parametrize("files, expected", [
    ({"pass_b.csv": TOY_PASS.replace("beta-2021.p01", "beta-2021.p09")},
     "annotations/pass_b.csv:4: unit_id 'beta-2021.p09' is not a paragraph of the corpus — use the ids of"),
    ({"pass_a.csv": TOY_PASS.replace("ideological", "ideology")},
     "annotations/pass_a.csv:4: field 'alliance' has code 'ideology' — use one of transactional, ideological, "
     "mixed, none"),
    ({"pass_a.csv": TOY_PASS + "alpha-2020.p02,none,mixed,x\n"},
     "annotations/pass_a.csv:5: unit_id 'alpha-2020.p02' is coded twice (first on line 3) — keep one row per "
     "paragraph"),
    ({"pass_b.csv": TOY_PASS.replace("p02,none,none", "p02,none,")},
     "annotations/pass_b.csv:3: field 'force' is empty — code the paragraph with one of deterrence, credibility, "
     "mixed, none"),
    ({"pass_b.csv": None}, "annotations/pass_b.csv: the coding pass is missing — add it (a filled-in sheet of "
                           "`python -m analysis sample`"),
    ({"reconciled.csv": None}, "annotations/reconciled.csv: the passes are not reconciled — add it with columns "
                               "unit_id, alliance, force, alliance_reason, force_reason"),
    ({"reconciled.csv": TOY_RECONCILED.replace(",alliance_reason", ",why")},
     "annotations/reconciled.csv:1: no column 'alliance_reason' in the header"),
    ({"pass_b.csv": "\n".join(TOY_PASS.splitlines()[:-1]) + "\n"},
     "annotations/pass_b.csv: unit_id 'beta-2021.p01' is coded in pass_a.csv but not here — code the same "
     "paragraphs in every file"),
])
def test_annotations_check_names_each_problem(tmp_path, files, expected):
    corpus = toy_annotated(tmp_path, **files)
    problems = [str(p) for p in annotations_check(corpus)]
    assert len(problems) == 1, problems
    assert problems[0].startswith(str(corpus / expected.split(":")[0]))
    assert expected in problems[0].replace(str(corpus) + "/", "")


def test_annotations_check_uses_the_corpus_codebook(tmp_path):
    from toys import toy_codebook

    corpus = toy_annotated(tmp_path)
    toy_codebook(corpus, contrasts=("force",))  # writes corpus/codebook.toml: no alliance contrast
    assert annotations_check(corpus) == []  # the alliance column is simply another column
    write(corpus / "annotations", "pass_a.csv", TOY_PASS.replace(",none,x", ",credibility,x"))
    assert annotations_check(corpus) == []
    write(corpus / "annotations", "pass_a.csv", TOY_PASS.replace("transactional,none", "transactional,deter"))
    assert "field 'force' has code 'deter' — use one of deterrence, credibility, mixed, none" in \
        str(annotations_check(corpus)[0])


def test_annotations_check_reports_an_unreadable_pass(tmp_path):
    corpus = toy_annotated(tmp_path, **{"pass_a.csv": None})
    (corpus / "annotations" / "pass_a.csv").mkdir()
    problems = [str(p) for p in annotations_check(corpus)]
    assert len(problems) == 1 and "pass_a.csv: cannot be read (Is a directory) — make it a readable CSV" \
        in problems[0]


def test_annotations_check_refuses_a_file_named_annotations(tmp_path):
    corpus = make_corpus(tmp_path / "c")
    (corpus / "annotations").write_text("x\n", encoding="utf-8")
    assert "annotations: is a file, not a folder" in str(annotations_check(corpus)[0])


def test_reliability_against_hand_computation(tmp_path):
    ann = load_annotations(annotation_folder(tmp_path), CB)
    rel = annotation_reliability(ann, CB).set_index("contrast")
    # alliance: units (t,t) (t,i) (i,i) (n,n). Coincidences o_tt=2, o_ti=o_it=1, o_ii=2, o_nn=2;
    # n_t=3, n_i=3, n_n=2, n=8. alpha = 1 - (n-1) * 2 / (n^2 - sum n_c^2) = 1 - 7*2/(64-22) = 2/3.
    assert rel.loc["alliance", "alpha"] == pytest.approx(2 / 3)
    assert rel.loc["alliance", "agreement"] == 0.75 and rel.loc["alliance", "disagreements"] == 1
    # framed or not: (T,T) (T,T) (T,T) (F,F): perfect agreement.
    assert rel.loc["alliance", "alpha_framed"] == 1.0
    # force: (d,d) (c,c) (n,n) (n,d): o_dd=2, o_cc=2, o_nn=2, o_nd=o_dn=1; n_d=3, n_c=2, n_n=3, n=8;
    # alpha = 1 - 7*2/(64-9-4-9) = 2/3. Framed: (T,T) (T,T) (F,F) (F,T): o_TT=4, o_FF=2, o_FT=o_TF=1;
    # n_T=5, n_F=3; alpha = 1 - 7*2/(64-25-9) = 1 - 14/30.
    assert rel.loc["force", "alpha"] == pytest.approx(2 / 3)
    assert rel.loc["force", "alpha_framed"] == pytest.approx(1 - 14 / 30)


def test_code_counts_and_reconciliation(tmp_path):
    ann = load_annotations(annotation_folder(tmp_path), CB)
    counts = code_counts(ann.reconciled, CB).set_index(["contrast", "code"])["n"]
    assert counts[("alliance", "ideological")] == 2 and counts[("force", "mixed")] == 1
    rec = reconciliation_summary(ann, CB).set_index("contrast")
    # alliance u2: A transactional, B ideological, reconciled ideological -> follows B.
    assert rec.loc["alliance"].tolist() == [1, 0, 1, 0]
    # force u4: A none, B deterrence, reconciled mixed -> neither.
    assert rec.loc["force"].tolist() == [1, 0, 0, 1]
