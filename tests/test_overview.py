"""The reviewer's index page: built from a run's files, escaped, self-contained, every link alive."""
import base64
import json
from pathlib import Path

import pytest

from analysis import config
from analysis.config import study_paths
from analysis.overview import figure_alt, figure_captions, overview_page, table_read
from pages import page_problems

#: A 1 × 1 PNG, the smallest figure file a run could write.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def toy_run(root: Path, with_validity: bool = False, with_map: bool = False) -> Path:
    """The files a small run writes: a counts table, a claims table, one figure shown in one notebook."""
    paths = study_paths(root)
    paths.tables.mkdir(parents=True)
    paths.figures.mkdir(parents=True)
    paths.reports.mkdir(parents=True)
    paths.notebooks.mkdir(parents=True)
    (paths.tables / "corpus_counts.csv").write_text(
        "doc_id,paragraphs,sentences,tokens,types\na-2020,3,5,1200,90\nb-2021,4,6,1300,95\n", encoding="utf-8")
    (paths.tables / "multiverse_claims.csv").write_text(
        "claim,share,loo_evaluated,loo_held,verdict\n"
        "\"<b>a-2020</b> leans to <script>x</script>\",0.8125,1,1,robust\n"
        "b-2021 leans to ideological,0.25,1,0,not supported\n", encoding="utf-8")
    if with_validity:
        (paths.tables / "validation_intervals.csv").write_text(
            "contrast,measure,task,auc,auc_low,auc_high,f1,n,n_class\n"
            "alliance,dict,polarity,0.736667,0.544958,0.906667,0.6,40,10\n", encoding="utf-8")
    name = "framing_map" if with_map else "toy_lengths"
    (paths.figures / f"{name}.png").write_bytes(PNG)
    (paths.figures / f"{name}.svg").write_text("<svg/>", encoding="utf-8")
    notebook = {"cells": [
        {"cell_type": "code", "source": "", "metadata": {}, "outputs": [
            {"output_type": "display_data", "data": {"image/png": base64.b64encode(PNG).decode()}, "metadata": {}}]},
        {"cell_type": "markdown", "metadata": {}, "source": "*Figure 1. Lengths of <b>each</b> article.*\n\nMore."},
    ]}
    (paths.notebooks / "01-corpus.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    (paths.reports / "01-corpus.html").write_text("<html></html>", encoding="utf-8")
    return root


def test_committed_study_page_shows_the_answer_and_every_link_resolves():
    paths = study_paths(config.ROOT)
    page = overview_page(paths)
    assert page_problems(page, paths.reports) == []
    stamp = json.loads((config.ROOT / "results" / "MANIFEST.json").read_text())["stamp"]
    assert stamp["code_sha256"] in page and f"numpy {stamp['packages']['numpy']}" in page
    assert 'src="../results/figures/framing_map.png" alt="Figure 1. The framing map.' in page
    # every claim of notebook 07's verdict table, with its verdict
    claims, _ = table_read(paths.tables, "multiverse_claims")
    for r in claims.itertuples():
        assert f"{r.claim}</td>" in page and f">{r.verdict}</td>" in page
    assert "No validity table" not in page and "[95% interval]" in page
    # the verdict rule is stated in notebook 07, linked once the run has written its page
    assert "notebook 07, section 3" in page
    linked = '<a href="07-robustness.html">notebook 07, section 3</a>' in page
    assert linked == (paths.reports / "07-robustness.html").is_file()
    # every notebook page, figure and table is linked
    for p in [*paths.reports.glob("0*.html"), *paths.figures.glob("*.png"), *paths.tables.glob("*.csv")]:
        assert f'href="{p.name}"' in page or f'href="../results/{p.parent.name}/{p.name}"' in page, p.name


def test_toy_run_without_hand_coding_or_map_says_so(tmp_path):
    paths = study_paths(toy_run(tmp_path))
    page = overview_page(paths, [("01-corpus.html", "01 — <b>Corpus</b>")])
    assert page_problems(page, paths.reports) == []
    assert "No validity table: this corpus has no hand coding" in page
    assert "No framing map" in page and "No provenance stamp" in page
    assert "2 articles, 7 paragraphs, 11 sentences, 2,500 word tokens" in page
    assert '<td class="num">81%</td>' in page and '<td class="num">1 of 1</td>' in page
    assert 'class="verdict not-supported">not supported</td>' in page


def test_text_from_data_is_escaped(tmp_path):
    paths = study_paths(toy_run(tmp_path))
    page = overview_page(paths, [("01-corpus.html", "01 — <b>Corpus</b>")])
    assert "01 — &lt;b&gt;Corpus&lt;/b&gt;" in page and "<b>Corpus</b>" not in page
    assert "&lt;b&gt;a-2020&lt;/b&gt; leans to &lt;script&gt;x&lt;/script&gt;" in page
    assert "<b>a-2020" not in page and "<b>each</b>" not in page
    assert "Figure 1. Lengths of &lt;b&gt;each&lt;/b&gt; article." in page


def test_map_and_validity_are_shown_when_written(tmp_path):
    paths = study_paths(toy_run(tmp_path, with_validity=True, with_map=True))
    page = overview_page(paths)
    assert page_problems(page, paths.reports) == []
    assert '<img src="../results/figures/framing_map.png" alt="Figure 1. Lengths of' in page
    assert "0.74 [0.54, 0.91] (40)" in page and "dictionary" in page


def test_figure_captions_match_images_by_their_bytes(tmp_path):
    paths = study_paths(toy_run(tmp_path))
    captions = figure_captions(paths.notebooks, paths.figures)
    assert captions == {"toy_lengths": ("01-corpus", "Figure 1. Lengths of <b>each</b> article.")}
    assert figure_alt("toy_lengths", captions) == "Figure 1. Lengths of <b>each</b> article."
    (paths.figures / "toy_lengths.png").write_bytes(PNG + b"changed")
    assert figure_captions(paths.notebooks, paths.figures) == {}
    assert figure_alt("toy_lengths", {}) == "Figure: toy lengths"


@pytest.mark.parametrize("manifest, expected", [
    ("{not json", "results/MANIFEST.json has no readable"),
    ('{"files": {}}', "results/MANIFEST.json has no readable"),
    ('{"stamp": {"code_sha256": "abc123", "packages": {"numpy": "9.9"}}}', "numpy 9.9"),
])
def test_manifest_is_read_or_named_as_unreadable(tmp_path, manifest, expected):
    paths = study_paths(toy_run(tmp_path))
    (tmp_path / "results" / "MANIFEST.json").write_text(manifest, encoding="utf-8")
    page = overview_page(paths)
    assert expected in page
    assert page_problems(page, paths.reports) == []


def test_a_table_without_its_columns_is_named_not_shown(tmp_path):
    paths = study_paths(toy_run(tmp_path))
    (paths.tables / "multiverse_claims.csv").write_text("claim,share\nx,0.5\n", encoding="utf-8")
    page = overview_page(paths)
    assert "results/tables/multiverse_claims.csv has no column verdict" in page
