"""Tests for analysis.plots.frames: what is drawn, escaped labels, no global state."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.plots.frames import (plot_framing_map, plot_index_bars, plot_measure_dots,  # noqa: E402
                                   plot_trajectory)

DOCS = pd.DataFrame({
    "doc_id": ["cost$5", "b", "c"], "date": ["2015-01-01", "2020-01-01", "2020-02-01"],
    "alliance_index": [0.5, -1.0, np.nan], "alliance_low": [0.1, -1.6, np.nan], "alliance_high": [0.9, -0.2, np.nan],
    "force_index": [-0.3, 0.8, 0.1], "force_low": [-0.6, 0.2, -0.1], "force_high": [0.0, 1.5, 0.4],
    "z_dict_force": [-0.2, 1.0, 0.0], "z_dict_force_low": [-0.4, 0.5, 0.0], "z_dict_force_high": [0.1, 1.2, 0.0],
})
UNITS = pd.DataFrame({"doc_id": ["cost$5", "cost$5", "b"], "alliance_index": [0.4, 0.6, -1.0],
                      "force_index": [-0.1, -0.5, 0.8]})
POLES = {"alliance": ("transactional", "ideological"), "force": ("deterrence", "credibility")}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_framing_map_draws_articles_with_intervals_and_paragraphs():
    before = dict(plt.rcParams)
    fig, ax = plt.subplots()
    out = plot_framing_map(DOCS, UNITS, ax=ax, poles=POLES)
    assert out is ax
    # one error bar per article that has both positions (c has no alliance position)
    assert len(ax.containers) == 2
    xerr = ax.containers[1].lines[2][0].get_segments()[0]  # article b: from its low to its high
    assert xerr[0][0] == pytest.approx(-1.6) and xerr[1][0] == pytest.approx(-0.2)
    assert len(ax.collections) >= 2  # paragraphs, one scatter per article
    assert texts(ax) == [r"cost\$5", "b"]  # '$' escaped: no mathtext
    assert "transactional" in ax.get_xlabel() and "credibility" in ax.get_ylabel()
    assert dict(plt.rcParams) == before


def test_index_bars_diverge_by_sign():
    ax = plot_index_bars(DOCS, "force", poles=POLES)
    bars = ax.patches
    assert [b.get_width() for b in bars] == pytest.approx([-0.3, 0.8, 0.1])
    assert bars[0].get_facecolor() != bars[1].get_facecolor()
    assert [t.get_text() for t in ax.get_yticklabels()] == [r"cost\$5", "b", "c"]
    assert len(ax.containers) == 2  # the bars and their interval bars


def test_index_bars_skip_articles_without_position():
    ax = plot_index_bars(DOCS, "alliance")
    assert len(ax.patches) == 2


def test_trajectory_draws_points_and_intervals_without_lines():
    ax = plot_trajectory(DOCS)
    assert len(ax.containers) == 2  # one error-bar series per contrast
    for container in ax.containers:
        assert container.lines[0].get_linestyle() == "None"  # no line joins the articles
    assert ax.get_legend() is None
    assert sorted(texts(ax)) == sorted([r"cost\$5", "b", "c", "alliance", "force"])


def test_measure_dots_are_labelled_directly():
    ax = plot_measure_dots(DOCS, "force", measures=["dict"])
    assert len(ax.containers) == 2  # combined index, then the dictionary
    assert ax.get_legend() is None
    labels = {t.get_text(): t for t in ax.texts}
    assert set(labels) == {"combined index", "dictionary"}
    assert labels["dictionary"].get_color() == ax.containers[1].lines[0].get_color()


def _crowd(n: int) -> pd.DataFrame:
    """``n`` articles whose positions and dates nearly coincide, with names of unequal length."""
    eps = 1e-3 * np.arange(n)
    names = [f"{'outlet' * (1 + i % 3)}-{2015 + i}" for i in range(n)]
    return pd.DataFrame({
        "doc_id": names, "date": [f"2020-01-{1 + i:02d}" for i in range(n)],
        **{f"{c}_{s}": v + eps for c in ("alliance", "force")
           for s, v in (("index", 0.2), ("low", -0.1), ("high", 0.5))},
        **{f"z_{m}_force{s}": v - eps for m in ("dict", "tfidf", "lss", "sup")
           for s, v in (("", 0.1), ("_low", 0.0), ("_high", 0.3))},
    })


@pytest.mark.parametrize("n", [2, 4, 8])
@pytest.mark.parametrize("draw, n_labels", [
    (lambda d: plot_framing_map(d, poles=POLES), lambda n: n),  # the articles
    (lambda d: plot_trajectory(d), lambda n: n + 2),  # the articles and the two contrasts
    (lambda d: plot_measure_dots(d, "force"), lambda n: 5),  # the combined index and four measures
], ids=["framing_map", "trajectory", "measure_dots"])
def test_labels_never_overlap_when_articles_nearly_coincide(n, draw, n_labels):
    from analysis.plots.labels import overlapping

    ax = draw(_crowd(n))
    assert len(ax.texts) == n_labels(n)
    assert overlapping(ax.texts) == []


@pytest.mark.parametrize("plot, args", [
    (plot_framing_map, (DOCS.drop(columns="force_low"),)),
    (plot_index_bars, (DOCS, "power")),
    (plot_trajectory, (DOCS.drop(columns="date"),)),
    (plot_measure_dots, (DOCS, "force", None, ["lss"])),
])
def test_missing_columns_are_named(plot, args):
    with pytest.raises(ValueError, match="has no column"):
        plot(*args)


def _deuteranope(colour):
    """``colour`` as a deuteranope sees it: linear RGB through Machado, Oliveira & Fernandes's
    (2009) matrix for full deuteranopia."""
    from matplotlib.colors import to_rgb

    c = np.array(to_rgb(colour))
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    matrix = np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                       [-0.011820, 0.042940, 0.968881]])
    return matrix @ linear


def test_article_colours_stay_apart_under_deuteranopia():
    import itertools

    from analysis.plots import CATEGORY_COLOURS

    def closest(colours):
        seen = [_deuteranope(c) for c in colours]
        return min(np.linalg.norm(a - b) for a, b in itertools.combinations(seen, 2))

    assert closest(CATEGORY_COLOURS[:5]) > 0.15
    assert closest([f"C{k}" for k in range(5)]) < 0.1  # matplotlib's default cycle does not


def test_framing_map_gives_each_article_its_palette_colour():
    from matplotlib.colors import to_hex

    from analysis.plots import CATEGORY_COLOURS

    docs = pd.DataFrame({"doc_id": list("abcde"), **{f"{c}_{s}": [0.1 * k for k in range(5)]
                                                     for c in ("alliance", "force") for s in ("index", "low", "high")}})
    ax = plot_framing_map(docs)
    drawn = [to_hex(container.lines[0].get_color()) for container in ax.containers]
    assert drawn == [c.lower() for c in CATEGORY_COLOURS[:5]]


def test_an_article_keeps_its_colour_whatever_the_row_order():
    from matplotlib.colors import to_hex

    docs = pd.DataFrame({"doc_id": ["b", "a"], **{f"{c}_{s}": [0.1, 0.2] for c in ("alliance", "force")
                                                  for s in ("index", "low", "high")}})
    ax = plot_framing_map(docs)
    drawn = {t.get_text(): None for t in ax.texts}
    colours = [to_hex(container.lines[0].get_color()) for container in ax.containers]
    assert colours == ["#e69f00", "#0072b2"]  # b is second in sorted order, a first
    assert set(drawn) == {"a", "b"}


@pytest.mark.parametrize("n", [2, 5, 8])
def test_framing_map_labels_cover_no_article_or_interval(n):
    """The labels stand in a column right of every marker and interval, each joined to its
    article, inside the Axes (widened when the articles leave no room)."""
    from matplotlib.text import Text

    docs = _crowd(n)
    ax = plot_framing_map(docs, poles=POLES)
    ax.figure.draw_without_rendering()  # an annotation's text is placed when it is drawn
    renderer = ax.figure.canvas.get_renderer()
    # the right edge of every marker (8 points across) and interval (caps 3 points either side), in pixels
    x_right = max(docs["alliance_index"].max(), docs["alliance_high"].max())
    right = ax.transData.transform((x_right, 0.0))[0] + 4.0 * ax.figure.dpi / 72.0
    assert len(ax.texts) == n
    for text in ax.texts:
        box = Text.get_window_extent(text, renderer)  # the text's box, without its line
        assert box.x0 > right and box.x1 < ax.get_window_extent(renderer).x1  # inside the Axes
        assert tuple(text.xy) in set(zip(docs["alliance_index"], docs["force_index"]))
