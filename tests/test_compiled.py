"""Tests for analysis.compiled: the compiled scorer gives the estimator's scores exactly,
whatever the chunk, the threads or the table of word forms."""
from __future__ import annotations

import pickle

import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

from analysis import word_codes
from analysis.codebook import load_codebook
from analysis.compiled import CompiledScorer
from analysis.frames import FrameScorer
from analysis.streaming import text_chunks
from toys import COMBO, RULES, random_texts, toy_codebook


@pytest.fixture
def toy(tmp_path):
    return FrameScorer(toy_codebook(tmp_path), n_components=2, context="paragraph").fit(COMBO + RULES)


def assert_same_scores(scorer, texts):
    expected = scorer.transform_frame(texts)
    got = CompiledScorer(scorer).transform_frame(texts)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_rules_score_exactly_as_the_estimator(toy):
    assert_same_scores(toy, RULES + COMBO)


def test_random_rule_collisions_score_exactly_as_the_estimator(toy):
    assert_same_scores(toy, random_texts(400, seed=1))


# False friends that share a first word with another friend, overlap a multiword seed, hold
# a negation cue, or (case-sensitive) contain an apostrophe.
EXTRA_FRIENDS = [("Axis", False), ("convenience store", False), ("no deal zone", False), ("People's Deal", True)]
FRIEND_TEXTS = [
    "the axis of resistance, an ideology", "an axis of evil and resistance", "a marriage of convenience store",
    "a marriage of convenience", "the no deal zone ideology", "no deal zone, no ideology",
    "The People's Deal is a deal.", "The People\u2019s Deal is a deal.", "the people's deal",
]


@pytest.fixture
def friends(tmp_path):
    toy_codebook(tmp_path)
    path = tmp_path / "codebook.toml"
    extra = "".join(f'\n[[false_friends]]\nphrase = "{p}"\nreason = "name"\ncase_sensitive = {str(c).lower()}\n'
                    for p, c in EXTRA_FRIENDS)
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return FrameScorer(load_codebook(path), n_components=2, context="paragraph").fit(COMBO + RULES)


def test_friend_interactions_score_exactly_as_the_estimator(friends):
    assert_same_scores(friends, FRIEND_TEXTS + RULES + random_texts(200, seed=6))


def test_friend_interactions_by_hand(friends):
    poles = [p.name for p in friends.codebook_.poles]
    ev = CompiledScorer(friends).evidence(FRIEND_TEXTS)
    counted = [{p: int(v) for p, v in zip(poles, row) if v} for row in ev.poles]
    assert counted == [
        {"ideological": 1},                    # the longer friend masks 'resistance'; 'ideology' counts
        {"ideological": 1},                    # 'axis' alone is masked, 'resistance' counts
        {},                                    # the seed would end inside a false friend
        {"transactional": 1},
        {"ideological": 1},                    # a cue inside a false friend opens no scope
        {},                                    # ... but the second 'no' negates 'ideology'
        {"transactional": 1},                  # straight apostrophe: the proper name is masked
        {"transactional": 2},                  # typographic apostrophe: not the codebook's spelling
        {"transactional": 1},                  # lower case: not the proper name
    ]

def test_study_corpus_and_perturbed_text_score_exactly(study_corpus):
    from benchmarks import synthetic_paragraphs

    texts = study_corpus.paragraphs["text"].tolist()
    scorer = FrameScorer().fit(texts)
    assert_same_scores(scorer, texts + list(synthetic_paragraphs(texts, 150, seed=3)))


def test_study_scorer_with_exemplars_scores_exactly(study_corpus):
    from benchmarks import synthetic_paragraphs

    from analysis.exemplars import corpus_exemplars

    texts = study_corpus.paragraphs["text"].tolist()
    ex = corpus_exemplars()
    small = pd.concat([g.head(40) for _, g in ex.groupby("writer", sort=True)], ignore_index=True)
    scorer = FrameScorer(exemplars=small, index_measures=["dict", "sup"]).fit(texts)
    assert scorer.supervised_ is not None
    assert_same_scores(scorer, texts + list(synthetic_paragraphs(texts, 50, seed=5)))


