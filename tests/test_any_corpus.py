"""The whole study runs on another corpus, and hostile text cannot break or inject into it.

The demo corpus (``examples/demo-corpus``, the project's own writing) proves the study
runs on any corpus laid out like ``corpus/``. The hostile corpus adds an article of our
own making with markup, mathtext, a very long line and right-to-left text: the report
must still run, every figure must render, and no article text may become markup in HTML.
"""
import json
import re
import shutil
import subprocess
import sys

import pytest

from analysis import config
from pages import page_problems

pytestmark = pytest.mark.study

DEMO = config.ROOT / "examples" / "demo-corpus"
#: Tables that only a corpus with hand coding (``annotations/``) produces.
NEED_HAND_CODING = {"annotations.csv", "validation.csv", "agreement.csv", "validation_positions.csv",
                    "validation_intervals.csv", "validation_by_round.csv", "validation_target_window.csv",
                    "validation_target_window_matches.csv", "validation_learning_curve.csv"}
HOSTILE_TEXT = "\n".join([
    "Hostile Headline <script>alert('headline')</script>",
    "",
    "The bloc is a marriage of convenience <script>alert('x')</script> between two regimes.",
    "",
    "A shared ideology <img src=x onerror=alert('img')> binds them, says one $\\alpha$ analyst who paid $5 and $6.",
    "",
    "Deterrence " + "and credibility " * 700 + "end of a very long line.",
    "",
    "הברית היא אידאולוגית — التحالف أيديولوجي — and the strike was meant to show strength to audiences.",
    "",
    "Retaliation was avoided to prevent escalation; the $x^2$ of it is <b>bold</b> & risky.",
    "",
])


def run_report(corpus, out):
    return subprocess.run([sys.executable, "-m", "analysis", "report", "--corpus", str(corpus), "--out", str(out)],
                          capture_output=True, text=True, cwd=config.ROOT, timeout=3000)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo-study")
    result = run_report(DEMO, out)
    assert result.returncode == 0, result.stderr[-4000:]
    return out


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    shutil.copytree(DEMO, corpus)
    # without readings.toml, so that every reading is computed from the corpus itself
    (corpus / "readings.toml").unlink()
    (corpus / "texts" / "hostile-2024.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    with open(corpus / "metadata.csv", "a", encoding="utf-8") as fh:
        fh.write('hostile-2024,texts/hostile-2024.txt,"Hostile Headline <script>alert(\'headline\')</script>",'
                 "stated: line 1,The <i>Hostile</i> Post,inferred: test,,absent: none,2024-02-29,day,"
                 "stated: test,opinion,inferred: test\n")
    with open(corpus / "furniture.csv", "a", encoding="utf-8") as fh:
        fh.write("hostile-headline,hostile-2024,Hostile Headline .*,headline,\n")
    out = root / "out"
    result = run_report(corpus, out)
    assert result.returncode == 0, result.stderr[-4000:]
    return out


def test_demo_corpus_produces_every_output(demo_run):
    committed_tables = {p.name for p in (config.ROOT / "results" / "tables").glob("*.csv")}
    demo_tables = {p.name for p in (demo_run / "results" / "tables").glob("*.csv")}
    # the demo corpus is hand coded (examples/demo-corpus/annotations), so even the
    # validation tables are made
    assert committed_tables <= demo_tables
    assert NEED_HAND_CODING <= demo_tables
    assert (demo_run / "reports" / "index.html").exists()
    assert list((demo_run / "results" / "figures").glob("*.svg"))


def test_demo_validation_reads_its_own_hand_coding(demo_run):
    import pandas as pd

    validation = pd.read_csv(demo_run / "results" / "tables" / "validation.csv")
    annotations = pd.read_csv(demo_run / "results" / "tables" / "annotations.csv")
    assert (annotations["units"] == 18).all()  # every demo paragraph, coded twice
    assert validation["auc"].notna().any()


def test_demo_run_leaves_committed_outputs_untouched(demo_run):
    manifest = (config.ROOT / "results" / "MANIFEST.json").read_text()
    assert "ledger-2019" not in manifest


def test_hostile_html_is_escaped(hostile_run):
    for page in sorted((hostile_run / "reports").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert(" not in html, page.name
        assert not re.search(r"<img[^>]*onerror", html, re.IGNORECASE), page.name
        assert "<i>Hostile</i>" not in html, page.name


def test_hostile_figures_render(hostile_run):
    figures = sorted((hostile_run / "results" / "figures").glob("*.png"))
    assert figures
    assert all(p.stat().st_size > 1000 for p in figures)


def test_demo_index_page_shows_the_demo_hand_coding(demo_run):
    page = (demo_run / "reports" / "index.html").read_text(encoding="utf-8")
    assert page_problems(page, demo_run / "reports") == []
    # the demo corpus is hand coded, so its page has a validity table (a corpus without
    # one is covered in test_overview)
    assert "No validity table" not in page and "[95% interval]" in page
    stamp = json.loads((demo_run / "results" / "MANIFEST.json").read_text())["stamp"]
    assert stamp["corpus_sha256"] in page


def test_hostile_index_page_is_escaped_and_self_contained(hostile_run):
    page = (hostile_run / "reports" / "index.html").read_text(encoding="utf-8")
    assert page_problems(page, hostile_run / "reports") == []
    assert "<i>Hostile</i>" not in page


def test_demo_readings_are_read_from_its_file(demo_run):
    import pandas as pd

    tables = demo_run / "results" / "tables"
    expectations = pd.read_csv(tables / "frames_expectations.csv")
    assert expectations["expectation"].tolist() == ["ledger-2019 leans furthest to transactional of all articles",
                                                    "tribune-2021 leans furthest to ideological of all articles",
                                                    "tribune-2021 leans further to ideological than ledger-2019"]
    claims = pd.read_csv(tables / "multiverse_claims.csv")["claim"].tolist()
    assert claims == ["ledger-2019 leans furthest to transactional of all articles",
                      "tribune-2021 leans furthest to ideological of all articles",
                      "tribune-2021 leans further to ideological than ledger-2019"]
    page = (demo_run / "reports" / "02-vocabulary.html").read_text(encoding="utf-8")
    assert "alliances against strike" in page


def test_a_corpus_without_readings_gets_readings_computed_from_it(hostile_run):
    import pandas as pd

    tables = hostile_run / "results" / "tables"
    ends = pd.read_csv(tables / "frames_ends.csv")
    assert ends["pole"].tolist() == ["transactional", "ideological", "deterrence", "credibility"]
    assert pd.read_csv(tables / "frames_expectations.csv").empty
    # notebook 07 tests that each end of the map is the most framed towards its pole
    claims = pd.read_csv(tables / "multiverse_claims.csv")
    assert claims["claim"].tolist() == [f"{r.doc_id} leans furthest to {r.pole} of all articles"
                                        for r in ends.itertuples()]
    page = (hostile_run / "reports" / "05-framing-map.html").read_text(encoding="utf-8")
    assert "This corpus has no <code>readings.toml</code> with expectations" in page
