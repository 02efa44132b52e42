"""Tests for analysis.measures.prototypes: prototypes and class-based TF-IDF computed by hand."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.measures.prototypes import PrototypeScorer, class_terms, class_tfidf
from toys import toy_codebook


@pytest.fixture
def cb(tmp_path):
    return toy_codebook(tmp_path)


TFIDF_CORPUS = ["deal deal ideology", "ideology war", "deter credibility"]


def test_prototypes_hand_computed(cb):
    # Vocabulary (stems): credibl, deal, deter, ideolog, war; n = 3 documents.
    # Smooth idf = ln((1 + n) / (1 + df)) + 1: df 1 -> ln 2 + 1 = 1.693147; df 2 -> ln(4/3) + 1 = 1.287682.
    # Each prototype keeps only its seed stem (its other words, 'zq', are not in the vocabulary),
    # so it is the unit vector of that stem.
    # Doc 1: deal 2 * 1.693147 = 3.386294, ideolog 1.287682; norm sqrt(11.466987 + 1.658125) = 3.622860
    #   cos(transactional) = 3.386294 / 3.622860 = 0.934702; cos(ideological) = 1.287682 / 3.622860 = 0.355432
    # Doc 2: ideolog 1.287682, war 1.693147; norm 2.127175; cos(ideological) = 0.605349
    # Doc 3: deter and credibl equal weights: each cosine 1 / sqrt(2) = 0.707107
    p = PrototypeScorer(cb).fit(TFIDF_CORPUS)
    out = pd.DataFrame(p.transform(TFIDF_CORPUS), columns=p.get_feature_names_out())
    assert out["tfidf_transactional"].tolist() == pytest.approx([0.934702, 0, 0], abs=1e-5)
    assert out["tfidf_ideological"].tolist() == pytest.approx([0.355432, 0.605349, 0], abs=1e-5)
    assert out["tfidf_alliance"].tolist() == pytest.approx([0.355432 - 0.934702, 0.605349, 0], abs=1e-5)
    assert out["tfidf_alliance_salience"].tolist() == pytest.approx([1.290134, 0.605349, 0], abs=1e-5)
    assert out["tfidf_force"].tolist() == pytest.approx([0, 0, 0], abs=1e-12)
    assert out["tfidf_force_salience"].tolist() == pytest.approx([0, 0, 2 * 0.707107], abs=1e-5)
    # new text: 'ideology' alone is the ideological prototype itself; unknown words score zero
    new = p.transform(["an ideology", "zzz unknown"])
    assert new[0, 1] == pytest.approx(1.0) and not new[1].any()


def test_prototype_without_corpus_overlap_is_an_error(cb):
    with pytest.raises(ValueError, match="prototype of pole 'deterrence' shares no term"):
        PrototypeScorer(cb).fit(["deal ideology credibility"])


def test_class_tfidf_hand_computed():
    # class A: a a b (3 tokens) -> L1 tf a 2/3, b 1/3; class B: b c (2 tokens) -> b 1/2, c 1/2
    # A = mean tokens per class = (3 + 2) / 2 = 2.5; f_a = 2, f_b = 2, f_c = 1
    # W(a, A) = 2/3 ln(1 + 2.5/2) = 2/3 * 0.810930 = 0.540620;  W(b, A) = 1/3 * 0.810930 = 0.270310
    # W(b, B) = 1/2 * 0.810930 = 0.405465;  W(c, B) = 1/2 ln(1 + 2.5/1) = 1/2 * 1.252763 = 0.626381
    from scipy import sparse

    counts = sparse.csr_matrix([[1, 0, 0], [1, 1, 0], [0, 1, 1]])  # units 1-2 are class A
    w, labels = class_tfidf(counts, ["A", "A", "B"])
    assert labels == ["A", "B"]
    assert w.toarray() == pytest.approx(np.array([[0.540620, 0.270310, 0], [0, 0.405465, 0.626381]]), abs=1e-6)


def test_class_terms_ranks_terms(cb):
    table = class_terms(["deal deal war", "ideology war"], ["x", "y"], codebook=cb, n=1)
    assert table[["class", "term"]].values.tolist() == [["x", "deal"], ["y", "ideolog"]]


def test_folds_on_the_same_texts_share_one_space():
    """A leave-one-writer-out fold fits on the held-out writer's texts plus the others'
    exemplars: the same texts in every fold. The space is fitted once, and the prototypes
    are those of a fit from scratch."""
    from analysis.exemplars import corpus_exemplars
    from analysis.measures import prototypes

    ex = corpus_exemplars().iloc[::8].reset_index(drop=True)
    held = (ex["writer"] == ex["writer"].iloc[0]).to_numpy()
    other = (ex["writer"] == ex["writer"].iloc[-1]).to_numpy()
    prototypes.cache_clear()
    first = PrototypeScorer().fit(ex.loc[held, "text"].tolist(), exemplars=ex[~held])
    second = PrototypeScorer().fit(ex.loc[other, "text"].tolist(), exemplars=ex[~other])
    assert len(prototypes._SPACES) == 1 and second.vectorizer_ is first.vectorizer_
    prototypes.cache_clear()
    fresh = PrototypeScorer().fit(ex.loc[other, "text"].tolist(), exemplars=ex[~other])
    assert fresh.vectorizer_ is not second.vectorizer_
    assert (fresh.prototypes_ != second.prototypes_).nnz == 0
    # a different set of texts (one text more) is a different space
    PrototypeScorer().fit(ex.loc[other, "text"].tolist() + ["A pragmatic bargain."], exemplars=ex[~other])
    assert len(prototypes._SPACES) == 2
