"""Tests for analysis.supervised: sign conventions, stance features, calibration folds, explanations."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.supervised import SupervisedScorer, _splits

TRANSACTIONAL = ["they struck a marriage of convenience over oil", "a marriage of convenience for cash and arms",
                 "convenience and cash bind the two capitals", "a cold bargain of convenience over drones"]
IDEOLOGICAL = ["more than a marriage of convenience, a shared creed", "a common creed binds the two capitals",
               "far more than a marriage of convenience, a revolutionary creed", "their creed and faith unite them"]
NONE = ["wheat prices rose in the spring", "the football season ended early", "rain fell on the capital",
        "the museum opened a new wing"]


def toy():
    texts = TRANSACTIONAL + IDEOLOGICAL + NONE
    codes = pd.DataFrame({"alliance": ["transactional"] * 4 + ["ideological"] * 4 + ["none"] * 4,
                          "force": ["none"] * 12})
    return texts * 2, pd.concat([codes, codes], ignore_index=True)


def fitted(**kw):
    texts, codes = toy()
    params = dict(C=10.0, ngram_max=1, min_df=1)
    params.update(kw)
    return SupervisedScorer(**params).fit(texts, codes, contrasts=["alliance"])


def test_signs_follow_the_codebook_poles():
    frame = fitted().transform_frame(["a creed unites them", "a bargain of convenience", "wheat and rain"])
    assert frame["sup_alliance"].iloc[0] > 0 > frame["sup_alliance"].iloc[1]
    presence = frame["sup_alliance_salience"].to_numpy()
    assert ((0 <= presence) & (presence <= 1)).all()
    assert presence[2] < min(presence[0], presence[1])


def test_rejected_words_are_their_own_features():
    coef = fitted().coefficients("alliance")
    # asserted 'convenience' leans transactional; 'convenience' set aside by "more than" leans ideological
    assert coef["convenience"] < 0 < coef["rej:convenience"]
    assert "rej:convenience" not in fitted(stance=False).coefficients("alliance").index


def test_polarity_is_the_log_odds_of_the_calibrated_probability():
    s = fitted()
    texts = ["a creed", "a bargain"]
    p = s.polarity_["alliance"].predict_proba(s.vectorizer_.transform(texts))[:, 1]
    assert s.transform_frame(texts)["sup_alliance"].to_numpy() == pytest.approx(np.log(p / (1 - p)))


def test_explanation_terms_add_up_to_the_decision_function():
    s = fitted()
    text = "far more than a marriage of convenience"
    parts = s.explain(text, "alliance", n=1000)
    base = s.polarity_["alliance"].calibrated_classifiers_[0].estimator
    decision = base.decision_function(s.vectorizer_.transform([text]))[0]
    assert parts["contribution"].sum() + base.intercept_[0] == pytest.approx(decision)
    assert (parts["contribution"].abs().diff().dropna() <= 1e-12).all()  # largest first


def test_writers_are_the_calibration_folds():
    # more writers than folds: every writer is held out whole, in exactly one fold
    groups = np.repeat(np.arange(10), 2)
    folds = _splits(np.tile([0, 1], 10), groups, seed=0)
    assert len(folds) == 4
    assert sorted(w for _, test in folds for w in set(groups[test])) == list(range(10))
    y = np.array([0, 1, 0, 1, 0, 1])
    folds = _splits(y, ["a", "a", "b", "b", "c", "c"], seed=0)
    held = [sorted(set(np.array(["a", "a", "b", "b", "c", "c"])[test])) for _, test in folds]
    assert sorted(held) == [["a"], ["b"], ["c"]]  # three writers: each fold holds out one
    # a writer with one class only cannot be a fold: stratified folds instead (as many as the rarer class allows)
    folds = _splits(np.array([0, 0, 1, 1, 0, 1]), ["a", "a", "b", "b", "c", "c"], seed=0)
    assert len(folds) == 3 and all(sorted(np.array([0, 0, 1, 1, 0, 1])[test]) == [0, 1] for _, test in folds)


@pytest.mark.parametrize("texts, codes, message", [
    (["a", "b"], pd.DataFrame({"alliance": ["none"]}), "2 texts but 1 rows of codes"),
    ([1, 2], pd.DataFrame({"alliance": ["none", "none"]}), r"X\[0\] is int, not str"),
])
def test_bad_input_is_named(texts, codes, message):
    with pytest.raises(ValueError, match=message):
        SupervisedScorer().fit(texts, codes, contrasts=["alliance"])


def test_refit_is_identical():
    a = fitted().transform_frame(["a creed", "wheat"])
    b = fitted().transform_frame(["a creed", "wheat"])
    pd.testing.assert_frame_equal(a, b)


def test_a_remembered_fit_equals_a_fresh_one():
    from analysis import supervised

    probe = ["a creed", "wheat", "a marriage of convenience"]
    supervised.cache_clear()
    fresh = fitted().transform_frame(probe)
    assert len(supervised._FITS) == 1 and len(supervised._MATRICES) == 1
    remembered = fitted().transform_frame(probe)
    pd.testing.assert_frame_equal(fresh, remembered)
    # a subset of the same exemplars reuses their analysed texts, and fits what a cold start fits
    texts, codes = toy()
    subset = SupervisedScorer(C=10.0, ngram_max=1, min_df=1).fit(texts[:12], codes[:12], contrasts=["alliance"])
    warm = subset.transform_frame(probe)
    supervised.cache_clear()
    cold = SupervisedScorer(C=10.0, ngram_max=1, min_df=1).fit(texts[:12], codes[:12], contrasts=["alliance"])
    pd.testing.assert_frame_equal(warm, cold.transform_frame(probe))


@pytest.mark.parametrize("change", ["C", "codes", "groups", "min_df"])
def test_the_remembered_fits_tell_their_inputs_apart(change):
    texts, codes = toy()
    base = SupervisedScorer(C=10.0, ngram_max=1, min_df=1)
    a = base.fit(texts, codes, groups=["w1", "w2"] * 12, contrasts=["alliance"]).transform_frame(["a creed"])
    other = SupervisedScorer(C=0.01 if change == "C" else 10.0, ngram_max=1, min_df=3 if change == "min_df" else 1)
    if change == "codes":
        codes = codes.replace({"transactional": "ideological", "ideological": "transactional"})
    groups = ["w1", "w2"] * 12 if change != "groups" else ["w1"] * 12 + ["w2"] * 12
    b = other.fit(texts, codes, groups=groups, contrasts=["alliance"]).transform_frame(["a creed"])
    assert not np.allclose(a.to_numpy(), b.to_numpy())


@pytest.mark.parametrize("ngram_max, min_df, stopwords", [(2, 2, False), (1, 1, False), (2, 3, True)])
def test_coded_counting_learns_scikit_learns_vocabulary_and_matrix(ngram_max, min_df, stopwords):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from analysis import supervised
    from analysis.exemplars import corpus_exemplars

    supervised.cache_clear()
    scorer = SupervisedScorer(ngram_max=ngram_max, min_df=min_df, stopwords=stopwords)
    texts = corpus_exemplars()["text"].tolist()
    table, codes = scorer._codes(texts[::-1])  # codes given in another order than the fit's
    table, codes = scorer._codes(texts)
    tokens = [[table.terms[c] for c in doc] for doc in codes]
    assert tokens[:50] == [scorer._vectorizer().analyzer(t) for t in texts[:50]]
    coded = scorer._vectorizer()
    plain = TfidfVectorizer(**coded.get_params())
    want = plain.fit_transform(tokens)
    got = coded.fit_codes(codes, table)
    assert coded.vocabulary_ == plain.vocabulary_
    assert list(coded.vocabulary_) == list(plain.vocabulary_)
    assert np.array_equal(coded.idf_, plain.idf_)
    for part in ("data", "indices", "indptr"):  # the same entries, stored in the same order
        a, b = getattr(got, part), getattr(want, part)
        assert a.dtype == b.dtype and np.array_equal(a, b), part


@pytest.mark.parametrize("params", [dict(ngram_max=2, min_df=2), dict(ngram_max=2, min_df=1, stopwords=True),
                                    dict(ngram_max=1, min_df=1, stance=False)])
def test_scoring_matrix_is_the_vectorizers_matrix(params):
    """Texts are tokenised and counted as one batch when scored; the TF-IDF rows are those of
    the fitted vectorizer's own ``transform``, to the last bit."""
    from analysis.corpus import load_corpus
    from analysis.exemplars import corpus_exemplars

    ex = corpus_exemplars().iloc[::4]
    s = SupervisedScorer(**params).fit(ex["text"].tolist(), ex[["alliance", "force"]], groups=ex["writer"].tolist())
    texts = load_corpus().paragraphs["text"].tolist() + ["", "Not a creed.", "\u03a3 far more than a bargain"]
    got, want = s._matrix(texts), s.vectorizer_.transform(texts)
    assert got.nnz > 1000
    for part in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(got, part), getattr(want, part)), part


def test_a_refit_does_not_depend_on_the_fits_before_it():
    """A fit that reuses the remembered feature matrix gives the same bits as the first fit
    in a fresh process (the first classifier used to sort the shared matrix in place)."""
    from analysis import supervised
    from analysis.exemplars import corpus_exemplars

    ex = corpus_exemplars().iloc[::3]
    fit = lambda: SupervisedScorer().fit(ex["text"].tolist(), ex[["alliance", "force"]],  # noqa: E731
                                         groups=ex["writer"].tolist()).transform_frame(ex["text"].tolist())
    saved = (dict(supervised._FITS), dict(supervised._MATRICES))
    try:
        supervised._FITS.clear()
        supervised._MATRICES.clear()
        first = fit()
        supervised._FITS.clear()  # the matrix is remembered, the fit is not
        again = fit()
    finally:
        supervised._FITS.update(saved[0])
        supervised._MATRICES.update(saved[1])
    assert first.equals(again)
