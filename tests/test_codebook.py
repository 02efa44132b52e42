"""Tests for analysis.codebook: the study codebook's content and every validation path."""
from __future__ import annotations

import re

import pytest

from analysis.codebook import DEFINITION_FIELDS, codebook_check, codebook_table, load_codebook, pole_seeds
from analysis.errors import InputError

TOY = """\
schema = 1
version = "0.1"
title = "toy"

[references]
a1 = "Author, A. 2000. A Book. City: Press."

[negation]
cues = ["not"]
window = 3
rule = "a cue negates the next three words"

[[false_friends]]
phrase = "axis of resistance"
reason = "proper name"

[contrasts.alliance]
label = "Alliance"
question = "what binds?"
negative = "transactional"
positive = "ideological"
references = ["a1"]

[contrasts.alliance.poles.transactional]
label = "Transactional"
references = ["a1"]
indicators = ["a deal"]
seeds = ["deal"]
multiword = ["marriage of convenience"]

[contrasts.alliance.poles.transactional.definition]
problem = "p"
cause = "c"
evaluation = "e"
remedy = "r"

[contrasts.alliance.poles.ideological]
label = "Ideological"
references = ["a1"]
indicators = ["a creed"]
seeds = ["ideology"]

[contrasts.alliance.poles.ideological.definition]
problem = "p"
cause = "c"
evaluation = "e"
remedy = "r"
"""


def write(tmp_path, text):
    path = tmp_path / "codebook.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_toy_codebook_loads(tmp_path):
    cb = load_codebook(write(tmp_path, TOY))
    assert list(cb.contrasts) == ["alliance"]
    contrast = cb.contrasts["alliance"]
    assert (contrast.negative.name, contrast.negative.sign) == ("transactional", -1)
    assert (contrast.positive.name, contrast.positive.sign) == ("ideological", 1)
    assert cb.seed_terms() == {"transactional": ["deal", "marriage of convenience"], "ideological": ["ideology"]}
    assert contrast.negative.prototype() == "p c e r a deal deal marriage of convenience"
    assert cb.false_friends[0].phrase == "axis of resistance"
    assert cb.negation.window == 3


# -- validation: each broken codebook names the field -------------------------------

BROKEN = [
    # (replace this, with that, message expected, line expected or None). Lines are counted in TOY:
    # 9 cues, 10 window, 21 positive, 26/28 transactional references/seeds, 31 its [definition] header,
    # 37 the ideological header, 38 label, 40 indicators, 41 seeds (42 a line added after them).
    ('remedy = "r"\n\n[contrasts.alliance.poles.ideological]', '\n[contrasts.alliance.poles.ideological]',
     r"contrasts\.alliance\.poles\.transactional\.definition\.remedy: missing field", 31),
    ('seeds = ["deal"]', 'seeds = []', r"poles\.transactional\.seeds: is empty", 28),
    ('seeds = ["ideology"]', 'seeds = ["ideology", "deal"]', r"'deal' duplicates 'deal' of pole transactional", 41),
    ('seeds = ["ideology"]', 'seeds = ["ideologies"]\nmultiword = ["ideology"]', r"has fewer than two words", 42),
    ('seeds = ["deal"]', 'seeds = ["good deal"]', r"'good deal' is not a single word", 28),
    ('[contrasts.alliance.poles.ideological]\n', '[contrasts.alliance.poles.idealist]\n',
     r"unknown pole 'idealist'", 37),
    ('positive = "ideological"', 'positive = "transactional"', r"both poles are 'transactional'", 21),
    ('references = ["a1"]\nindicators = ["a deal"]', 'references = ["zz"]\nindicators = ["a deal"]',
     r"unknown reference 'zz'", 26),
    ("window = 3", "window = 0", r"negation\.window: must be a positive whole number", 10),
    ("window = 3", 'window = "three"', r"negation\.window", 10),
    ('cues = ["not"]', "cues = []", r"negation\.cues: is empty", 9),
    ('phrase = "axis of resistance"', 'phrase = "123"', r"false_friends\[1\]\.phrase: '123' contains no word", None),
    ('indicators = ["a creed"]', 'indicators = "a creed"', r"indicators: must be a list of non-empty strings", 40),
    ("schema = 1", "schema = 2", r"schema: unsupported schema 2", 1),
    ('version = "0.1"\n', "", r"version: missing field", None),
    ('label = "Ideological"', 'label = ""', r"poles\.ideological\.label: must be a non-empty string", 38),
    ('positive = "ideological"', 'positive = "ideological"\ntargets = ["ally", "trade pact"]',
     r"contrasts\.alliance\.targets: target 'trade pact' is not one word", 22),
    ('positive = "ideological"', 'positive = "ideological"\ntargets = ["ally"]\ntarget_window = -1',
     r"contrasts\.alliance\.target_window: must be a whole number of words >= 0", 23),
    ('positive = "ideological"', 'positive = "ideological"\ntarget_window = 10',
     r"contrasts\.alliance\.target_window: is 10 but the contrast lists no targets", 22),
]


