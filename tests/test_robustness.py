"""Tests for analysis.robustness: setting effects and verdicts on tables built by hand."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.claims import parse_claims
from analysis.codebook import load_codebook
from analysis.robustness import robustness_verdicts, setting_effects

CB = load_codebook()


def test_setting_effects_on_matched_specifications():
    # Six dictionary specifications (stem x unit) and two LSS ones (stem only, no unit).
    r = pd.DataFrame({
        "claim": ["c"] * 8, "measure": ["dict"] * 6 + ["lss"] * 2,
        "stem": [True, False, True, False, True, False, True, False],
        "unit": ["p", "p", "s", "s", "x", "x", None, None],
        "holds": pd.array([True, False, True, True, True, None, False, False], dtype="boolean")})
    e = setting_effects(r, ["stem", "unit"]).set_index("setting")
    # stem: matched groups dict/p (T, F: flips), dict/s (T, T), lss (F, F); dict/x is not matched
    # (stem False cannot be evaluated). Shares over matched: True 2/3, False 1/3.
    assert e.loc["stem", ["matched", "flips", "low", "high"]].tolist() == [3, 1, "False", "True"]
    assert e.loc["stem", "low_share"] == pytest.approx(1 / 3) and e.loc["stem", "high_share"] == pytest.approx(2 / 3)
    # unit: for stem True, p/s/x all hold (no flip); for stem False x is missing, so not matched.
    assert e.loc["unit", ["matched", "flips"]].tolist() == [1, 0]


def test_verdicts():
    shares = pd.DataFrame({"claim": ["r", "f", "n"], "share": [0.95, 0.95, 0.4]})
    loo = pd.DataFrame({"claim": ["r", "f", "n"], "measure": ["combined"] * 3, "left_out": ["x", "x", "x"],
                        "holds": pd.array([True, False, True], dtype="boolean")})
    settings = pd.DataFrame({"claim": ["r"] * 2, "setting": ["measure", "measure"], "value": ["dict", "topic"],
                             "specs": [4, 4], "share": [1.0, 0.5]})
    effects = pd.DataFrame({"claim": ["r", "r"], "setting": ["stem", "unit"], "matched": [4, 10], "flips": [2, 3],
                            "low": ["False", "sentence"], "low_share": [0.5, 0.7], "high": ["True", "paragraph"],
                            "high_share": [1.0, 1.0]})
    skipped = parse_claims([{"kind": "leans", "pole": "deterrence", "a": "absent"}], CB)
    v = robustness_verdicts(shares, loo, settings, effects, skipped=skipped).set_index("claim")
    # r: 95% and its one refit holds -> robust; f: 95% but reversed without x -> fragile; n: 40% -> not supported
    assert v["verdict"].tolist() == ["robust", "fragile", "not supported", "skipped: names an article not in the corpus"]
    assert v["loo_held"].tolist()[:3] == [1, 0, 1] and pd.isna(v["loo_held"].iloc[3])
    assert v.loc["f", "loo_breaking"] == "x"
    # stem flips 2 of 4 matched groups (50%), unit 3 of 10 (30%): stem is reported
    assert v.loc["r", ["weakest_measure", "setting", "flips", "matched", "setting_low"]].tolist() == \
        ["topic", "stem", 2, 4, "False"]
