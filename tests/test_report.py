"""Rendering notebooks as HTML: cells tagged ``hide-input`` show their output and not their code."""
import re

import nbformat
import pytest

from analysis.report import HIDE_INPUT, notebook_html, notebook_prepare, notebook_sources


def html_cells(page: str) -> dict[str, str]:
    """The HTML of each rendered cell, by cell id."""
    parts = re.split(r'(?=<div class="jp-Cell jp-)', page)
    cells = {}
    for part in parts[1:]:
        match = re.match(r'<div class="[^"]*" id="cell-id=([^"]+)"', part)
        if match:
            cells[match.group(1)] = part
    return cells


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


@pytest.mark.parametrize("source", notebook_sources(), ids=lambda p: p.stem)
def test_notebook_sources_tag_their_prose_cells_and_keep_the_code(source):
    nb = notebook_prepare(source, {})
    tagged = [c for c in nb.cells if HIDE_INPUT in c.metadata.get("tags", [])]
    assert tagged, f"{source.name}: no cell is tagged {HIDE_INPUT!r}"
    assert all(c.cell_type == "code" and c.source.strip() for c in tagged)
    # the parameters cell is never hidden: a reader must see what the run was given
    assert not any("parameters" in c.metadata.get("tags", []) for c in tagged)
