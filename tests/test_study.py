"""The committed outputs are exactly what the code produces.

The whole study is executed once into a temporary folder; every table and figure
must equal the committed file byte for byte, every executed notebook must equal the
committed one cell by cell (apart from the injected parameters cell), and the
committed HTML must equal a fresh rendering of the committed notebook.
"""
import json
import re
import subprocess
import sys

import nbformat
import pytest

from analysis import config
from analysis.kernels import notebook_sources
from analysis.notebook_html import notebook_html

pytestmark = pytest.mark.study


@pytest.fixture(scope="session")
def fresh_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("study")
    result = subprocess.run([sys.executable, "-m", "analysis", "report", "--out", str(out)],
                            capture_output=True, text=True, cwd=config.ROOT, timeout=3000)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def files_under(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_every_notebook_source_has_committed_outputs():
    for source in notebook_sources():
        assert (config.NOTEBOOKS_DIR / f"{source.stem}.ipynb").exists(), f"run `make report` for {source.name}"
        assert (config.ROOT / "reports" / f"{source.stem}.html").exists()
    assert (config.ROOT / "reports" / "index.html").exists()


def test_results_are_fresh(fresh_run):
    committed = config.ROOT / "results"
    assert files_under(fresh_run / "results") == files_under(committed), \
        "the set of result files changed: run `make report` and commit results/"
    stale = [name for name in files_under(committed)
             if (committed / name).read_bytes() != (fresh_run / "results" / name).read_bytes()]
    assert not stale, f"committed results differ from a fresh run: {stale} — run `make report` and commit"


def _cells(nb):
    """Cell sources and outputs, without the injected cell and the execution counts it shifts."""
    cells = []
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            continue
        outputs = [{k: v for k, v in o.items() if k != "execution_count"} for o in cell.get("outputs", [])]
        cells.append(json.dumps({"cell_type": cell.cell_type, "source": cell.source, "outputs": outputs},
                                sort_keys=True))
    return cells


@pytest.mark.parametrize("source", notebook_sources(), ids=lambda p: p.stem)
def test_notebooks_are_fresh(fresh_run, source):
    committed = nbformat.read(config.NOTEBOOKS_DIR / f"{source.stem}.ipynb", as_version=4)
    fresh = nbformat.read(fresh_run / "notebooks" / f"{source.stem}.ipynb", as_version=4)
    assert _cells(committed) == _cells(fresh), f"{source.stem}.ipynb is stale: run `make report` and commit"


@pytest.mark.parametrize("source", notebook_sources(), ids=lambda p: p.stem)
def test_committed_notebooks_are_executed_in_order_without_errors(source):
    nb = nbformat.read(config.NOTEBOOKS_DIR / f"{source.stem}.ipynb", as_version=4)
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))
    assert not any(o.output_type == "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert all(cell.id == f"cell-{i:03d}" for i, cell in enumerate(nb.cells))
    assert not any("execution" in c.metadata for c in nb.cells)


@pytest.mark.parametrize("source", notebook_sources(), ids=lambda p: p.stem)
def test_html_matches_committed_notebook(source):
    nb = nbformat.read(config.NOTEBOOKS_DIR / f"{source.stem}.ipynb", as_version=4)
    html = (config.ROOT / "reports" / f"{source.stem}.html").read_text(encoding="utf-8")
    assert notebook_html(nb) == html, f"reports/{source.stem}.html is stale: run `make report`"


@pytest.mark.parametrize("source", notebook_sources(), ids=lambda p: p.stem)
def test_notebook_source_is_narrative(source):
    """Notebooks hold no function or class definitions and open with a parameters cell."""
    text = source.read_text(encoding="utf-8")
    assert '# %% tags=["parameters"]' in text
    assert not any(line.startswith(("def ", "class ")) for line in text.splitlines())


@pytest.mark.parametrize("source", notebook_sources(), ids=lambda p: p.stem)
def test_html_renders_markdown_and_tables(source):
    """Sanitising must not turn the notebook's own headings and tables into escaped text."""
    html = (config.ROOT / "reports" / f"{source.stem}.html").read_text(encoding="utf-8")
    assert "<h1" in html and "&lt;h1" not in html and "&lt;h2" not in html
    assert "&lt;th" not in html and "&lt;style" not in html


@pytest.mark.parametrize("source", notebook_sources(), ids=lambda p: p.stem)
def test_html_runs_and_fetches_nothing(source):
    """No page loads a script (require.js and MathJax came from a CDN) or anything else remote."""
    html = (config.ROOT / "reports" / f"{source.stem}.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?https?://""", html, flags=re.IGNORECASE)


@pytest.mark.parametrize("source", notebook_sources(), ids=lambda p: p.stem)
def test_hidden_input_is_kept_in_the_notebook_and_left_out_of_the_page(fresh_run, source):
    from pages import html_cells

    from analysis.notebook_html import HIDE_INPUT

    nb = nbformat.read(fresh_run / "notebooks" / f"{source.stem}.ipynb", as_version=4)
    cells = html_cells((fresh_run / "reports" / f"{source.stem}.html").read_text(encoding="utf-8"))
    hidden = {c.id for c in nb.cells if HIDE_INPUT in c.metadata.get("tags", [])}
    assert hidden and all(c.source.strip() for c in nb.cells if c.id in hidden)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert ("jp-InputArea" in cells[cell.id]) == (cell.id not in hidden), cell.id
