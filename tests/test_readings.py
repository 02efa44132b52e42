"""Tests for analysis.readings: the readings file of a corpus, good and bad, and its use by the notebooks."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import config
from analysis.codebook import load_codebook
from analysis.errors import InputError
from analysis.readings import READINGS_FILE, Readings, load_readings, readings_check
from commands import cli_run
from corpus_factory import make_corpus

IDS = ["alpha-2020", "beta-2021"]

GOOD = """\
phrases = ["marriage of convenience"]
words = ["pact"]

[notes]
tfidf = "Mostly names."

[[grouping]]
target = "early"
target_docs = ["alpha-2020"]
reference = "late"
reference_docs = ["beta-2021"]
note = "Split by year."

[[term]]
doc = "beta-2021"
term = "ideology"

[[article]]
doc = "alpha-2020"
terms = ["pact"]
vocabulary = "is about a pact"
framing = { alliance = "'a marriage of convenience'." }

[[expectation]]
kind = "more"
pole = "transactional"
a = "alpha-2020"
b = "beta-2021"
note = "Expected from its first line."

[[claim]]
kind = "leans"
pole = "ideological"
a = "beta-2021"
"""


def write(tmp_path, text: str):
    make_corpus(tmp_path)
    (tmp_path / READINGS_FILE).write_text(text, encoding="utf-8")
    return tmp_path


def test_a_good_file_is_read_into_its_parts(tmp_path):
    r = load_readings(write(tmp_path, GOOD), IDS, load_codebook())
    assert r.path == tmp_path / READINGS_FILE
    assert r.phrases == ("marriage of convenience",) and r.words == ("pact",)
    assert r.note("tfidf") == "Mostly names." and r.note("collocations") == ""
    assert r.groups() == {"early": ["alpha-2020"], "late": ["beta-2021"]}
    assert r.group_contrasts() == [("early", "late")]
    assert [(t.doc, t.term, t.note) for t in r.terms] == [("beta-2021", "ideology", "")]
    assert r.articles["alpha-2020"].terms == ("pact",)
    assert r.articles["alpha-2020"].framing == {"alliance": "'a marriage of convenience'."}
    assert r.expectations[0]["b"] == "beta-2021" and r.expectations[0]["note"].startswith("Expected")
    assert r.claims == ({"kind": "leans", "pole": "ideological", "a": "beta-2021"},)


def test_a_corpus_without_the_file_has_empty_readings(tmp_path):
    make_corpus(tmp_path)
    assert load_readings(tmp_path, IDS, load_codebook()) == Readings()
    assert readings_check(tmp_path) == []


def test_the_study_and_demo_files_are_sound():
    assert readings_check(config.CORPUS_DIR) == []
    assert readings_check(config.ROOT / "examples" / "demo-corpus") == []
    ids = pd.read_csv(config.CORPUS_DIR / "metadata.csv")["doc_id"]
    study = load_readings(None, ids, load_codebook())
    assert len(study.claims) == 7 and len(study.expectations) == 5


@pytest.mark.parametrize("text, line, message", [
    ("[[term]]\ndoc = 'alpha-2020'\n", 1, r"\[\[term\]\] 1 has no field 'term' — add term = …"),
    ("[[term]]\ndoc = 'alpha-2020'\nterm = 'x'\n\n[[term]]\ndoc = 'gamma-2022'\nterm = 'y'\n", 5,
     r"\[\[term\]\] 2: doc = 'gamma-2022' is not a doc_id of metadata.csv — use one of alpha-2020, beta-2021"),
    ("[[claim]]\nkind = 'best'\npole = 'ideological'\na = 'alpha-2020'\n", 1,
     r"kind = 'best' — use one of more, most, leans"),
    ("[[expectation]]\nkind = 'most'\npole = 'hawkish'\na = 'alpha-2020'\n", 1,
     r"pole = 'hawkish' is not a pole of the codebook — use one of credibility, deterrence"),
    ("[[claim]]\nkind = 'more'\npole = 'ideological'\na = 'alpha-2020'\n", 1,
     r"a 'more' claim compares two articles — add b = another doc_id"),
    ("[[claim]]\nkind = 'leans'\npole = 'ideological'\na = 'alpha-2020'\nb = 'beta-2021'\n", 1,
     r"b is only used by 'more' — remove b"),
    ("[[claim]]\nkind = 'leans'\npole = 'ideological'\na = 'alpha-2020'\nwho = 'me'\n", 1,
     r"unknown field 'who'"),
    ("\n\nclaims = []\n", 3, r"unknown key 'claims' — use only article, claim"),
    ("phrases = 'axis'\n", 1, r"phrases must be a list of words or phrases"),
    ("[notes]\ntopics = 'x'\n", 1, r"\[notes\] must map tfidf, collocations or concordances to text"),
    ("[[grouping]]\ntarget = 'a'\ntarget_docs = ['alpha-2020']\nreference = 'b'\n"
     "reference_docs = ['alpha-2020']\n", 1, r"an article is on both sides"),
    ("[[article]]\ndoc = 'alpha-2020'\nframing = { war = 'x' }\n", 1, r"framing must map contrasts of the codebook"),
    ("[[article]]\ndoc = 'alpha-2020'\nterms = 'pact'\n", 1, r"terms must be a list of words"),
    ("[[term]]\ndoc = 'alpha-2020'\nterm = ''\n", 1, r"term must be a non-empty string"),
    ("phrases = ['a']\nwords = = 2\n", 2, r"not valid TOML .* — fix the TOML syntax"),
    # values of the wrong type are named, never a traceback
    ("[[term]]\ndoc = ['alpha-2020']\nterm = 'x'\n", 1, r"doc must be a string, not list — write doc = "),
    ("[[claim]]\nkind = 'leans'\npole = ['ideological']\na = 'alpha-2020'\n", 1, r"pole must be a string, not list"),
    ("[[claim]]\nkind = 3\npole = 'ideological'\na = 'alpha-2020'\n", 1, r"kind must be a string, not int"),
    ("[[grouping]]\ntarget = 'a'\ntarget_docs = 5\nreference = 'b'\nreference_docs = ['beta-2021']\n", 1,
     r"target_docs must list doc_ids of metadata.csv"),
    # group names keyness could not take
    ("[[grouping]]\ntarget = 'rest'\ntarget_docs = ['alpha-2020']\nreference = 'b'\n"
     "reference_docs = ['beta-2021']\n", 1, r"target = 'rest' is reserved for all other articles"),
    ("[[grouping]]\ntarget = 'beta-2021'\ntarget_docs = ['alpha-2020']\nreference = 'b'\n"
     "reference_docs = ['beta-2021']\n", 1, r"target = 'beta-2021' is a doc_id — give the group a name of its own"),
    ("[[grouping]]\ntarget = 'a'\ntarget_docs = ['alpha-2020']\nreference = 'b'\nreference_docs = ['beta-2021']\n"
     "\n[[grouping]]\ntarget = 'a'\ntarget_docs = ['beta-2021']\nreference = 'c'\nreference_docs = ['alpha-2020']\n",
     7, r"group 'a' lists other articles than before"),
    ("[[grouping]]\ntarget = 'a'\ntarget_docs = ['alpha-2020']\nreference = 'b'\nreference_docs = ['beta-2021']\n"
     "\n[[grouping]]\ntarget = 'a'\ntarget_docs = ['alpha-2020']\nreference = 'b'\nreference_docs = ['beta-2021']\n",
     7, r"the pair 'a' / 'b' is listed twice"),
])
def test_each_bad_file_gets_one_line_naming_file_line_and_fix(tmp_path, text, line, message):
    corpus = write(tmp_path, text)
    with pytest.raises(InputError, match=message) as raised:
        load_readings(corpus, IDS, load_codebook())
    first = next(p for p in raised.value.problems if re.search(message, str(p)))
    assert str(first).startswith(f"{corpus / READINGS_FILE}:{line}: ")
    assert [str(p) for p in readings_check(corpus)] == [str(p) for p in raised.value.problems]


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    corpus = write(tmp_path, "")
    (corpus / READINGS_FILE).write_bytes(b'phrases = ["a"]\nwords = ["\xff"]\n')
    with pytest.raises(InputError, match=r"readings.toml:2: not valid UTF-8 at byte offset 26"):
        load_readings(corpus, IDS, load_codebook())


def test_validate_refuses_a_bad_readings_file_with_exit_2_and_one_line(tmp_path):
    corpus = write(tmp_path, "[[claim]]\nkind = 'leans'\npole = 'ideological'\na = 'nobody'\n")
    result = cli_run("validate", corpus)
    assert result.returncode == 2
    assert "readings.toml:1: [[claim]] 1: a = 'nobody' is not a doc_id of metadata.csv" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_notebook_source_names_an_article_of_the_study():
    ids = pd.read_csv(config.CORPUS_DIR / "metadata.csv")["doc_id"]
    named = {p.name: [i for i in ids if i in p.read_text(encoding="utf-8")]
             for p in sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]-*.py"))}
    assert named and {name: found for name, found in named.items() if found} == {}