def test_evidence_by_hand(toy):
    ev = CompiledScorer(toy).evidence(["Not a deal, a deal.", "A marriage of convenience; not credibility."])
    # 'Not a deal,': the scope opens after 'not' and closes at the comma, so only the second
    # 'deal' counts; words: not a deal a deal = 5
    assert ev.tokens.tolist() == [5.0, 6.0]
    poles = [p.name for p in toy.codebook_.poles]
    assert dict(zip(poles, ev.poles[0])) == {"transactional": 1, "ideological": 0, "deterrence": 0, "credibility": 0}
    # the multiword seed counts once; 'credibility' is negated
    assert dict(zip(poles, ev.poles[1])) == {"transactional": 1, "ideological": 0, "deterrence": 0, "credibility": 0}
    vocab = toy.prototypes_.vectorizer_.vocabulary_
    # bag of words: the negated 'deal' is dropped, stopwords too: one 'deal'
    assert ev.prototype_counts[0].toarray().ravel()[vocab["deal"]] == 1
    assert ev.prototype_counts[0].sum() == 1
    # the multiword match is one joined feature; 'credibility' (negated) is gone
    assert ev.prototype_counts[1].sum() == 1 and ev.prototype_counts[1, vocab["marriage-of-conveni"]] == 1


def test_forgetting_word_forms_changes_nothing(toy, monkeypatch):
    monkeypatch.setattr(word_codes, "MAX_TYPES", 5)
    compiled = CompiledScorer(toy)
    texts = random_texts(60, seed=5)
    parts = [compiled.transform_frame(c) for c in text_chunks(texts, 7)]
    assert len(compiled.word) <= 5 + 7 * 15  # emptied before each chunk once past the limit
    pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), toy.transform_frame(texts),
                                  check_exact=True)


def test_pickled_scorer_drops_its_word_table(toy):
    compiled = CompiledScorer(toy)
    compiled.transform_frame(RULES)
    loaded = pickle.loads(pickle.dumps(compiled))
    assert len(compiled.word) > 0 and len(loaded.word) == 0
    pd.testing.assert_frame_equal(loaded.transform_frame(RULES), toy.transform_frame(RULES), check_exact=True)


def test_stands_in_for_the_scorer_in_score_corpus(toy):
    from analysis.frame_tables import score_corpus

    units = pd.DataFrame({"doc_id": ["a", "a", "b"], "unit_id": ["a.p1", "a.p2", "b.p1"],
                          "text": ["A deal.", "Not a deal.", "Credibility."]})
    fast = score_corpus(units, scorer=CompiledScorer(toy), n_boot=20)
    slow = score_corpus(units, scorer=toy, n_boot=20)
    for got, expected in zip(fast, slow):
        pd.testing.assert_frame_equal(got, expected, check_exact=True)


@pytest.mark.parametrize("texts, message", [
    ("a deal", "not a single string"),
    (pd.DataFrame({"text": ["a"]}), "not a DataFrame"),
    (["a deal", 3], r"texts\[1\] is int"),
])
def test_bad_texts(toy, texts, message):
    with pytest.raises(ValueError, match=message):
        CompiledScorer(toy).transform_frame(texts)


def test_unfitted_scorer(tmp_path):
    with pytest.raises(NotFittedError):
        CompiledScorer(FrameScorer(toy_codebook(tmp_path)))


def test_threads_sharing_one_compiled_scorer(toy):
    from concurrent.futures import ThreadPoolExecutor

    compiled = CompiledScorer(toy)
    batches = [random_texts(40, seed=s) for s in range(8)]
    with ThreadPoolExecutor(4) as pool:
        frames = list(pool.map(compiled.transform_frame, batches))
    for got, texts in zip(frames, batches):
        pd.testing.assert_frame_equal(got, toy.transform_frame(texts), check_exact=True)


def test_target_windows_score_exactly_as_the_estimator(tmp_path, study_corpus):
    from analysis.codebook import with_target_window

    cb = with_target_window(load_codebook(), "alliance", 10)
    texts = study_corpus.paragraphs["text"].tolist()
    scorer = FrameScorer(cb).fit(texts)
    assert CompiledScorer(scorer).targeted
    assert_same_scores(scorer, texts + RULES)
    # the window changes the study's scores (it is not silently ignored)
    plain = FrameScorer().fit(texts).transform_frame(texts)
    assert not plain["dict_alliance"].equals(scorer.transform_frame(texts)["dict_alliance"])
