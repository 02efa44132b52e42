"""Tests for analysis.claims: parsing, margins and outcomes computed by hand."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.claims import article_positions, claim_margin, claim_outcome, claims_split, parse_claims
from analysis.codebook import load_codebook

CB = load_codebook()


@pytest.mark.parametrize("claim, message", [
    ({"kind": "bigger", "pole": "ideological", "a": "x"}, r"claims\[0\]: field 'kind' is 'bigger'"),
    ({"kind": "leans", "pole": "marxist", "a": "x"}, r"claims\[0\]: field 'pole' is 'marxist' — use a pole"),
    ({"kind": "leans", "pole": "ideological"}, r"claims\[0\]: field 'a' is missing"),
    ({"kind": "more", "pole": "ideological", "a": "x"}, r"field 'b' must name a second article"),
    ({"kind": "more", "pole": "ideological", "a": "x", "b": "x"}, r"field 'b' must name a second article"),
    ({"kind": "most", "pole": "ideological", "a": "x", "b": "y"}, r"field 'b' is only used by 'more' claims"),
    ("x is ideological", r"claims\[0\] is str — give each claim as a dict"),
])
def test_parse_claims_errors(claim, message):
    with pytest.raises(ValueError, match=message):
        parse_claims([claim], CB)


def test_parse_claims_and_split():
    claims = parse_claims([{"kind": "more", "pole": "credibility", "a": "x", "b": "y"},
                           {"kind": "leans", "pole": "deterrence", "a": "z", "label": "z deters"}], CB)
    assert [(c.contrast, c.sign, c.docs) for c in claims] == [("force", 1, frozenset({"x", "y"})),
                                                              ("force", -1, frozenset({"z"}))]
    assert claims[1].label == "z deters"
    kept, skipped = claims_split(claims, ["x", "y"])
    assert [c.label for c in kept] == ["x leans further to credibility than y"] and len(skipped) == 1
    with pytest.raises(ValueError, match="same label"):
        parse_claims([{"kind": "leans", "pole": "deterrence", "a": "z"}] * 2, CB)


@pytest.mark.parametrize("claim, expected", [
    # transactional is the negative pole: x signed +1.0, y -0.5 -> 1.0 - (-0.5) = 1.5
    ({"kind": "more", "pole": "transactional", "a": "x", "b": "y"}, 1.5),
    # ideological: z 0.2 against the largest other, y 0.5 -> -0.3 (w, with no position, is left out)
    ({"kind": "most", "pole": "ideological", "a": "z"}, -0.3),
    ({"kind": "most", "pole": "ideological", "a": "y"}, 0.3),
    ({"kind": "leans", "pole": "transactional", "a": "x"}, 1.0),
    ({"kind": "leans", "pole": "ideological", "a": "w"}, math.nan),
    ({"kind": "more", "pole": "ideological", "a": "x", "b": "absent"}, math.nan),
])
def test_claim_margin_by_hand(claim, expected):
    positions = pd.Series({"x": -1.0, "y": 0.5, "z": 0.2, "w": np.nan})
    assert claim_margin(parse_claims([claim], CB)[0], positions) == pytest.approx(expected, nan_ok=True)


def test_article_positions_and_outcome():
    units = pd.DataFrame({"doc_id": ["x", "x", "x", "y"], "fit": [True] * 4, "force": [2.0, -1.0, np.nan, 4.0],
                          "force_weight": [1.0, 3.0, 5.0, 0.0]})
    # x: (1*2 + 3*(-1)) / 4 = -0.25 (the NaN unit is left out); y has no evidence (weight 0)
    pos = article_positions(units, "force")
    assert pos["x"] == pytest.approx(-0.25) and math.isnan(pos["y"])
    claim = parse_claims([{"kind": "leans", "pole": "deterrence", "a": "x"}], CB)[0]
    # margin: 0.25 / sd(2, -1, 4) = 0.25 / sqrt(((2-5/3)^2 + (-1-5/3)^2 + (4-5/3)^2) / 2) = 0.25 / 2.5166
    out = claim_outcome(claim, units)
    assert out["fitted"] and out["holds"] and out["margin"] == pytest.approx(0.25 / np.std([2, -1, 4], ddof=1))
    assert claim_outcome(claim, None) == {"fitted": False, "holds": None, "margin": pytest.approx(math.nan,
                                                                                                  nan_ok=True)}
