"""Tests for analysis.agreement against values computed by hand."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.agreement import agreement_matrix, agreement_table, disagreements, measures_alpha, polarity_signs
from analysis.validation import framed_mask


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
