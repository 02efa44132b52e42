"""Tests for analysis.kernels: the injected parameters, a real kernel writing into the staging
folder, and the tags of the study's notebook sources."""
from __future__ import annotations

import os

import pytest

from analysis import config
from analysis.kernels import notebook_prepare, notebook_run, notebook_sources
from analysis.notebook_html import HIDE_INPUT


def test_injected_cell_holds_python_literals(tmp_path):
    source = tmp_path / "01-x.py"
    source.write_text('# %% tags=["parameters"]\ncorpus_dir = None\nk = 3\nshow = None\n\n# %%\nk\n')
    nb = notebook_prepare(source, {"k": 6, "show": True, "corpus_dir": "/data/c"})
    injected = nb.cells[1]
    assert injected.metadata["tags"] == ["injected-parameters"]
    assert injected.source.splitlines()[1:] == ['corpus_dir = "/data/c"', "k = 6", "show = True"]


def test_kernel_writes_into_the_staging_folder(tmp_path, monkeypatch):
    source = tmp_path / "01-t.py"
    source.write_text('# %% [markdown]\n# # T\n\n# %% tags=["parameters"]\ncorpus_dir = None\nout_dir = None\n\n'
                      "# %%\nimport pandas as pd\nfrom analysis import config\nfrom analysis.outputs import save_table\n"
                      'save_table(pd.DataFrame({"x": [1]}), config.study_paths(out_dir), "t")\n'
                      "import matplotlib\n"
                      'save_table(pd.DataFrame({"d": [matplotlib.get_configdir()]}), config.study_paths(out_dir), "m")\n',
                      encoding="utf-8")
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "another-installation"))  # what a user's shell may set
    before = os.environ.get("MPLCONFIGDIR")
    staged = config.StudyPaths(tmp_path / "stage")
    stem, title, _ = notebook_run(source, {"out_dir": str(tmp_path / "final")}, staged)
    assert (stem, title) == ("01-t", "T")
    assert (staged.tables / "t.csv").read_text() == "x\n1\n"
    assert (staged.notebooks / "01-t.ipynb").exists() and (staged.reports / "01-t.html").exists()
    assert not (tmp_path / "final").exists()
    assert config.STAGING_ENV not in os.environ
    # the kernel draws with the project's own matplotlib font list, and the environment is restored
    from analysis.kernels import MPL_CONFIG_DIR
    assert (staged.tables / "m.csv").read_text().splitlines()[1] == str(MPL_CONFIG_DIR)
    assert os.environ.get("MPLCONFIGDIR") == before


def test_tests_draw_with_the_projects_font_list():
    """Figures drawn by the tests read matplotlib's font list where the report's kernels do."""
    import matplotlib

    from analysis.kernels import MPL_CONFIG_DIR

    assert matplotlib.get_configdir() == str(MPL_CONFIG_DIR)


@pytest.mark.parametrize("source", notebook_sources(), ids=lambda p: p.stem)
def test_notebook_sources_tag_their_prose_cells_and_keep_the_code(source):
    nb = notebook_prepare(source, {})
    tagged = [c for c in nb.cells if HIDE_INPUT in c.metadata.get("tags", [])]
    assert tagged, f"{source.name}: no cell is tagged {HIDE_INPUT!r}"
    assert all(c.cell_type == "code" and c.source.strip() for c in tagged)
    # the parameters cell is never hidden: a reader must see what the run was given
    assert not any("parameters" in c.metadata.get("tags", []) for c in tagged)
