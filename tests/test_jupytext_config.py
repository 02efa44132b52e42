"""jupytext.toml: saving a notebook, in JupyterLab or with the jupytext command, leaves its
committed notebooks/NN-name.py byte for byte as it is."""
from __future__ import annotations

import copy
import shutil
from pathlib import Path

import jupytext
import nbformat
import pytest
from jupytext.cli import jupytext as jupytext_command

from analysis import config

NOTEBOOKS = sorted((config.ROOT / "notebooks").glob("*.py"))
CONFIG = config.ROOT / "jupytext.toml"


def as_saved_from_jupyterlab(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook as JupyterLab hands it over after a run: versions, outputs, views, timings."""
    nb = copy.deepcopy(nb)
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7", "pygments_lexer": "ipython3"}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.metadata.setdefault("jupytext", {})["text_representation"] = {
        "extension": ".py", "format_name": "percent", "format_version": "1.3",
        "jupytext_version": jupytext.__version__}
    for i, cell in enumerate(nb.cells):
        cell.metadata.update(collapsed=False, scrolled=True, jupyter={"source_hidden": True},
                             execution={"shell.execute_reply": "2026-01-01T00:00:00.000000Z"})
        if cell.cell_type == "code":
            cell.execution_count = i + 1
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="shown\n")]
    return nb


def layout(root: Path, with_config: bool = True) -> Path:
    """A copy of the repository's layout for notebooks: jupytext.toml at the top, notebooks/ below."""
    (root / "notebooks").mkdir(parents=True)
    if with_config:
        shutil.copy(CONFIG, root / "jupytext.toml")
    return root / "notebooks"


def save_in_jupyterlab(root: Path, source: Path) -> Path:
    """Save the notebook of ``source`` through jupytext's contents manager, as JupyterLab does."""
    manager = jupytext.TextFileContentsManager(root_dir=str(root))
    nb = as_saved_from_jupyterlab(jupytext.read(source))
    manager.save({"type": "notebook", "content": nb}, f"notebooks/{source.stem}.ipynb")
    return root / "notebooks" / source.name


def test_every_notebook_is_checked():
    from analysis.kernels import notebook_sources

    assert NOTEBOOKS == notebook_sources() and len(NOTEBOOKS) == 7


@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda p: p.stem)
def test_saving_in_jupyterlab_keeps_the_py_byte_for_byte(tmp_path, source):
    layout(tmp_path)
    written = save_in_jupyterlab(tmp_path, source)
    assert written.read_bytes() == source.read_bytes()


@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda p: p.stem)
def test_jupytext_to_py_percent_gives_back_the_py_byte_for_byte(tmp_path, source):
    folder = layout(tmp_path)
    notebook = folder / f"{source.stem}.ipynb"
    nbformat.write(as_saved_from_jupyterlab(jupytext.read(source)), notebook)
    assert jupytext_command(["--quiet", "--to", "py:percent", str(notebook)]) == 0
    assert (folder / source.name).read_bytes() == source.read_bytes()


def test_without_the_config_saving_rewrites_the_header(tmp_path):
    # what the configuration prevents: jupytext records its version in every saved .py
    layout(tmp_path, with_config=False)
    written = save_in_jupyterlab(tmp_path, NOTEBOOKS[0])
    assert f"jupytext_version: {jupytext.__version__}" in written.read_text(encoding="utf-8")
    assert written.read_bytes() != NOTEBOOKS[0].read_bytes()


@pytest.mark.study
@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_committed_executed_notebook_converts_to_its_py(tmp_path, source):
    folder = layout(tmp_path)
    shutil.copy(source.with_suffix(".ipynb"), folder)
    assert jupytext_command(["--quiet", "--to", "py:percent", str(folder / f"{source.stem}.ipynb")]) == 0
    assert (folder / source.name).read_bytes() == source.read_bytes()
