"""Tests for analysis.multiverse: claims, the specification grid, the rebuilt measures against
analysis.frames, shares computed by hand on a toy corpus, leave-one-out and determinism."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.codebook import load_codebook
from analysis.frame_tables import unit_scores
from analysis.frames import FrameScorer
from analysis.lexicon import Lexicon
from analysis.multiverse import (BASELINE, article_positions, claim_margin, claim_outcome, claim_shares,
                                 claims_split, clean_variants, grid_summary, leave_one_out, loo_summary,
                                 multiverse_run, parse_claims, prepare, robustness_verdicts, setting_effects, setting_shares,
                                 spec_grid, spec_units)
from analysis.sentences import sentence_spans, sentence_tokenizer

CB = load_codebook()

PARAGRAPHS = pd.DataFrame({
    "doc_id": ["a", "a", "b", "b", "c", "c"],
    "text": [
        "The pact is a marriage of convenience and a bargain between rivals. Each side seeks leverage.",
        "Their shared ideology and revolutionary solidarity bind the axis. It is a brotherhood of creed.",
        "Missile strikes aim to deter attack through the threat of retaliation and escalation.",
        "The strike was meant to show strength and protect credibility and reputation before audiences.",
        "Officials met in the capital to discuss trade and oil. Nothing else was agreed on the bargain.",
        "Not an ideological alliance but a pragmatic deal, analysts said. Mistrust remains, and resolve too.",
    ]})


def sentences_of(paragraphs):
    """Sentences split as load_corpus splits them (Punkt trained on the paragraphs)."""
    tok = sentence_tokenizer(paragraphs["text"])
    rows = [dict(doc_id=d, text=t[s:e]) for d, t in zip(paragraphs["doc_id"], paragraphs["text"])
            for s, e in sentence_spans(tok, t)]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def prepared():
    return prepare(PARAGRAPHS, sentences_of(PARAGRAPHS), CB)


# -- claims ------------------------------------------------------------------------------

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


# -- preparation -----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Not an ideological alliance, but a Marriage of Convenience.",
    "Iran’s allies cite the Axis of Resistance and their shared ideology.",
    "It is neither recent nor transactional; deterrence failed.",
])
def test_clean_variants_lowercase_is_the_study_cleaning(text):
    lexicon = Lexicon(CB)
    lower, cased, n, _ = clean_variants(lexicon, text)
    assert lower == lexicon.clean(text)
    assert cased.lower() == lower


@pytest.mark.parametrize("text, hits", [
    # listed form and case: counts under every variant
    ("a bargain", [("transactional", True, True)]),
    # another form of the stem: only with stemming; capitalised: only with lowercasing
    ("Bargains", [("transactional", False, False)]),
    # the codebook writes 'anti-Western' with a capital: that case is its own
    ("anti-Western", [("ideological", True, True)]),
    ("anti-western", [("ideological", True, False)]),
    # negated seeds are not counted at all
    ("not a bargain", []),
])
def test_clean_variants_match_flags(text, hits):
    assert clean_variants(Lexicon(CB), text)[3] == hits


# -- the grid -------------------------------------------------------------------------------

def test_spec_grid_counts_by_hand():
    # dict: 2 lowercase x 2 stem x 1 unit x 1 smoothing = 4
    g = spec_grid(values={"unit": ("paragraph",), "smoothing": (0.5,)}, measures=["dict"])
    assert len(g) == 4 and g["baseline"].sum() == 1
    # tfidf: (lowercase, stem) pairs without (False, True) = 3, x 1 x 1 x 1 x 1 = 3
    g = spec_grid(values={"stopwords": ("none",), "min_df": (1,), "ngram": ("1-1",), "unit": ("paragraph",)},
                  measures=["tfidf"], baseline={"stopwords": "none"})
    assert len(g) == 3
    assert g[["lowercase", "stem"]].values.tolist() == [[True, True], [True, False], [False, False]]
    # a baseline value outside the grid is added to it
    g = spec_grid(values={"topic_k": (5,)}, measures=["topic"], baseline={"topic_k": 7})
    assert sorted(g["topic_k"].unique()) == [5, 7]
    # settings that do not touch a measure stay empty, integers stay integers
    assert g["lowercase"].isna().all() and isinstance(g["min_df"].iloc[0], int)
    with pytest.raises(ValueError, match="measure must be one of"):
        spec_grid(measures=["wordfish"])


def test_grid_summary():
    g = spec_grid(values={"unit": ("paragraph",), "smoothing": (0.5,)}, measures=["dict"])
    assert grid_summary(g).values.tolist() == [["dict", 4, "lowercase (True, False); stem (True, False); "
                                                           "unit (paragraph); smoothing (0.5)"]]


# -- the measures rebuilt against analysis.frames -----------------------------------------------

def test_baseline_reproduces_the_study_measures(prepared):
    scorer = FrameScorer(CB).fit(PARAGRAPHS["text"].tolist())
    units = unit_scores(PARAGRAPHS.assign(unit_id=[f"u{i}" for i in range(len(PARAGRAPHS))]), scorer)
    base = spec_grid()
    base = base[base["baseline"]].set_index("measure")
    for measure in ("dict", "tfidf", "lss", "combined"):
        table = spec_units(prepared, base.loc[measure].to_dict() | {"measure": measure})
        for c in CB.contrasts:
            expected = {"dict": units[f"dict_{c}"], "tfidf": units[f"tfidf_{c}"],
                        "lss": units[f"lss_{c}"] - scorer.centre_[("lss", c)], "combined": units[f"{c}_index"]}[measure]
            assert np.allclose(table[c], expected, atol=1e-10, equal_nan=True), (measure, c)


def test_dictionary_variants_by_hand():
    paragraphs = pd.DataFrame({"doc_id": ["x", "y"], "text": ["ideologies and a Bargain", "solidarity"]})
    prep = prepare(paragraphs, None, CB)
    counts = {key: m[0].tolist() for key, m in prep.units["paragraph"].counts.items()}
    # poles in codebook order: transactional, ideological, deterrence, credibility
    # 'ideologies': another form of 'ideology' (needs stemming), lower case (any case setting);
    # 'Bargain': the listed form, capitalised (needs lowercasing)
    assert counts[(True, True)] == [1, 1, 0, 0]
    assert counts[(True, False)] == [1, 0, 0, 0]
    assert counts[(False, True)] == [0, 1, 0, 0]
    assert counts[(False, False)] == [0, 0, 0, 0]


# -- the sweep on a toy corpus, shares by hand -----------------------------------------------------

def test_multiverse_share_by_hand():
    paragraphs = pd.DataFrame({"doc_id": ["x", "y"], "text": ["ideologies and a Bargain", "solidarity"]})
    prep = prepare(paragraphs, None, CB)
    specs = spec_grid(values={"unit": ("paragraph",), "smoothing": (0.5,)}, measures=["dict"])
    claims = parse_claims([{"kind": "leans", "pole": "ideological", "a": "x"},
                           {"kind": "most", "pole": "ideological", "a": "x"}], CB)
    results = multiverse_run(prep, specs, claims)
    leans = results[results["claim"] == claims[0].label].set_index(["lowercase", "stem"])["holds"]
    # x's counts (transactional, ideological) per (lowercase, stem), from the test above:
    # (T,T) 1,1 -> log(1.5/1.5) = 0: does not hold;  (T,F) 1,0 -> log(0.5/1.5) < 0: does not hold;
    # (F,T) 0,1 -> log(1.5/0.5) > 0: holds;          (F,F) 0,0 -> no evidence: undefined.
    assert not leans[(True, True)]
    assert not leans[(True, False)] and leans[(False, True)] and pd.isna(leans[(False, False)])
    # y ('solidarity', listed form, lower case) is at log(1.5/0.5) = log 3 in every specification;
    # x is never above it (equal at (F,T)): the 'most' claim holds in none of the three evaluated.
    shares = claim_shares(results, claims).set_index("claim")
    assert shares.loc[claims[0].label, ["specs", "evaluated", "held"]].tolist() == [4, 3, 1]
    assert shares.loc[claims[0].label, "share"] == pytest.approx(1 / 3)
    assert shares.loc[claims[1].label, "share"] == 0.0
    by_value = setting_shares(results).set_index(["claim", "setting", "value"])["share"]
    # leans, stem = True: (T,T) fails, (F,T) holds -> 1/2; stem = False: only (T,F), fails -> 0
    assert by_value[(claims[0].label, "stem", "True")] == 0.5
    assert by_value[(claims[0].label, "stem", "False")] == 0.0
    assert results.columns[:2].tolist() == ["spec_id", "measure"]
    assert {"claim", "holds", "margin", "fitted"} <= set(results.columns)


def test_leave_one_out_never_drops_a_named_article(prepared):
    claims = parse_claims([{"kind": "more", "pole": "ideological", "a": "a", "b": "c"},
                           {"kind": "most", "pole": "credibility", "a": "b"}], CB)
    specs = spec_grid(measures=["dict", "tfidf"])
    base = specs[specs["baseline"]]
    loo = leave_one_out(prepared, base, claims)
    more = loo[loo["claim"] == claims[0].label]
    assert sorted(set(more["left_out"])) == ["b"]
    assert sorted(set(loo.loc[loo["claim"] == claims[1].label, "left_out"])) == ["a", "c"]
    # the dictionary learns nothing from the corpus: every refit gives the full-corpus answer
    full = multiverse_run(prepared, base, claims).set_index(["measure", "claim"])["holds"]
    dict_loo = loo[loo["measure"] == "dict"]
    assert all(h == full[("dict", c)] for c, h in zip(dict_loo["claim"], dict_loo["holds"]))
    summary = loo_summary(loo)
    assert summary.columns.tolist() == ["claim", "measure", "refits", "evaluated", "held", "breaking", "undefined"]


def test_sweep_is_deterministic_and_reports_progress(prepared, capsys):
    claims = parse_claims([{"kind": "more", "pole": "credibility", "a": "b", "b": "a"}], CB)
    specs = spec_grid(values={"lowercase": (True,), "stem": (True,), "stopwords": ("scikit-learn",),
                              "min_df": (1,), "ngram": ("1-1",), "unit": ("paragraph",), "lss_context": ("sentence",),
                              "lss_k": (3,), "topic_k": (2,)},
                      measures=["tfidf", "lss", "topic", "combined"],
                      baseline={"lss_k": 3, "topic_k": 2})
    first = multiverse_run(prepared, specs, claims, progress=True)
    assert "specifications" in capsys.readouterr().err
    second = multiverse_run(prepared, specs, claims, progress=False)
    assert capsys.readouterr().err == ""
    pd.testing.assert_frame_equal(first, second)
    assert first["fitted"].all()


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


def test_prepare_refuses_a_codebook_with_a_target_window(study_corpus):
    from analysis.codebook import load_codebook, with_target_window

    cb = with_target_window(load_codebook(), "alliance", 10)
    with pytest.raises(ValueError, match="target_window = 0"):
        prepare(study_corpus.paragraphs, study_corpus.sentences, cb)


@pytest.fixture(scope="module")
def few_exemplars():
    from analysis.exemplars import corpus_exemplars

    ex = corpus_exemplars()
    return pd.concat([g.head(40) for _, g in ex.groupby("writer", sort=True)], ignore_index=True)


def test_supervised_specifications_are_the_study_implementation(few_exemplars):
    from analysis.supervised import SupervisedScorer

    prep = prepare(PARAGRAPHS, sentences_of(PARAGRAPHS), CB, exemplars=few_exemplars)
    grid = spec_grid(measures=["sup"])
    assert len(grid) == 36 and grid["baseline"].sum() == 1
    base = grid[grid["baseline"]].iloc[0].to_dict()
    table = spec_units(prep, base)
    assert table is not None and table["fit"].all()
    model = SupervisedScorer(CB).fit(few_exemplars["text"].tolist(), few_exemplars[list(CB.contrasts)],
                                     groups=few_exemplars["writer"].to_numpy())
    frame = model.transform_frame(PARAGRAPHS["text"].tolist())
    for c in CB.contrasts:
        assert np.allclose(table[c], frame[f"sup_{c}"])
    # a writer subset trains on fewer exemplars and so gives other scores
    odd = spec_units(prep, {**base, "sup_writers": "odd"})
    assert not np.allclose(odd["alliance"], table["alliance"])
    # without exemplars the supervised specifications cannot be fitted
    assert spec_units(prepare(PARAGRAPHS, None, CB), base) is None


def test_combined_specification_is_the_study_index(few_exemplars):
    prep = prepare(PARAGRAPHS, sentences_of(PARAGRAPHS), CB, exemplars=few_exemplars)
    base = spec_grid(measures=["combined"]).query("baseline").iloc[0].to_dict()
    table = spec_units(prep, base)
    scorer = FrameScorer(CB, exemplars=few_exemplars).fit(PARAGRAPHS["text"].tolist())
    frame = scorer.transform_frame(PARAGRAPHS["text"].tolist())
    for c in CB.contrasts:
        assert np.allclose(table[c], frame[f"{c}_index"], equal_nan=True)
