"""Tests for analysis.plots.validation: what is drawn, escaped labels, no global state."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.plots.validation import (plot_agreement, plot_confusion, plot_specification_curve,  # noqa: E402
                                       plot_specification_curves, spec_indicators)

RESULTS = pd.DataFrame({
    "spec_id": ["s1", "s2", "s3", "s4", "s1", "s2", "s3", "s4"],
    "claim": ["cost $5 claim"] * 4 + ["other"] * 4,
    "margin": [0.4, -0.2, np.nan, 1.0, -1.0, -0.5, 0.2, 0.1],
    "holds": pd.array([True, False, None, True, False, False, True, True], dtype="boolean"),
    "baseline": [True, False, False, False] * 2,
    "measure": ["dict", "lss", "lss", "tfidf"] * 2,
    "lss_k": [None, 100, 50, None] * 2,
})


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_confusion_writes_counts_and_escapes_labels():
    before = dict(plt.rcParams)
    table = pd.DataFrame([[3, 1], [0, 2]], index=["a$b", "c"], columns=["a$b", "c"])
    fig, ax = plt.subplots()
    out = plot_confusion(table, ax=ax, title="costs $5")
    assert out is ax
    assert [t.get_text() for t in ax.texts] == ["3", "1", "0", "2"]
    assert [t.get_text() for t in ax.get_yticklabels()] == [r"a\$b", "c"]
    assert ax.get_title() == r"costs \$5"
    assert dict(plt.rcParams) == before


def test_agreement_heatmap_uses_display_names():
    m = pd.DataFrame([[1.0, 0.25], [0.25, 1.0]], index=["dict", "lss"], columns=["dict", "lss"])
    ax = plot_agreement(m, labels={"dict": "dictionary"})
    assert [t.get_text() for t in ax.texts] == ["1.00", "0.25", "0.25", "1.00"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["dictionary", "lss"]


def test_spec_indicators_order_numbers_numerically():
    marks = spec_indicators(RESULTS.iloc[:4], ["measure", "lss_k"])
    assert marks.columns.tolist() == ["measure = dict", "measure = lss", "measure = tfidf", "lss_k = 50",
                                      "lss_k = 100"]
    assert marks["lss_k = 100"].tolist() == [False, True, False, False]


def test_specification_curve_sorts_colours_and_rings_the_baseline():
    top, bottom = plot_specification_curve(RESULTS, "cost $5 claim", ["measure", "lss_k"])
    holds, fails, base = top.collections[:3]
    # three specifications with a margin, sorted: -0.2 (fails), 0.4 (holds, baseline), 1.0 (holds)
    assert holds.get_offsets()[:, 1].tolist() == [0.4, 1.0]
    assert holds.get_offsets()[:, 0].tolist() == [1, 2]
    assert fails.get_offsets().tolist() == [[0, -0.2]]
    assert base.get_offsets().tolist() == [[1, 0.4]]
    assert top.get_title().startswith(r"cost \$5 claim — holds in 67% of 3")
    assert [t.get_text() for t in bottom.get_yticklabels()] == ["measure = dict", "measure = lss",
                                                                "measure = tfidf", "lss_k = 100"]


def test_specification_curves_grid():
    axes = plot_specification_curves(RESULTS, ["cost $5 claim", "other", "other"], ["measure"], ncols=2)
    assert axes.shape == (4, 2)
    assert not axes[2, 1].get_visible() and not axes[3, 1].get_visible()
    assert axes[1, 1].get_yticklabels()[0].get_text() == ""
    with pytest.raises(ValueError, match="claims is empty"):
        plot_specification_curves(RESULTS, [], ["measure"])


def test_learning_curve_draws_a_line_per_contrast_and_task():
    from analysis.plots.validation import plot_learning_curve

    curve = pd.DataFrame({"share": [0, 1, 0, 1], "contrast": ["alliance", "alliance", "force", "force"],
                          "polarity_auc": [0.6, 0.7, 0.5, 0.55], "presence_auc": [0.8, 0.8, 0.7, 0.75]})
    ax = plot_learning_curve(curve)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["alliance: polarity", "alliance: presence", "force: polarity", "force: presence", "chance"]
    assert ax.get_lines()[0].get_xdata().tolist() == [0, 100]  # shares in percent
    assert ax.get_lines()[2].get_ydata().tolist() == [0.5, 0.55]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == labels
    plt.close(ax.figure)


@pytest.mark.parametrize("noise", [0.0, 1e-15, -1e-15])
def test_margins_equal_to_ten_decimals_are_ordered_by_specification(noise):
    # s4's margin differs from s1's only in its last bits, as an SVD's can between runs
    results = RESULTS.copy()
    results.loc[3, "margin"] = 0.4 + noise
    top, _ = plot_specification_curve(results, "cost $5 claim", ["measure"])
    holds = top.collections[0]
    # -0.2 (s2) first; then s1 and s4 tied at 0.4, in spec_id order, whatever the noise
    assert holds.get_offsets()[:, 0].tolist() == [1, 2]
    assert holds.get_offsets()[:, 1].tolist() == pytest.approx([0.4, 0.4])
    base = top.collections[2]
    assert base.get_offsets()[:, 0].tolist() == [1]  # s1, the baseline, stays first of the tie
