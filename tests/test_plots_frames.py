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


def test_trajectory_orders_by_date_and_labels_articles():
    ax = plot_trajectory(DOCS)
    assert len(ax.containers) == 2  # one error-bar series per contrast
    assert sorted(texts(ax)) == sorted([r"cost\$5", "b", "c"])


def test_measure_dots():
    ax = plot_measure_dots(DOCS, "force", measures=["dict"])
    assert len(ax.containers) == 2  # combined index, then the dictionary
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["combined index", "dictionary"]


@pytest.mark.parametrize("plot, args", [
    (plot_framing_map, (DOCS.drop(columns="force_low"),)),
    (plot_index_bars, (DOCS, "power")),
    (plot_trajectory, (DOCS.drop(columns="date"),)),
    (plot_measure_dots, (DOCS, "force", None, ["lss"])),
])
def test_missing_columns_are_named(plot, args):
    with pytest.raises(ValueError, match="has no column"):
        plot(*args)
