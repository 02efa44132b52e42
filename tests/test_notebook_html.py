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
