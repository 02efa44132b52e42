"""Tests for analysis.multiverse: shares computed by hand on a toy corpus, leave-one-out and determinism."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.claims import parse_claims
from analysis.codebook import load_codebook
from analysis.multiverse import leave_one_out, multiverse_run
from analysis.robustness import claim_shares, loo_summary, setting_shares
from analysis.spec_grid import spec_grid
from analysis.spec_units import prepare
from toys import THREE_ARTICLES, sentences_of

CB = load_codebook()


@pytest.fixture(scope="module")
def prepared():
    return prepare(THREE_ARTICLES, sentences_of(THREE_ARTICLES), CB)


def test_multiverse_share_by_hand():
    paragraphs = pd.DataFrame({"doc_id": ["x", "y"], "text": ["ideologies and a Bargain", "solidarity"]})
    prep = prepare(paragraphs, None, CB)
    specs = spec_grid(values={"unit": ("paragraph",), "smoothing": (0.5,)}, measures=["dict"])
    claims = parse_claims([{"kind": "leans", "pole": "ideological", "a": "x"},
                           {"kind": "most", "pole": "ideological", "a": "x"}], CB)
    results = multiverse_run(prep, specs, claims)
    leans = results[results["claim"] == claims[0].label].set_index(["lowercase", "stem"])["holds"]
    # x's counts (transactional, ideological) per (lowercase, stem), as in test_spec_units.py:
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


