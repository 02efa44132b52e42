"""Tests for analysis.validation: thresholds, predictions, the validation table and confusion
matrices against values computed by hand on toy tables."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.codebook import load_codebook
from analysis.validation import (confusion_table, confusion_tables, errors_by_unit, misclassified, predicted_codes,
                                 salience_threshold, valid_measures, validation_table)

CB = load_codebook()


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


