"""Tests for analysis.spec_units: the measures rebuilt on prepared text against the study's own."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.codebook import load_codebook
from analysis.frame_tables import unit_scores
from analysis.frames import FrameScorer
from analysis.lexicon import Lexicon
from analysis.spec_grid import spec_grid
from analysis.spec_units import clean_variants, prepare, spec_units
from toys import THREE_ARTICLES, sentences_of

CB = load_codebook()


@pytest.fixture(scope="module")
def prepared():
    return prepare(THREE_ARTICLES, sentences_of(THREE_ARTICLES), CB)


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


def _baseline_check(prepared, codebook):
    scorer = FrameScorer(codebook).fit(THREE_ARTICLES["text"].tolist())
    units = unit_scores(THREE_ARTICLES.assign(unit_id=[f"u{i}" for i in range(len(THREE_ARTICLES))]), scorer)
    base = spec_grid()
    base = base[base["baseline"]].set_index("measure")
    for measure in ("dict", "tfidf", "lss", "combined"):
        table = spec_units(prepared, base.loc[measure].to_dict() | {"measure": measure})
        for c in codebook.contrasts:
            expected = {"dict": units[f"dict_{c}"], "tfidf": units[f"tfidf_{c}"],
                        "lss": units[f"lss_{c}"] - scorer.centre_[("lss", c)], "combined": units[f"{c}_index"]}[measure]
            assert np.allclose(table[c], expected, atol=1e-10, equal_nan=True), (measure, c)
    return units


def test_baseline_reproduces_the_study_measures(prepared):
    _baseline_check(prepared, CB)


def test_a_codebook_with_a_target_window_is_reproduced_too():
    # the windowed contrast's seeds count only near a target word, while the TF-IDF and LSS
    # spaces still learn from every word — as the study's own measures do
    from analysis.codebook import with_target_window

    cb = with_target_window(CB, "alliance", 3)
    units = _baseline_check(prepare(THREE_ARTICLES, sentences_of(THREE_ARTICLES), cb), cb)
    plain = unit_scores(THREE_ARTICLES.assign(unit_id=[f"u{i}" for i in range(len(THREE_ARTICLES))]),
                        FrameScorer(CB).fit(THREE_ARTICLES["text"].tolist()))
    assert not np.allclose(units["dict_alliance"], plain["dict_alliance"])  # the window changes the evidence
    assert np.allclose(units["dict_force"], plain["dict_force"])


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


@pytest.fixture(scope="module")
def few_exemplars():
    from analysis.exemplars import corpus_exemplars

    ex = corpus_exemplars()
    return pd.concat([g.head(40) for _, g in ex.groupby("writer", sort=True)], ignore_index=True)


def test_supervised_specifications_are_the_study_implementation(few_exemplars):
    from analysis.supervised import SupervisedScorer

    prep = prepare(THREE_ARTICLES, sentences_of(THREE_ARTICLES), CB, exemplars=few_exemplars)
    grid = spec_grid(measures=["sup"])
    assert len(grid) == 36 and grid["baseline"].sum() == 1
    base = grid[grid["baseline"]].iloc[0].to_dict()
    table = spec_units(prep, base)
    assert table is not None and table["fit"].all()
    model = SupervisedScorer(CB).fit(few_exemplars["text"].tolist(), few_exemplars[list(CB.contrasts)],
                                     groups=few_exemplars["writer"].to_numpy())
    frame = model.transform_frame(THREE_ARTICLES["text"].tolist())
    for c in CB.contrasts:
        assert np.allclose(table[c], frame[f"sup_{c}"])
    # a writer subset trains on fewer exemplars and so gives other scores
    odd = spec_units(prep, {**base, "sup_writers": "odd"})
    assert not np.allclose(odd["alliance"], table["alliance"])
    # without exemplars the supervised specifications cannot be fitted
    assert spec_units(prepare(THREE_ARTICLES, None, CB), base) is None


def test_combined_specification_is_the_study_index(few_exemplars):
    prep = prepare(THREE_ARTICLES, sentences_of(THREE_ARTICLES), CB, exemplars=few_exemplars)
    base = spec_grid(measures=["combined"]).query("baseline").iloc[0].to_dict()
    table = spec_units(prep, base)
    scorer = FrameScorer(CB, exemplars=few_exemplars).fit(THREE_ARTICLES["text"].tolist())
    frame = scorer.transform_frame(THREE_ARTICLES["text"].tolist())
    for c in CB.contrasts:
        assert np.allclose(table[c], frame[f"{c}_index"], equal_nan=True)
