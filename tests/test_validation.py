"""Tests for analysis.validation: the annotation loader's errors, the metrics against values
computed by hand on toy tables, agreement between measures, and the topic-based measure."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from analysis.codebook import load_codebook
from analysis.errors import InputError
from corpus_factory import make_corpus
from analysis.validation import (TopicFrameScorer, agreement_matrix, agreement_table, annotation_read,
                                 annotation_reliability, annotations_check, auc, auc_pvalue, binary_scores, code_counts,
                                 confusion_table, confusion_tables, disagreements, errors_by_unit, framed_mask,
                                 load_annotations, measures_alpha, misclassified, polarity_signs, predicted_codes,
                                 reconciliation_summary, salience_threshold, valid_measures, validation_table)

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


# -- loading ------------------------------------------------------------------------------

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
    (HEADER + "u1,none,none\n", r"p\.csv:2: 3 fields where the header has 4"),
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


# -- annotations_check: what `validate` reports ------------------------------------------------

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


# -- reliability ---------------------------------------------------------------------------

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


# -- metrics ---------------------------------------------------------------------------------

@pytest.mark.parametrize("truth, pred, expected", [
    # tp=2, fp=1, fn=1: precision 2/3, recall 2/3, F1 2/3
    ([1, 1, 1, 0, 0], [1, 1, 0, 1, 0], dict(tp=2, fp=1, fn=1, precision=2 / 3, recall=2 / 3, f1=2 / 3)),
    # tp=1, fp=0, fn=3: precision 1, recall 1/4, F1 = 2*1*0.25/1.25 = 0.4
    ([1, 1, 1, 1], [1, 0, 0, 0], dict(tp=1, fp=0, fn=3, precision=1.0, recall=0.25, f1=0.4)),
    # nothing predicted: precision undefined, recall 0, F1 undefined
    ([1, 0], [0, 0], dict(tp=0, fp=0, fn=1, precision=math.nan, recall=0.0, f1=math.nan)),
    # only wrong predictions: precision 0, recall 0, F1 0
    ([1, 0], [0, 1], dict(tp=0, fp=1, fn=1, precision=0.0, recall=0.0, f1=0.0)),
])
def test_binary_scores(truth, pred, expected):
    got = binary_scores(truth, pred)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, nan_ok=True), key


@pytest.mark.parametrize("y, score, expected", [
    # positives 0.35, 0.8 against negatives 0.1, 0.4: pairs won 1 + 0 + 1 + 1 = 3 of 4
    ([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 0.75),
    # a tie counts one half
    ([0, 1], [0.5, 0.5], 0.5),
    # a missing score is read as 0: the positive 0.2 beats the negative 0
    ([0, 1], [np.nan, 0.2], 1.0),
    # one class only: undefined
    ([1, 1], [0.1, 0.2], math.nan),
])
def test_auc(y, score, expected):
    assert auc(y, score) == pytest.approx(expected, nan_ok=True)


def test_auc_pvalue_exact():
    # Two positives above two negatives: U = 4, the largest of the C(4, 2) = 6 equally likely
    # labellings, so the one-sided p-value is 1/6.
    assert auc_pvalue([0, 0, 1, 1], [1.0, 2.0, 3.0, 4.0]) == pytest.approx(1 / 6)
    assert math.isnan(auc_pvalue([1, 1], [1.0, 2.0]))


def test_salience_threshold_and_predictions():
    assert salience_threshold([0.0, 0.3, 0.6], "mean") == pytest.approx(0.3)
    assert math.isnan(salience_threshold([1.0], None))
    with pytest.raises(ValueError, match="salience rule must be"):
        salience_threshold([1.0], "median")
    codes = predicted_codes([0.2, -0.1, 0.0, 3.0], [1.0, 1.0, 1.0, 0.3], 0.3, "neg", "pos")
    assert codes.tolist() == ["pos", "neg", "mixed", "none"]


def toy_units():
    """Five paragraphs; the force columns carry the cases worked by hand below, alliance mirrors them."""
    force = dict(dict_force=[-1.0, 0.5, 2.0, 0.0, 0.0], dict_force_salience=[3.0, 1.0, 2.0, 0.0, 1.0],
                 tfidf_force=[-0.2, -0.1, 0.3, 0.2, 0.1], tfidf_force_salience=[0.1, 0.2, 0.3, 0.4, 0.0])
    alliance = {k.replace("force", "alliance"): v for k, v in force.items()}
    units = pd.DataFrame({"unit_id": [f"u{i}" for i in range(1, 6)], "text": [f"text {i}" for i in range(1, 6)],
                          **force, **alliance})
    codes = pd.DataFrame({"unit_id": units["unit_id"],
                          "force": ["deterrence", "deterrence", "credibility", "none", "mixed"],
                          "alliance": ["transactional", "transactional", "ideological", "none", "mixed"]})
    return units, codes


def test_validation_table_against_hand_computation():
    units, codes = toy_units()
    table = validation_table(units, codes, CB, measures=("dict", "tfidf"))
    rows = table[table["contrast"] == "force"].set_index(["measure", "task", "class"])
    # dict polarity among u1-u3 (d, d, c); scores -1, 0.5, 2: credibility 2 beats both -> AUC 1.
    assert rows.loc[("dict", "polarity", "credibility"), "auc"] == 1.0
    assert rows.loc[("dict", "polarity", "deterrence"), "auc"] == 1.0
    # deterrence: truth (1,1,0), predicted index < 0 (1,0,0): tp 1, fp 0, fn 1 -> P 1, R 0.5, F1 2/3.
    d = rows.loc[("dict", "polarity", "deterrence")]
    assert (d["tp"], d["fp"], d["fn"]) == (1, 0, 1) and d["f1"] == pytest.approx(2 / 3)
    # credibility: truth (0,0,1), predicted index > 0 (0,1,1): tp 1, fp 1 -> P 0.5, R 1.
    c = rows.loc[("dict", "polarity", "credibility")]
    assert (c["precision"], c["recall"]) == (0.5, 1.0)
    # dict salience > 0: predicted (1,1,1,0,1) = framed (1,1,1,0,1) -> P = R = F1 = 1; AUC 1.
    s = rows.loc[("dict", "salience", "framed")]
    assert (s["threshold"], s["precision"], s["recall"], s["auc"]) == (0.0, 1.0, 1.0, 1.0)
    # tfidf salience above its mean 0.2: predicted (0,0,1,1,0) against framed (1,1,1,0,1):
    # tp 1 (u3), fp 1 (u4), fn 3 -> P 0.5, R 0.25, F1 = 2*0.5*0.25/0.75 = 1/3. The one none-coded
    # paragraph has the highest salience (0.4): AUC 0.
    t = rows.loc[("tfidf", "salience", "framed")]
    assert t["threshold"] == pytest.approx(0.2)
    assert (t["tp"], t["fp"], t["fn"]) == (1, 1, 3) and t["f1"] == pytest.approx(1 / 3) and t["auc"] == 0.0
    assert set(table["contrast"]) == {"alliance", "force"}


def test_valid_measures_keeps_those_above_chance():
    units, codes = toy_units()
    units["tfidf_force"] = [0.5, 0.4, -1.0, 0.0, 0.0]  # credibility lowest: polarity AUC 0
    valid = valid_measures(validation_table(units, codes, CB, measures=("dict", "tfidf")))
    assert valid == {"alliance": ["dict", "tfidf"], "force": ["dict"]}


def test_confusion_tables_and_misclassified():
    units, codes = toy_units()
    table = confusion_table(["a", "a", "b", "c"], ["a", "b", "b", "a"], ["a", "b", "c"])
    assert table.values.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 0]]
    conf = confusion_tables(units, codes, CB, measures=("dict",))[("force", "dict")]
    # predictions: u1 deterrence, u2 credibility, u3 credibility, u4 none (no salience), u5 mixed (index 0)
    assert conf.loc["deterrence"].tolist() == [1, 1, 0, 0]
    assert conf.loc["mixed"].tolist() == [0, 0, 1, 0]
    errors = misclassified(units, codes, CB, measures=("dict", "tfidf"))
    force = errors[errors["contrast"] == "force"]
    assert force[(force["measure"] == "dict") & (force["task"] == "polarity")]["unit_id"].tolist() == ["u2"]
    tfidf_salience = force[(force["measure"] == "tfidf") & (force["task"] == "salience")]
    assert tfidf_salience["unit_id"].tolist() == ["u1", "u2", "u4", "u5"]
    assert tfidf_salience["text"].tolist()[0] == "text 1"
    by_unit = errors_by_unit(errors)
    assert by_unit[by_unit["contrast"] == "force"][["unit_id", "wrong"]].values.tolist() == [["u2", "dict"]]


# -- agreement -------------------------------------------------------------------------------

def test_agreement_against_hand_computation():
    units = pd.DataFrame({"unit_id": ["a", "b", "c", "d"], "text": list("abcd"),
                          "dict_force": [1.0, 0.0, -1.0, 2.0], "tfidf_force": [0.5, 0.2, 0.3, 0.1],
                          "z_lss_force": [1.0, np.nan, -2.0, -1.0], "dict_force_salience": [1.0, 0.0, 1.0, 1.0]})
    framed = [True, True, True, False]
    signs = polarity_signs(units, "force", ["dict", "tfidf", "lss"])
    assert signs.values.tolist() == [[1, 1, 1], [0, 1, 0], [-1, 1, -1], [1, 1, -1]]
    # framed rows a, b, c: dict (1, 0, -1), tfidf (1, 1, 1), lss (1, 0, -1)
    # dict-tfidf agree on a only: 1/3; dict-lss on all three: 1; where both take a side, dict-tfidf
    # compares a and c: 1 of 2.
    t = agreement_table(units, "force", framed, ["dict", "tfidf", "lss"]).set_index(["measure_a", "measure_b"])
    assert t.loc[("dict", "tfidf"), "share"] == pytest.approx(1 / 3)
    assert t.loc[("dict", "lss"), "share"] == 1.0
    assert (t.loc[("dict", "tfidf"), "n_sided"], t.loc[("dict", "tfidf"), "share_sided"]) == (2, 0.5)
    assert agreement_matrix(signs.iloc[:3]).loc["tfidf", "lss"] == pytest.approx(1 / 3)
    # alpha with the measures as coders, units a (1,1,1), b (0,1,0), c (-1,1,-1):
    # coincidences within units: a: o_11 += 6/2 = 3; b: o_00 += 1, o_01 = o_10 += 1; c: o_-1-1 += 1,
    # o_-11 = o_1-1 += 1. n_1 = 3 + 1 + 1 = 5, n_0 = 2, n_-1 = 2, n = 9; disagreement 4;
    # alpha = 1 - 8 * 4 / (81 - 25 - 4 - 4) = 1 - 32/48 = 1/3.
    assert measures_alpha(units, "force", framed, ["dict", "tfidf", "lss"]) == pytest.approx(1 / 3)
    split = disagreements(units, "force", framed, ["dict", "tfidf", "lss"])
    assert split["unit_id"].tolist() == ["b", "c"]
    assert framed_mask(units, "force").tolist() == [True, False, True, True]


# -- the topic-based measure ---------------------------------------------------------------------

DOCS = ["a bargain of convenience and a pragmatic bargain", "pragmatic leverage and a bargain over oil",
        "shared ideology and revolutionary solidarity", "ideology solidarity and a revolutionary creed",
        "deterrence by retaliation and escalation", "credibility reputation and resolve"] * 2


def test_topic_scorer_contract_and_centring():
    scorer = TopicFrameScorer(CB, n_components=3, min_df=1, random_state=1)
    assert clone(scorer).get_params() == scorer.get_params()
    fitted = scorer.fit(DOCS)
    frame = fitted.transform_frame(DOCS)
    assert frame.columns.tolist() == fitted.get_feature_names_out().tolist()
    # centred on the mean of the fitted units
    assert frame["topic_alliance"].mean() == pytest.approx(0.0, abs=1e-12)
    # index = theta (a_pos - a_neg) - centre, salience = theta (a_pos + a_neg), from the fitted parts
    theta = fitted.model_.transform(DOCS)
    w = fitted.weights_
    expected = theta @ (w["ideological"] - w["transactional"]).to_numpy() - fitted.centre_["alliance"]
    assert np.allclose(frame["topic_alliance"], expected)
    assert (frame["topic_force_salience"] >= 0).all()
    # the ideological paragraphs score above the transactional ones
    assert frame["topic_alliance"][2] > frame["topic_alliance"][0]


def test_topic_scorer_is_deterministic():
    a = TopicFrameScorer(CB, n_components=3, min_df=1).fit(DOCS).transform(DOCS)
    b = TopicFrameScorer(CB, n_components=3, min_df=1).fit(DOCS).transform(DOCS)
    assert np.array_equal(a, b)


def test_target_window_effect_on_the_study_corpus(study_corpus):
    from analysis.frame_tables import unit_scores
    from analysis.frames import FrameScorer
    from analysis.validation import target_window_effect

    paragraphs = study_corpus.paragraphs
    codes = load_annotations(codebook=CB, unit_ids=paragraphs["unit_id"]).reconciled
    units = unit_scores(paragraphs, FrameScorer(CB).fit(paragraphs["text"].tolist()))
    # window 0 is the study's own setting: nothing changes
    same, seeds0, auc0 = target_window_effect(paragraphs, units, codes, CB, "alliance", 0)
    np.testing.assert_array_equal(same["window_index"], same["measured_index"])
    assert (seeds0["kept"] == seeds0["seeds"]).all()
    np.testing.assert_array_equal(auc0["auc_all"], auc0["auc_window"])
    # a window keeps some seeds and drops others, article by article
    positions, seeds, auc = target_window_effect(paragraphs, units, codes, CB, "alliance", 10)
    assert list(positions.columns) == ["contrast", "doc_id", "hand_index", "measured_index", "window_index",
                                       "window_low", "window_high"]
    assert len(positions) == paragraphs["doc_id"].nunique()
    assert ((positions["window_low"] <= positions["window_index"])
            & (positions["window_index"] <= positions["window_high"])).all()
    assert (seeds["kept"] <= seeds["seeds"]).all() and (seeds["kept"] < seeds["seeds"]).any()
    assert seeds[["seeds"]].equals(seeds0[["seeds"]])
    assert auc["measure"].tolist() == ["dict", "tfidf", "lss", "combined"]
