"""Tests for analysis.retraining: coded paragraphs as exemplars, and the learning curve."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.codebook import load_codebook
from analysis.exemplars import corpus_exemplars
from analysis.metrics import auc
from analysis.retraining import coded_exemplars, draw_order, exemplars_retrained, learning_curve
from analysis.supervised import SupervisedScorer

# Three toy articles of the project's own writing, every paragraph hand-coded.
ARTICLES = {
    "east": [("The pact is a marriage of convenience: oil for drones, cash for access.", "transactional", "none"),
             ("Both sides bargain hard and walk away when the price is wrong.", "transactional", "none"),
             ("They strike to deter an attack and to keep the conflict from escalating.", "none", "deterrence"),
             ("Rain closed the port for two days.", "none", "none")],
    "west": [("A shared ideology binds the axis against the Western order.", "ideological", "none"),
             ("The bloc is united by a common revolutionary creed.", "ideological", "none"),
             ("The strike was meant to show resolve and restore credibility at home.", "none", "credibility"),
             ("Wheat prices rose in the spring.", "none", "none"),
             ("Leaders met and talked of trade and of faith.", "mixed", "none")],
    "north": [("The deal is a transaction of convenience, priced in grain.", "transactional", "none"),
              ("Their alliance rests on ideology and a shared worldview.", "ideological", "none"),
              ("Retaliation aims to prevent escalation and deter further attacks.", "none", "deterrence"),
              ("The envoy flew home on Tuesday.", "none", "none")],
}


def toy_tables(articles=ARTICLES):
    rows = [dict(doc_id=d, unit_id=f"{d}.p{i:02d}", text=t, alliance=a, force=f)
            for d, pars in articles.items() for i, (t, a, f) in enumerate(pars, 1)]
    table = pd.DataFrame(rows)
    return table[["doc_id", "unit_id", "text"]], table[["unit_id", "alliance", "force"]]


@pytest.fixture(scope="module")
def codebook():
    return load_codebook()


@pytest.fixture(scope="module")
def small():
    """Three writers' exemplars, 60 each: enough for every code on both contrasts."""
    ex = corpus_exemplars()
    parts = [g.head(60) for _, g in ex[ex["writer"].isin(["w1", "w2", "w3"])].groupby("writer", sort=True)]
    return pd.concat(parts, ignore_index=True)


def test_coded_exemplars_give_each_article_its_writer():
    paragraphs, codes = toy_tables()
    coded = coded_exemplars(paragraphs, codes.iloc[::-1], ["alliance", "force"])
    assert coded["unit_id"].tolist() == sorted(codes["unit_id"])
    assert set(coded["writer"]) == {"corpus:east", "corpus:west", "corpus:north"}
    assert (coded["writer"] == "corpus:" + coded["doc_id"]).all()
    assert coded.loc[coded["unit_id"] == "west.p01", "alliance"].item() == "ideological"


def test_coded_exemplars_refuse_unknown_paragraphs_and_missing_contrasts():
    paragraphs, codes = toy_tables()
    with pytest.raises(ValueError, match="coded unit_id 'gone.p01' is not a paragraph"):
        coded_exemplars(paragraphs, pd.concat([codes, codes.head(1).assign(unit_id="gone.p01")]),
                        ["alliance", "force"])
    with pytest.raises(ValueError, match="codes has no column 'force'"):
        coded_exemplars(paragraphs, codes.drop(columns="force"), ["alliance", "force"])


def test_exemplars_retrained_appends_the_coded_rows(small):
    paragraphs, codes = toy_tables()
    both = exemplars_retrained(small, coded_exemplars(paragraphs, codes, ["alliance", "force"]))
    assert len(both) == len(small) + len(codes)
    assert both["text"].tolist()[-len(codes):] == coded_exemplars(paragraphs, codes, ["alliance", "force"])["text"].tolist()
    assert both["writer"].tolist()[:len(small)] == small["writer"].tolist()


def test_draw_order_is_a_seeded_permutation_within_each_article():
    paragraphs, codes = toy_tables()
    coded = coded_exemplars(paragraphs, codes, ["alliance", "force"])
    order = draw_order(coded, 3)
    for _, idx in coded.groupby("doc_id").groups.items():
        assert sorted(order[idx]) == list(range(len(idx)))
    assert (draw_order(coded, 3) == order).all()
    assert any((draw_order(coded, s) != order).any() for s in range(4, 10))


@pytest.fixture
def spied(monkeypatch):
    """Every fit of the supervised measure, with the texts it trained on and the texts it then scored."""
    calls = []
    fit, transform = SupervisedScorer.fit, SupervisedScorer.transform_frame

    def spy_fit(self, X, y, groups=None, contrasts=None):
        calls.append({"train": list(X), "groups": list(groups), "scored": []})
        self._spy = calls[-1]
        return fit(self, X, y, groups=groups, contrasts=contrasts)

    def spy_transform(self, X):
        self._spy["scored"] += list(X)
        return transform(self, X)

    monkeypatch.setattr(SupervisedScorer, "fit", spy_fit)
    monkeypatch.setattr(SupervisedScorer, "transform_frame", spy_transform)
    return calls


