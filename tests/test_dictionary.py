"""Tests for analysis.measures.dictionary: rates and index computed by hand on a toy codebook."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.lexicon import Lexicon
from analysis.measures.dictionary import DictionaryScorer
from analysis.measures.prototypes import PrototypeScorer
from toys import COMBO, toy_codebook


@pytest.fixture
def cb(tmp_path):
    return toy_codebook(tmp_path)


def test_dictionary_hand_computed(cb):
    d = DictionaryScorer(cb).fit()
    names = list(d.get_feature_names_out())
    out = pd.DataFrame(d.transform([
        # 7 words; transactional 1 (the multiword), ideology negated.
        # rate 1000 * 1 / 7 = 142.857; index log((0 + .5) / (1 + .5)) = -1.0986
        "A marriage of convenience, not an ideology.",
        # 15 words; 'deal' negated by neither/nor, 'resistance' masked, 'ideology' after ', but' counts:
        # ideological rate 1000 / 15 = 66.667; index log(1.5 / .5) = 1.0986
        "It is neither recent nor a deal, but an ideology of the axis of resistance.",
        # 14 words: deter 1, credibility 1, deal 1 (the capitalised 'New Deal' is masked);
        # each rate 1000 / 14 = 71.429; force index log(1.5 / 1.5) = 0; force salience 142.857
        "They deter attacks to protect their credibility, and the New Deal was a deal.",
        "",  # no words: every rate and index 0
    ]), columns=names)
    assert out["dict_transactional"].tolist() == pytest.approx([142.857, 0, 71.429, 0], abs=1e-3)
    assert out["dict_ideological"].tolist() == pytest.approx([0, 66.667, 0, 0], abs=1e-3)
    assert out["dict_alliance"].tolist() == pytest.approx([-1.0986, 1.0986, -1.0986, 0], abs=1e-4)
    assert out["dict_alliance_salience"].tolist() == pytest.approx([142.857, 66.667, 71.429, 0], abs=1e-3)
    assert out["dict_force"].tolist() == pytest.approx([0, 0, 0, 0])
    assert out["dict_force_salience"].tolist() == pytest.approx([0, 0, 142.857, 0], abs=1e-3)
    assert out["dict_tokens"].tolist() == [7, 15, 14, 0]


def test_dictionary_match_table(cb):
    table = DictionaryScorer(cb).fit().match_table(["not a deal, ideology"], ["u1"])
    assert table[["unit_id", "term", "pole", "negated"]].values.tolist() == [
        ["u1", "deal", "transactional", True], ["u1", "ideology", "ideological", False]]


@pytest.mark.parametrize("bad, message", [
    ("one text", "not a single string"),
    ([1, 2], r"X\[0\] is int"),
])
def test_dictionary_rejects_bad_input(cb, bad, message):
    with pytest.raises(ValueError, match=message):
        DictionaryScorer(cb).fit().transform(bad)


def test_target_window_counts_and_features(targeted):
    cb, plain = targeted
    texts = ["a deal of sorts with them", "a pact and deal", "an ideology for allies"]
    d = DictionaryScorer(cb).fit()
    counts, _ = d.counts(texts)
    assert counts[:, :2].tolist() == [[0, 0], [1, 0], [0, 1]]
    assert DictionaryScorer(plain).fit().counts(texts)[0][:, :2].tolist() == [[1, 0], [1, 0], [0, 1]]
    # an off-target seed leaves the bag of words of the other two measures too
    assert Lexicon(cb).features(texts[0]) == ["sort"]
    assert Lexicon(cb).features(texts[0], targeted=False) == ["deal", "sort"]
    # the prototypes are the codebook's own text: no window applies to them
    p_t, p_p = PrototypeScorer(cb).fit(COMBO), PrototypeScorer(plain).fit(COMBO)
    assert (p_t.prototypes_ != p_p.prototypes_).nnz == 0