@pytest.mark.parametrize("old, new, message, line", BROKEN)
def test_broken_codebook_names_field(tmp_path, old, new, message, line):
    assert old in TOY
    path = write(tmp_path, TOY.replace(old, new, 1))
    with pytest.raises(InputError, match=message) as caught:
        load_codebook(path)
    problem = next(p for p in caught.value.problems if re.search(message, p.problem))
    assert problem.line == line
    assert str(path) in str(problem)
    assert problem.fix


def test_missing_contrasts(tmp_path):
    text = TOY[:TOY.index("[contrasts.alliance]")]
    with pytest.raises(InputError, match="contrasts: no contrast defined"):
        load_codebook(write(tmp_path, text))


def test_same_pole_name_in_two_contrasts(tmp_path):
    second = TOY[TOY.index("[contrasts.alliance]"):].replace("contrasts.alliance", "contrasts.other")
    second = second.replace('"deal"', '"bargain"').replace("marriage of convenience", "quid pro quo")
    second = second.replace('"ideology"', '"creed"')
    with pytest.raises(InputError, match="pole name 'transactional' is used by more than one contrast"):
        load_codebook(write(tmp_path, TOY + "\n" + second))


def test_invalid_toml_reports_line(tmp_path):
    path = write(tmp_path, TOY.replace('title = "toy"', 'title = "toy'))
    with pytest.raises(InputError, match="not valid TOML") as caught:
        load_codebook(path)
    assert caught.value.problems[0].line == 3


def test_not_utf8_reports_byte_offset(tmp_path):
    path = tmp_path / "codebook.toml"
    path.write_bytes(b'schema = 1\ntitle = "\xff"\n')
    # b'schema = 1\n' is 11 bytes and 'title = "' 9 more, so the bad byte is at offset 20, line 2.
    with pytest.raises(InputError, match="not valid UTF-8 at byte offset 20") as caught:
        load_codebook(path)
    assert caught.value.problems[0].line == 2


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read the codebook"):
        load_codebook(tmp_path / "nope.toml")


def test_codebook_check(tmp_path):
    assert codebook_check(tmp_path) == []  # no codebook: the study's applies
    write(tmp_path, TOY)
    assert codebook_check(tmp_path) == []
    write(tmp_path, TOY.replace('seeds = ["deal"]', "seeds = []"))
    problems = codebook_check(tmp_path)
    assert len(problems) == 1 and "seeds: is empty" in problems[0].problem


# -- the study codebook -------------------------------------------------------------

def test_study_codebook_is_complete():
    cb = load_codebook()
    assert [(c.name, c.negative.name, c.positive.name) for c in cb.contrasts.values()] == [
        ("alliance", "transactional", "ideological"), ("force", "deterrence", "credibility")]
    for pole in cb.poles:
        assert all(getattr(pole.definition, f) for f in DEFINITION_FIELDS)
        assert pole.indicators and pole.seeds and pole.references
    terms = {t for ts in pole_seeds(cb).values() for t in ts}
    for required in ["marriage of convenience", "bargaining chip", "division of labor", "plausible deniability",
                     "balance of power", "show strength"]:
        assert required in terms
    friends = {f.phrase for f in cb.false_friends}
    assert {"strategic partnership", "axis of resistance"} <= friends
    for key in ["entman1993", "walt1987", "snyder1984", "owen2005", "haas2005", "schelling1966", "snyder1961",
                "mercer1996", "press2005"]:
        assert key in cb.references


def test_codebook_table_has_one_row_per_pole():
    table = codebook_table(load_codebook())
    assert table["pole"].tolist() == ["transactional", "ideological", "deterrence", "credibility"]
    assert set(DEFINITION_FIELDS) <= set(table.columns)


def test_corpus_codebook_prefers_the_corpus_own(tmp_path):
    from analysis.codebook import corpus_codebook

    assert corpus_codebook(tmp_path).title == load_codebook().title  # none of its own: the study's
    write(tmp_path, TOY)
    assert corpus_codebook(tmp_path).title == "toy"


def test_targets_default_to_none_and_the_window_to_zero(tmp_path):
    from analysis.codebook import with_target_window

    cb = load_codebook(write(tmp_path, TOY))
    assert cb.contrasts["alliance"].targets == () and cb.contrasts["alliance"].target_window == 0
    with pytest.raises(ValueError, match="lists no targets"):
        with_target_window(cb, "alliance", 5)
    with pytest.raises(ValueError, match="no contrast 'force'"):
        with_target_window(cb, "force", 5)
    cb = load_codebook(write(tmp_path, TOY.replace('positive = "ideological"',
                                                   'positive = "ideological"\ntargets = ["ally"]', 1)))
    assert with_target_window(cb, "alliance", 5).contrasts["alliance"].target_window == 5
    with pytest.raises(ValueError, match="whole number"):
        with_target_window(cb, "alliance", -1)