def test_no_held_out_article_is_ever_trained_on(small, codebook, spied):
    paragraphs, codes = toy_tables()
    learning_curve(paragraphs, codes, small, codebook, shares=(0, 0.5, 1.0), random_state=5)
    article_of = dict(zip(paragraphs["text"], paragraphs["doc_id"]))
    assert len(spied) == 3 * 3  # one fit per share and held-out article
    for call in spied:
        held = {article_of[t] for t in call["scored"]}
        assert len(held) == 1 and call["scored"]
        trained_on = {article_of[t] for t in call["train"] if t in article_of}
        assert not held & trained_on
        # the coded paragraphs train as their own article's writer
        assert all(g == f"corpus:{article_of[t]}" for t, g in zip(call["train"], call["groups"]) if t in article_of)
    # at share 1 every coded paragraph of the other articles is added
    for call in spied[-3:]:
        held = article_of[call["scored"][0]]
        assert sorted(t for t in call["train"] if t in article_of) == sorted(
            paragraphs.loc[paragraphs["doc_id"] != held, "text"])


def test_shares_add_more_paragraphs_and_nest(small, codebook, spied):
    paragraphs, codes = toy_tables()
    curve = learning_curve(paragraphs, codes, small, codebook, shares=(0, 0.25, 0.5, 1.0), random_state=5)
    assert curve["share"].tolist() == [0, 0, 0.25, 0.25, 0.5, 0.5, 1.0, 1.0]
    assert curve["contrast"].tolist() == ["alliance", "force"] * 4
    added = curve.drop_duplicates("share")["added"].tolist()
    # articles of 4, 5 and 4 coded paragraphs: 0, 1 + 1 + 1, 2 + 3 + 2 (halves round up), all 13
    assert added == [0, 3, 7, 13]
    assert (curve["articles"] == 3).all() and (curve["n"] == 13).all()
    assert curve.loc[curve["contrast"] == "alliance", "n_polar"].eq(6).all()
    assert curve.loc[curve["contrast"] == "force", "n_polar"].eq(3).all()
    # a larger share adds every paragraph a smaller one added (per held-out article, in fit order)
    corpus_texts = set(paragraphs["text"])
    fits = [{t for t in c["train"] if t in corpus_texts} for c in spied]
    for k in range(3):
        trained = [fits[s * 3 + k] for s in range(4)]
        assert all(a <= b for a, b in zip(trained, trained[1:]))
    assert curve[["polarity_auc", "presence_auc"]].stack().between(0, 1).all()


def test_the_curve_is_deterministic_for_a_seed(small, codebook):
    paragraphs, codes = toy_tables()
    one = learning_curve(paragraphs, codes, small, codebook, shares=(0, 0.5), random_state=11)
    two = learning_curve(paragraphs, codes, small, codebook, shares=(0, 0.5), random_state=11)
    pd.testing.assert_frame_equal(one, two)


def test_share_zero_is_the_exemplars_alone(small, codebook):
    paragraphs, codes = toy_tables()
    curve = learning_curve(paragraphs, codes, small, codebook, shares=(0,))
    model = SupervisedScorer(codebook=codebook).fit(small["text"].tolist(), small[["alliance", "force"]],
                                                    groups=small["writer"].to_numpy())
    scores = model.transform_frame(paragraphs["text"].tolist())
    polar = codes["alliance"].isin(["transactional", "ideological"]).to_numpy()
    expected = auc(codes.loc[polar, "alliance"] == "ideological", scores.loc[polar, "sup_alliance"])
    assert curve.loc[curve["contrast"] == "alliance", "polarity_auc"].item() == pytest.approx(expected)
    assert curve["added_max"].eq(0).all()


def test_fewer_than_two_coded_articles_is_refused(small, codebook):
    paragraphs, codes = toy_tables({"east": ARTICLES["east"]})
    with pytest.raises(ValueError, match="the hand coding covers 1 article — code paragraphs of at least two"):
        learning_curve(paragraphs, codes, small, codebook)


def test_only_coded_articles_count(small, codebook):
    # a second article in the corpus but without any coded paragraph does not make a fold
    paragraphs, codes = toy_tables()
    codes = codes[codes["unit_id"].str.startswith("east.")]
    with pytest.raises(ValueError, match="covers 1 article"):
        learning_curve(paragraphs, codes, small, codebook)


@pytest.mark.parametrize("shares", [(0, 1.5), (-0.1,), ()])
def test_shares_outside_zero_one_are_refused(small, codebook, shares):
    paragraphs, codes = toy_tables()
    with pytest.raises(ValueError, match="shares must lie between 0 and 1"):
        learning_curve(paragraphs, codes, small, codebook, shares=shares)
