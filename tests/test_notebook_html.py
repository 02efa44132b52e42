"""Tests for analysis.notebook_html: cells tagged hide-input show their output and not their code."""
from __future__ import annotations

import nbformat

from analysis.notebook_html import HIDE_INPUT, notebook_html
from pages import html_cells


def _toy_notebook():
    nb = nbformat.v4.new_notebook()
    shown = nbformat.v4.new_code_cell("shown_marker_value = 1\nshown_marker_value")
    shown.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "1"}, execution_count=1)]
    hidden = nbformat.v4.new_code_cell('hidden_marker_value = "prose"\nhidden_marker_value')
    hidden.metadata["tags"] = [HIDE_INPUT]
    hidden.outputs = [nbformat.v4.new_output("display_data", {"text/markdown": "Output_marker_text",
                                                              "text/plain": "x"})]
    nb.cells = [nbformat.v4.new_markdown_cell("# Toy"), shown, hidden]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
    return nb


def test_hidden_input_cells_show_output_but_not_code():
    nb = _toy_notebook()
    page = notebook_html(nb)
    cells = html_cells(page)
    assert "shown_marker_value" in cells["cell-001"] and "jp-InputArea" in cells["cell-001"]
    assert "hidden_marker_value" not in page and "jp-InputArea" not in cells["cell-002"]
    assert "Output_marker_text" in cells["cell-002"]
    # the notebook itself keeps the code
    assert nb.cells[2].source.startswith("hidden_marker_value")


# a 1x1 transparent PNG
_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="


def _figure_cell(n_images: int):
    cell = nbformat.v4.new_code_cell("plot()")
    cell.outputs = [nbformat.v4.new_output("display_data", {"image/png": _PNG, "text/plain": "<Figure>"})
                    for _ in range(n_images)]
    return cell


def test_each_image_takes_the_caption_below_it_as_alternative_text():
    import re

    from analysis.notebook_html import image_alts

    nb = nbformat.v4.new_notebook()
    nb.cells = [_figure_cell(2), nbformat.v4.new_markdown_cell("*Figure 1. Two panels <of> the map.*\n\nMore."),
                _figure_cell(1), nbformat.v4.new_markdown_cell("No caption here."),
                nbformat.v4.new_markdown_cell("*Figure 3. Never reached by the first image.*"),
                _figure_cell(1)]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
    assert image_alts(nb) == ["Figure 1. Two panels <of> the map."] * 2 + ["A figure without a caption"] * 2
    page = notebook_html(nb)
    alts = re.findall(r'<img[^>]*\balt="([^"]*)"', page)
    assert alts == ["Figure 1. Two panels &lt;of&gt; the map."] * 2 + ["A figure without a caption"] * 2
    assert "No description has been provided" not in page


def test_a_page_that_does_not_match_its_notebook_is_refused():
    import pytest

    from analysis.notebook_html import alts_set

    with pytest.raises(ValueError, match="1 images without alternative text but the notebook 2"):
        alts_set('<img alt="No description has been provided for this image">', ["a", "b"])


def _notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
    return nb


def test_outputs_count_as_images_as_nbconvert_renders_them():
    import warnings

    from analysis.notebook_html import image_alts

    warnings.simplefilter("error")  # pytest restores the filters after the test

    svg = nbformat.v4.new_code_cell("plot()")  # SVG alone is rendered as an <img> on the sanitised page
    svg.outputs = [nbformat.v4.new_output("display_data", {"image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg'/>",
                                                           "text/plain": "<Figure>"})]
    nb = _notebook(svg, nbformat.v4.new_markdown_cell("*Figure 1. An SVG.*"))
    assert image_alts(nb) == ["Figure 1. An SVG."]
    assert 'alt="Figure 1. An SVG."' in notebook_html(nb)
    html = nbformat.v4.new_code_cell("table()")  # HTML wins over a PNG: no <img>
    html.outputs = [nbformat.v4.new_output("display_data", {"text/html": "<b>t</b>", "image/png": _PNG,
                                                            "text/plain": "t"})]
    printed = nbformat.v4.new_code_cell("print(1)")  # a stream carries no data
    printed.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    nb = _notebook(printed, html, _figure_cell(1), nbformat.v4.new_markdown_cell("*Figure 1. The one image.*"))
    assert image_alts(nb) == ["Figure 1. The one image."]
    assert notebook_html(nb).count('alt="Figure 1. The one image."') == 1
