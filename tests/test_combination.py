"""Tests for analysis.combination: the leave-one-writer-out table and the rule that reads it."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.codebook import load_codebook
from analysis.combination import cv_summary, exemplar_cv, index_cv, index_rule, measure_sets, rule_choice
from analysis.exemplars import corpus_exemplars
from analysis.frames import MEASURES, FrameScorer


@pytest.fixture(scope="module")
def small():
    """Three writers' exemplars, 60 each: enough for every code on both contrasts."""
    ex = corpus_exemplars()
    parts = [g.head(60) for _, g in ex[ex["writer"].isin(["w1", "w2", "w3"])].groupby("writer", sort=True)]
    return pd.concat(parts, ignore_index=True)


@pytest.fixture(scope="module")
def cv(small):
    return exemplar_cv(FrameScorer(load_codebook(), n_components=20), small)


def test_every_writer_contrast_and_set_is_scored(cv):
    sets = measure_sets(MEASURES)
    assert len(sets) == 2 ** len(MEASURES) - 1
    assert len(cv) == 3 * 2 * len(sets)
    aucs = cv["polarity_auc"].dropna()
    assert ((aucs >= 0) & (aucs <= 1)).all()
    # presence is reported for single measures that have a salience (LSS has none)
    single = cv[cv["n_measures"] == 1].set_index("measures")
    assert single.loc["lss", "presence_auc"].isna().all()
    assert single.loc["sup", "presence_auc"].notna().all()


def test_a_set_of_one_measure_scores_as_that_measure(small):
    # the standardised score is a positive multiple of the raw score on the held-out writer, so AUCs agree
    fold = FrameScorer(load_codebook(), n_components=20).fit_parts(
        small.loc[small["writer"] == "w1", "text"].tolist(), exemplars=small[small["writer"] != "w1"],
        refit=MEASURES)
    frame = fold.transform_frame(small.loc[small["writer"] == "w1", "text"].tolist())
    assert np.corrcoef(frame["sup_alliance"], frame["z_sup_alliance"])[0, 1] == pytest.approx(1.0)


def test_held_out_writer_never_trains_the_supervised_measure(small):
    held = small[small["writer"] == "w3"]
    train = small[small["writer"] != "w3"].reset_index(drop=True)
    fold = FrameScorer(load_codebook(), n_components=20).fit_parts(held["text"].tolist(), exemplars=train,
                                                                    refit=("tfidf", "sup"))
    vectorizer = fold.supervised_.vectorizer_
    analyse = vectorizer.build_analyzer()
    train_features = {f for t in train["text"] for f in analyse(t)}
    only_held = {f for t in held["text"] for f in analyse(t)} - train_features
    assert only_held and not (only_held & set(vectorizer.get_feature_names_out()))


def test_rule_takes_the_best_mean_and_breaks_ties_by_size():
    summary = pd.DataFrame({"contrast": ["a"] * 3 + ["b"] * 3, "measures": ["dict", "sup", "dict+sup"] * 2,
                            "n_measures": [1, 1, 2] * 2, "polarity_auc": [0.6, 0.8, 0.9, 0.7, 0.7, 0.7]})
    assert rule_choice(summary) == {"a": ("dict", "sup"), "b": ("dict",)}


def test_summary_is_the_mean_over_writers(cv):
    s = cv_summary(cv).set_index(["contrast", "measures"])
    part = cv[(cv["contrast"] == "force") & (cv["measures"] == "dict+sup")]
    assert s.loc[("force", "dict+sup"), "polarity_auc"] == pytest.approx(part["polarity_auc"].mean())
    assert s.loc[("force", "dict+sup"), "polarity_min"] == pytest.approx(part["polarity_auc"].min())


