"""Tests for analysis.measures.lss: latent semantic scaling computed by hand on toy corpora."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from analysis.measures.lss import LatentScaler
from toys import toy_codebook


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
