"""Tests for analysis.frames: each measure against values computed by hand on toy corpora,
the negation and false-friend rules, the combination, and the study's face-validity checks."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from analysis import config
from analysis.codebook import load_codebook
from analysis.frames import (DictionaryScorer, FrameScorer, LatentScaler, Lexicon, PrototypeScorer, class_terms,
                             class_tfidf, column_weights, doc_differences, measure_agreement, score_corpus,
                             seed_concordance,
                             unit_weights)
from toys import COMBO, toy_codebook


@pytest.fixture
def cb(tmp_path):
    return toy_codebook(tmp_path)


# -- matching, false friends and negation ----------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # the two cases named in the study's brief
    ("It is neither recent nor a deal.", [("deal", True)]),
    ("This is not an ideology alliance.", [("ideology", True)]),
    # pseudo-negation opens no scope; a comma closes one
    ("Not only a deal but an ideology", [("deal", False), ("ideology", False)]),
    ("Not a deal, an ideology", [("deal", True), ("ideology", False)]),
    # terminator word closes the scope
    ("no doubt about it", []),
    ("never a deal but ideology", [("deal", True), ("ideology", False)]),
    # window: the cue covers five words after it, not six
    ("not a b c d ideology", [("ideology", True)]),
    ("not a b c d e ideology", [("ideology", False)]),
    # multiword cue and n't
    ("a deal rather than ideology", [("deal", False), ("ideology", True)]),
    ("Iran doesn't deter; it wants credibility", [("deter", True), ("credibility", False)]),
    # multiword seed, longest first; stems match inflections
    ("a marriage of convenience and two deals", [("marriage of convenience", False), ("deal", False)]),
    ("Marriages of Convenience", [("marriage of convenience", False)]),
    # false friends: masked whatever the case, or only in the proper-name spelling
    ("the Axis of Resistance and resistance", [("resistance", False)]),
    ("the New Deal, a new deal", [("deal", False)]),
])
def test_matches(cb, text, expected):
    assert [(m.term, m.negated) for m in Lexicon(cb).matches(text)] == expected


def test_clean_drops_masked_and_negated_and_joins_multiword(cb):
    assert Lexicon(cb).clean("Not a deal: a marriage of convenience, not the axis of resistance.") == \
        "not a a marriage-of-convenience not the"


def test_study_codebook_negation_examples():
    lex = Lexicon(load_codebook())
    assert [(m.term, m.negated) for m in lex.matches("The relationship is neither recent nor transactional.")] == \
        [("transactional", True)]
    assert [(m.term, m.negated) for m in lex.matches("This is not an ideological alliance.")] == \
        [("ideology", True)]
    assert lex.matches("a 20-year strategic partnership and the axis of resistance") == []


# -- 1. dictionary ----------------------------------------------------------------------

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


# -- 2. TF-IDF prototypes and c-TF-IDF --------------------------------------------------

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


# -- 3. latent semantic scaling ----------------------------------------------------------

LSS_CORPUS = ["deter shared", "credibility shared", "deter shared"]


def test_lss_hand_computed(tmp_path):
    cb = toy_codebook(tmp_path, contrasts=("force",))
    # Terms (stems, sorted): credibl, deter, share. df: 1, 2, 3 -> idf c = 1.693147, a = 1.287682, 1.
    # Rows (before l2 norm): r1 = (0, a, 1) twice, r2 = (c, 0, 1); rank 2, so k = 2 right singular
    # vectors span the row space and V V^T is the projector P = I - n n^T / |n|^2 with
    # n = r1 x r2 = (a, c, -a c) in (credibl, deter, share) order = (1.287682, 1.693147, -2.180242),
    # |n|^2 = 1.658125 + 2.866747 + 4.753455 = 9.278327.
    # P_cc = 1 - 1.658125/9.278327 = 0.821289, P_dd = 0.691025, P_ss = 0.487682,
    # P_cd = -(a c)/|n|^2 = -0.234982, P_cs = a^2 c / |n|^2 = 0.302583, P_ds = a c^2 / |n|^2 = 0.397859.
    # Row cosines P_ij / sqrt(P_ii P_jj): cos(c, d) = -0.311918, cos(c, s) = 0.478111, cos(d, s) = 0.685353.
    # Seeds: deter weight -1, credibl weight +1, so polarity(t) = cos(t, credibl) - cos(t, deter):
    # credibl 1 + 0.311918 = 1.311918; deter -0.311918 - 1 = -1.311918; share 0.478111 - 0.685353 = -0.207242.
    lss = LatentScaler(cb, n_components=2, context="paragraph").fit(LSS_CORPUS)
    assert list(lss.vocabulary_) == ["credibl", "deter", "share"]
    assert lss.polarity_[:, 0] == pytest.approx([1.311918, -1.311918, -0.207242], abs=1e-4)
    # Unit 'shared credibility credibility': n = 3, score = (-0.207242 + 2 * 1.311918) / 3 = 0.805531;
    # se = sqrt((1.012773^2 + 2 * 0.506387^2) / 3) / sqrt(3) = sqrt(0.512856) / 1.732051 = 0.413464.
    out = lss.transform(["shared credibility credibility", "nothing known here", "credibility"])
    assert out[0] == pytest.approx([0.805531, 0.413464, 3], abs=1e-4)
    assert np.isnan(out[1, 0]) and np.isnan(out[1, 1]) and out[1, 2] == 0  # no model term: no score
    assert out[2, 0] == pytest.approx(1.311918, abs=1e-4) and np.isnan(out[2, 1])  # one term: no se
    assert lss.seeds_[["pole", "feature", "weight"]].values.tolist() == [
        ["deterrence", "deter", -1.0], ["credibility", "credibl", 1.0]]


def test_lss_diagnostics(tmp_path):
    cb = toy_codebook(tmp_path, contrasts=("force",), deterrence=("deter", "retaliation"))
    # 'deter' and 'retaliation' always occur together, so their vectors are identical: each weighs
    # -1/2 and leaving either out (the other then weighs -1) leaves every polarity unchanged.
    corpus = ["deter retaliation shared", "credibility shared", "deter retaliation shared", "credibility prestige"]
    lss = LatentScaler(cb, n_components=2, context="paragraph").fit(corpus)
    assert sorted(lss.seeds_["weight"].tolist()) == [-0.5, -0.5, 1.0]
    stab = lss.seed_stability(corpus, "force")
    deter = stab[stab.pole == "deterrence"]
    assert deter["r"].tolist() == pytest.approx([1.0, 1.0]) and deter["max_shift"].tolist() == pytest.approx([0, 0])
    assert np.isnan(stab.loc[stab.pole == "credibility", "r"]).all()  # a pole's only seed cannot be left out
    polar = lss.polar_terms("force", n=1)
    assert polar[["pole", "term"]].values.tolist() == [["deterrence", "share"], ["credibility", "prestig"]]


def test_lss_is_seeded_and_reproducible(tmp_path):
    cb = toy_codebook(tmp_path)
    corpus = ["a deal of convenience for now", "shared values and ideology", "deter by retaliation",
              "credibility and resolve matter", "a deal, then credibility", "ideology and deterrence"] * 2
    a = LatentScaler(cb, n_components=3, algorithm="randomized").fit(corpus).transform(corpus)
    b = clone(LatentScaler(cb, n_components=3, algorithm="randomized")).fit(corpus).transform(corpus)
    assert np.array_equal(a, b, equal_nan=True)


def test_lss_needs_a_seed_per_pole(tmp_path):
    cb = toy_codebook(tmp_path, contrasts=("force",))
    with pytest.raises(ValueError, match="no seed term of pole 'credibility' occurs in the corpus"):
        LatentScaler(cb, context="paragraph").fit(["deter this", "deter that", "other words"])


# -- combination -------------------------------------------------------------------------


def test_combined_index_is_mean_of_standardised_measures(cb):
    scorer = FrameScorer(cb, n_components=2, context="paragraph").fit(COMBO)
    out = scorer.transform_frame(COMBO)
    # dictionary alliance index: log(.5/1.5) = -1.0986 for 'deal', +1.0986 for 'ideology', 0 elsewhere;
    # its sd (ddof 1) over the six units is sqrt(2 * 1.0986^2 / 5) = 0.694833, and it is not centred,
    # so z = [-1.581139, 0, 1.581139, 0, 0, 0].
    assert out["z_dict_alliance"].tolist() == pytest.approx([-1.581139, 0, 1.581139, 0, 0, 0], abs=1e-5)
    lss = out["lss_alliance"]
    assert out["z_lss_alliance"].to_numpy() == pytest.approx(((lss - lss.mean()) / lss.std(ddof=1)).to_numpy())
    expected = out[["z_dict_alliance", "z_tfidf_alliance", "z_lss_alliance"]].mean(axis=1)
    assert out["alliance_index"].to_numpy() == pytest.approx(expected.to_numpy())
    assert (out[["alliance_salience", "force_salience"]] >= 0).all().all()
    # salience: each measure's salience divided by its corpus mean, then averaged; the corpus mean is 1
    assert out["alliance_salience"].mean() == pytest.approx(1.0)
    assert list(out.columns[:4]) == ["alliance_index", "force_index", "alliance_salience", "force_salience"]


def test_fit_once_transform_many(cb):
    scorer = FrameScorer(cb, n_components=2, context="paragraph").fit(COMBO)
    one = scorer.transform(["a deal here", "credibility there"])
    two = scorer.transform(["credibility there"])
    assert one[1] == pytest.approx(two[0], nan_ok=True)  # a unit's score does not depend on its neighbours


def _toy_units(cb, doc_ids=("a", "a", "a", "b", "b", "b")):
    paragraphs = pd.DataFrame({"doc_id": list(doc_ids), "unit_id": [f"u{i}" for i in range(6)], "text": COMBO})
    return score_corpus(paragraphs, scorer=FrameScorer(cb, n_components=2, context="paragraph").fit(COMBO),
                        n_boot=200)


def test_score_corpus_tables(cb):
    units, docs = _toy_units(cb)
    assert list(units.columns[:7]) == ["doc_id", "unit_id", "text", "alliance_index", "force_index",
                                       "alliance_salience", "force_salience"]
    assert list(docs.columns[:9]) == ["doc_id", "alliance_index", "alliance_low", "alliance_high", "force_index",
                                      "force_low", "force_high", "alliance_salience", "force_salience"]
    assert docs["doc_id"].tolist() == ["a", "b"] and docs["n_units"].tolist() == [3, 3]
    assert docs.loc[0, "alliance_low"] <= docs.loc[0, "alliance_index"] <= docs.loc[0, "alliance_high"]
    # article b says nothing about alliances (no seed, no prototype term): it has no position there
    assert np.isnan(docs.loc[1, "alliance_index"]) and docs.loc[1, "alliance_salience"] == 0
    # article position = evidence-weighted mean of its paragraphs (weights: salience x tokens)
    a = units[units.doc_id == "a"]
    w = a["alliance_salience"] * a["dict_tokens"]
    assert docs.loc[0, "alliance_index"] == pytest.approx((w * a["alliance_index"]).sum() / w.sum())
    # article salience = length-weighted mean, so the dictionary's is the pooled rate: article a has
    # 3 + 2 + 2 = 7 words ('deal x zq', 'x x', 'ideology x') and 2 alliance matches -> 1000 * 2 / 7
    assert docs.loc[0, "dict_alliance_salience"] == pytest.approx(1000 * 2 / 7)


def test_weights_helpers():
    u = pd.DataFrame({"dict_tokens": [4, 2], "alliance_salience": [0.5, 0.0]})
    assert unit_weights(u, ["alliance"]).to_dict("list") == {"tokens": [4.0, 2.0], "alliance_evidence": [2.0, 0.0]}
    assert column_weights(["alliance_index", "alliance_salience"], ["alliance"]) == {
        "alliance_index": "alliance_evidence", "alliance_salience": "tokens"}


def test_doc_differences_and_agreement(cb):
    units, _ = _toy_units(cb, doc_ids=("a", "a", "b", "a", "b", "b"))
    diffs = doc_differences(units, ["alliance", "force"], n_perm=50, n_boot=50)
    assert diffs[["measure", "doc_a", "doc_b"]].values.tolist() == [["alliance_index", "a", "b"],
                                                                    ["force_index", "a", "b"]]
    assert diffs["q_value"].notna().all() and (diffs["q_value"] >= diffs["p_value"]).all()
    table, summary = measure_agreement(units, "alliance")
    assert summary["framed"] == 2  # only 'deal x zq' and 'ideology x' hold an alliance seed
    assert set(table["unit_id"]) == {"u0", "u2"}


def test_score_corpus_rejects_bad_tables(cb):
    with pytest.raises(ValueError, match="no column 'unit_id'"):
        score_corpus(pd.DataFrame({"doc_id": ["a"], "text": ["x"]}), cb)
    with pytest.raises(ValueError, match="unit_id 'u' occurs twice"):
        score_corpus(pd.DataFrame({"doc_id": ["a", "a"], "unit_id": ["u", "u"], "text": ["x", "y"]}), cb)


# -- the study: do the measures recover what a careful reader sees? -----------------------

DOC_SCORES = config.ROOT / "results" / "tables" / "doc_scores.csv"
needs_results = pytest.mark.skipif(not DOC_SCORES.exists(),
                                   reason="results/tables/doc_scores.csv does not exist yet: run `make report`")


@pytest.fixture(scope="module")
def study_docs():
    return pd.read_csv(DOC_SCORES).set_index("doc_id")


TRANSFER = ("known failure, reported rather than tuned away: the alliance index is the supervised measure, "
            "chosen by leave-one-writer-out cross-validation on the written exemplars; it was never fitted to the "
            "articles, and on them it ranks Lobel 2022 among the most transactional (README, 'What the study finds')")


@needs_results
@pytest.mark.xfail(strict=True, reason=TRANSFER)
def test_lobel_is_the_most_ideological(study_docs):
    assert study_docs["alliance_index"].idxmax() == "lobel-2022"


@needs_results
def test_bpj_leans_transactional(study_docs):
    assert study_docs.loc["bpj-2015", "alliance_index"] < 0


@needs_results
@pytest.mark.xfail(strict=True, reason=TRANSFER)
def test_bpj_is_more_transactional_than_lobel(study_docs):
    assert study_docs.loc["bpj-2015", "alliance_index"] < study_docs.loc["lobel-2022", "alliance_index"]


@needs_results
def test_aljazeera_is_the_most_credibility_framed(study_docs):
    assert study_docs["force_index"].idxmax() == "aljazeera-2024"


@needs_results
def test_wsj_leans_more_to_deterrence_than_aljazeera(study_docs):
    assert study_docs.loc["wsj-2024", "force_index"] < study_docs.loc["aljazeera-2024", "force_index"]


@needs_results
def test_study_intervals_contain_estimates(study_docs):
    for c in ("alliance", "force"):
        assert (study_docs[f"{c}_low"] <= study_docs[f"{c}_index"]).all()
        assert (study_docs[f"{c}_index"] <= study_docs[f"{c}_high"]).all()
    assert (study_docs[["alliance_salience", "force_salience"]] >= 0).all().all()
    assert not math.isnan(study_docs["alliance_index"].sum())


# -- target-word windows ---------------------------------------------------------------

@pytest.fixture
def targeted(tmp_path):
    """The toy codebook with alliance targets 'ally' and 'pact' and a window of 2 words."""
    from analysis.codebook import with_target_window

    cb = toy_codebook(tmp_path)
    path = tmp_path / "codebook.toml"
    text = path.read_text(encoding="utf-8").replace(
        'negative = "transactional"', 'negative = "transactional"\ntargets = ["ally", "pact"]')
    path.write_text(text, encoding="utf-8")
    return with_target_window(load_codebook(path), "alliance", 2), cb


@pytest.mark.parametrize("text, expected", [
    # (term, negated, off_target) for each match, counted by hand with a 2-word window
    ("a deal with an ally", [("deal", False, True)]),            # 'ally' is 3 words after 'deal'
    ("a deal with ally", [("deal", False, False)]),              # ... 2 words after
    ("their deal, allies", [("deal", False, False)]),            # 'allies' stems to the target 'alli'
    ("a deal of sorts with them", [("deal", False, True)]),      # no target at all
    ("the pact was a deal", [("deal", False, True)]),            # 'pact' is 3 words before 'deal'
    ("a pact and deal", [("deal", False, False)]),               # 2 words before
    ("not a deal, ally", [("deal", True, False)]),               # negation is kept apart from the target rule
    ("shared values pact", [("shared values", False, False)]),   # the window counts from the expression's ends
    ("deter an ally", [("deter", False, False)]),                # force has no window: always counted
    ("deter the enemy", [("deter", False, False)]),
])
def test_target_window_by_hand(targeted, text, expected):
    cb, _ = targeted
    got = [(m.term, m.negated, m.off_target) for m in Lexicon(cb).matches(text)]
    assert got == expected


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


def test_target_window_reaches_every_measure(targeted):
    cb, plain = targeted
    texts = COMBO + ["a deal of sorts with them", "a pact and deal", "an ideology for allies"]
    t = FrameScorer(cb, n_components=2, context="paragraph").fit(texts).transform_frame(texts)
    p = FrameScorer(plain, n_components=2, context="paragraph").fit(texts).transform_frame(texts)
    off = len(COMBO)  # 'a deal of sorts with them': its only seed is off target
    assert t.loc[off, "dict_alliance_salience"] == 0 and p.loc[off, "dict_alliance_salience"] > 0
    assert t.loc[off, "tfidf_transactional"] == 0 and p.loc[off, "tfidf_transactional"] > 0
    assert t.loc[off, "lss_terms"] == p.loc[off, "lss_terms"] - 1


def test_match_table_and_concordance_name_off_target_matches(targeted):
    cb, _ = targeted
    table = DictionaryScorer(cb).fit().match_table(["a deal of sorts", "a pact and deal"], ["u1", "u2"])
    assert table[["unit_id", "off_target"]].values.tolist() == [["u1", True], ["u2", False]]
    units = pd.DataFrame({"unit_id": ["u1", "u2"], "text": ["a deal of sorts", "a pact and deal"]})
    conc = seed_concordance(units, cb, "transactional")
    assert conc["status"].tolist() == ["off target", "counted"]