def test_summary_by_group_averages_each_group_apart():
    cv = pd.DataFrame({"writer": ["a", "b", "c", "a", "b", "c"], "round": [1, 1, 2] * 2,
                       "contrast": ["force"] * 6, "measures": ["dict"] * 3 + ["sup"] * 3, "n_measures": [1] * 6,
                       "polarity_auc": [0.6, 0.8, 0.5, 0.9, 1.0, 0.7], "presence_auc": [0.5] * 6})
    s = cv_summary(cv, by="round")
    assert s[["round", "measures", "writers"]].values.tolist() == [[1, "dict", 2], [1, "sup", 2], [2, "dict", 1],
                                                                   [2, "sup", 1]]
    assert s["polarity_auc"].tolist() == pytest.approx([0.7, 0.95, 0.5, 0.7])
    assert s["polarity_min"].tolist() == pytest.approx([0.6, 0.9, 0.5, 0.7])
    with pytest.raises(ValueError, match="writers c have no 'round'"):
        cv_summary(cv.assign(round=[1, 1, None] * 2), by="round")
    with pytest.raises(ValueError, match="cv has no column 'batch'"):
        cv_summary(cv, by="batch")


def test_scorer_uses_the_rule_and_remembers_it(small):
    texts = small["text"].tolist()[:20]
    scorer = FrameScorer(load_codebook(), n_components=20, exemplars=small).fit(texts)
    assert scorer.index_measures_ == index_rule(scorer, small)
    chosen = scorer.index_measures_["force"]
    out = scorer.transform_frame(texts)
    expected = out[[f"z_{m}_force" for m in chosen]].mean(axis=1)
    assert out["force_index"].to_numpy() == pytest.approx(expected.to_numpy())



def test_one_writer_is_refused(small):
    with pytest.raises(ValueError, match="at least two writers"):
        exemplar_cv(FrameScorer(load_codebook()), small[small["writer"] == "w1"])


