"""Tables and figures are written with reproducible bytes, and notebooks show the saved files."""
import base64

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import config  # noqa: E402
from analysis.config import study_paths  # noqa: E402
from analysis.kernels import notebook_sources  # noqa: E402
from analysis.outputs import SAVE_DPI, save_figure, save_table  # noqa: E402


def _figure():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [1, 0])
    return fig


def test_save_figure_writes_png_and_svg_with_identical_bytes_twice(tmp_path):
    fig = _figure()
    first, second = study_paths(tmp_path / "a"), study_paths(tmp_path / "b")
    save_figure(fig, first, "line")
    save_figure(fig, second, "line")
    for ext in ("png", "svg"):
        a = (first.figures / f"line.{ext}").read_bytes()
        assert a == (second.figures / f"line.{ext}").read_bytes()
    png = (first.figures / "line.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") <= 3 * SAVE_DPI  # tight bounding box, at SAVE_DPI
    assert not list(first.figures.glob(".*")), "a temporary file was left behind"
    # outside a notebook the figure stays open for the caller
    assert plt.fignum_exists(fig.number)
    plt.close(fig)


def test_save_table_writes_fixed_float_format(tmp_path):
    paths = study_paths(tmp_path)
    save_table(pd.DataFrame({"x": [1.0 / 3, 2.0]}), paths, "t")
    assert (paths.tables / "t.csv").read_bytes() == b"x\n0.333333\n2\n"


@pytest.mark.parametrize("source", notebook_sources(), ids=lambda p: p.stem)
def test_notebooks_show_exactly_the_saved_figures(source):
    nb = nbformat.read(config.NOTEBOOKS_DIR / f"{source.stem}.ipynb", as_version=4)
    shown = [base64.b64decode(o["data"]["image/png"]) for c in nb.cells if c.cell_type == "code"
             for o in c.outputs if "image/png" in o.get("data", {})]
    saved = {p.read_bytes() for p in (config.ROOT / "results" / "figures").glob("*.png")}
    assert all(png in saved for png in shown), f"{source.stem} shows a figure that is not a saved file"


@pytest.mark.parametrize("source", notebook_sources(), ids=lambda p: p.stem)
def test_every_figure_on_a_page_has_its_caption_as_alternative_text(source):
    import html
    import re

    page = (config.ROOT / "reports" / f"{source.stem}.html").read_text(encoding="utf-8")
    alts = [html.unescape(a) for a in re.findall(r'<img[^>]*\balt="([^"]*)"', page)]
    assert len(alts) == page.count("<img")
    assert all(re.match(r"Figures? \d", a) for a in alts), [a for a in alts if not re.match(r"Figures? \d", a)]