def test_table_read_back_from_the_cache_is_the_table_computed(small, tmp_path, monkeypatch):
    import analysis.combination as combination

    monkeypatch.setattr(combination, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(combination, "_CACHE", {})
    scorer = FrameScorer(load_codebook(), n_components=20)
    scorer.codebook_ = scorer.codebook
    computed = index_cv(scorer, small)
    assert len(list(tmp_path.glob("*.csv"))) == 1
    monkeypatch.setattr(combination, "_CACHE", {})
    read_back = index_cv(scorer, small)
    pd.testing.assert_frame_equal(read_back, computed, check_exact=True)
    # another codebook, or other exemplars, is another table
    assert combination._key(scorer, small) != combination._key(scorer, small.iloc[1:])


def test_cross_validation_is_deterministic(small, tmp_path, monkeypatch):
    import analysis.combination as combination

    monkeypatch.setattr(combination, "CACHE_DIR", tmp_path / "a")
    monkeypatch.setattr(combination, "_CACHE", {})
    first = index_cv(FrameScorer(load_codebook(), n_components=20), small)
    monkeypatch.setattr(combination, "CACHE_DIR", tmp_path / "b")
    monkeypatch.setattr(combination, "_CACHE", {})
    second = index_cv(FrameScorer(load_codebook(), n_components=20), small)
    pd.testing.assert_frame_equal(first, second, check_exact=True)


def test_bad_exemplar_tables_are_named(small):
    texts = small["text"].tolist()[:5]
    with pytest.raises(ValueError, match="exemplars has no column 'writer'"):
        FrameScorer(load_codebook(), exemplars=small.drop(columns="writer"), index_measures=["dict"]).fit(texts)
    no_pole = small[small["force"] != "credibility"].reset_index(drop=True)
    with pytest.raises(ValueError, match="no exemplar is coded 'credibility' on 'force'"):
        FrameScorer(load_codebook(), exemplars=no_pole, index_measures=["dict"]).fit(texts)


def test_a_scorer_of_the_index_alone_scores_as_the_full_one(small):
    texts = small["text"].tolist()[:30]
    full = FrameScorer(load_codebook(), n_components=20, exemplars=small).fit(texts)
    lean = FrameScorer(load_codebook(), n_components=20, exemplars=small, measures="index").fit(texts)
    assert lean.index_measures_ == full.index_measures_
    needed = {m for ms in full.index_measures_.values() for m in ms} | {"sup"}
    assert set(lean.measures_) == needed
    a, b = full.transform_frame(texts), lean.transform_frame(texts)
    heads = [f"{c}_{k}" for c in ("alliance", "force") for k in ("index", "salience")]
    pd.testing.assert_frame_equal(a[heads], b[heads], check_exact=True)
    assert [c for c in b.columns if c.startswith("z_")] == [f"z_{m}_{c}" for c in ("alliance", "force")
                                                            for m in lean.measures_]
    assert not any(col.startswith("dict_") for col in b.columns) or "dict" in lean.measures_
    assert b["dict_tokens"].equals(a["dict_tokens"])  # the word count that weighs article means
    assert b.columns.tolist() == lean.get_feature_names_out().tolist()


def test_measures_must_be_all_or_index(small):
    with pytest.raises(ValueError, match="measures must be 'all' or 'index'"):
        FrameScorer(load_codebook(), exemplars=small, measures="some").fit(small["text"].tolist()[:5])


def test_the_cached_table_is_computed_with_one_blas_thread(small, tmp_path, monkeypatch):
    # the SVD's last digits depend on the BLAS thread count; the cache is shared between the
    # study's notebooks (one thread) and any other process, so it must be computed alike
    from threadpoolctl import threadpool_info, threadpool_limits

    import analysis.combination as combination

    seen = []

    def spy(scorer, exemplars):
        seen.extend(p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas")
        return pd.DataFrame({"writer": ["w1"]})

    monkeypatch.setattr(combination, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(combination, "_CACHE", {})
    monkeypatch.setattr(combination, "exemplar_cv", spy)
    scorer = FrameScorer(load_codebook(), n_components=20)
    with threadpool_limits(limits=2):
        combination.index_cv(scorer, small)
    assert seen and set(seen) == {1}


@pytest.mark.slow
def test_processes_side_by_side_compute_the_table_once(small, tmp_path):
    # two processes ask for the same cold table at once: one computes it, the other reads it
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent(f"""
        import pandas as pd
        import analysis.combination as combination
        from analysis.codebook import load_codebook
        from analysis.exemplars import corpus_exemplars
        from analysis.frames import FrameScorer
        combination.CACHE_DIR = __import__("pathlib").Path({str(tmp_path)!r})
        calls = []
        real = combination.exemplar_cv
        combination.exemplar_cv = lambda s, e: calls.append(1) or real(s, e)
        ex = corpus_exemplars()
        parts = [g.head(60) for _, g in ex[ex["writer"].isin(["w1", "w2", "w3"])].groupby("writer", sort=True)]
        small = pd.concat(parts, ignore_index=True)
        scorer = FrameScorer(load_codebook(), n_components=20)
        scorer.codebook_ = scorer.codebook
        combination.index_cv(scorer, small)
        print(len(calls))
    """)
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) for _ in range(2)]
    counts = sorted(int(p.communicate(timeout=600)[0].strip()) for p in procs)
    assert counts == [0, 1]
    assert len(list(tmp_path.glob("*.csv"))) == 1


def test_index_measures_can_be_given_per_contrast(small):
    texts = small["text"].tolist()[:20]
    chosen = {"alliance": ("dict", "sup"), "force": ("lss",)}
    scorer = FrameScorer(load_codebook(), n_components=20, exemplars=small, index_measures=chosen).fit(texts)
    assert scorer.index_measures_ == chosen
    out = scorer.transform_frame(texts)
    assert out["force_index"].to_numpy() == pytest.approx(out["z_lss_force"].to_numpy())
    with pytest.raises(ValueError, match="must name every contrast"):
        FrameScorer(load_codebook(), exemplars=small, index_measures={"force": ("lss",)}).fit(texts)
    with pytest.raises(ValueError, match="must name measures among"):
        FrameScorer(load_codebook(), exemplars=small, index_measures={"force": ("x",), "alliance": ("sup",)}).fit(texts)


def test_pair_consistency_judges_each_pair_once_by_hand(monkeypatch):
    from analysis import combination

    # one held-out writer, two pairs: p1/p2 flip alliance (pole pair), p3/p4 remove the force frame
    test = pd.DataFrame({"exemplar_id": ["p1", "p2", "p3", "p4"], "pair": ["p2", "p1", "p4", "p3"],
                         "edit": ["pole", "pole", "removal", "removal"], "writer": ["x"] * 4,
                         "alliance": ["ideological", "transactional", "none", "none"],
                         "force": ["none", "none", "credibility", "none"]})
    frame = pd.DataFrame({f"z_{m}_{c}": [0.0] * 4 for m in MEASURES for c in ("alliance", "force")})
    frame["z_sup_alliance"] = [2.0, -1.0, 0.0, 0.0]    # ideological twin higher: consistent
    frame["z_dict_alliance"] = [-1.0, 1.0, 0.0, 0.0]   # the wrong way
    frame["z_tfidf_alliance"] = [0.5, 0.5, 0.0, 0.0]   # a tie: one half
    frame["sup_force_salience"] = [0.1, 0.1, 0.9, 0.2]  # framed twin (p3) higher: consistent
    frame["dict_force_salience"] = [0.0, 0.0, 0.0, 1.0]  # the wrong way

    class Fitted:
        codebook_ = load_codebook()

    monkeypatch.setattr(combination, "held_out_frames", lambda scorer, ex, writers: iter([("x", test, frame)]))
    out = combination.pair_consistency(Fitted, test).set_index(["contrast", "measure", "task", "edit"])
    assert out.loc[("alliance", "sup", "polarity", "pole"), "consistency"] == 1.0
    assert out.loc[("alliance", "dict", "polarity", "pole"), "consistency"] == 0.0
    assert out.loc[("alliance", "tfidf", "polarity", "all"), "consistency"] == 0.5
    assert out.loc[("force", "sup", "presence", "removal"), "consistency"] == 1.0
    assert out.loc[("force", "dict", "presence", "all"), "consistency"] == 0.0
    assert (out["pairs"] == 1).all()  # each pair judged once, not once from each twin
    assert not any(t == "presence" and c == "alliance" for c, _, t, _ in out.index)  # alliance is 'none' in both


def test_pair_consistency_on_held_out_writers_of_pairs():
    from analysis.combination import pair_consistency

    ex = corpus_exemplars()
    part = pd.concat([ex[ex["writer"].isin(["w1", "w2"])].groupby("writer").head(60),
                      ex[ex["writer"] == "w13"].head(40)], ignore_index=True)
    out = pair_consistency(FrameScorer(load_codebook(), n_components=20), part)
    twins = part[part["writer"] == "w13"].set_index("exemplar_id")
    firsts = twins[twins.index < twins["pair"]]
    flips = sum(1 for eid, r in firsts.iterrows() for c in ("alliance", "force")
                if {r[c], twins.loc[r["pair"], c]} in ({"transactional", "ideological"}, {"deterrence", "credibility"}))
    counted = out[(out["measure"] == "sup") & (out["task"] == "polarity") & (out["edit"] == "all")]["pairs"].sum()
    assert counted == flips > 0
    assert out["consistency"].between(0, 1).all()
    with pytest.raises(ValueError, match="no pair column"):
        pair_consistency(FrameScorer(load_codebook()), part.drop(columns="pair"))


def test_a_fold_is_fitted_once_per_process(small, monkeypatch):
    from analysis import combination

    scorer = FrameScorer(load_codebook(), n_components=20)
    first = [(w, frame) for w, _, frame in combination.held_out_frames(scorer, small, ["w2"])]

    def refit(*args, **kwargs):
        raise AssertionError("refitted a fold already computed")

    monkeypatch.setattr(FrameScorer, "fit_parts", refit)
    again = [(w, frame) for w, _, frame in combination.held_out_frames(scorer, small, ["w2"])]
    assert [w for w, _ in again] == ["w2"] and again[0][1].equals(first[0][1])
    # other exemplars are other inputs: computed afresh (here: refused, so the refit is visible)
    with pytest.raises(AssertionError, match="refitted"):
        list(combination.held_out_frames(scorer, small.assign(text=small["text"] + " More."), ["w2"]))
