"""Tests for analysis.plots.validation: what is drawn, escaped labels, no global state."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.plots.validation import (claim_setting_shares, plot_agreement, plot_confusion,  # noqa: E402
                                       plot_specification_curve, plot_specification_curves, spec_indicators)

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


def test_specification_curves_layout_and_errors():
    axes = plot_specification_curves(RESULTS, ["cost $5 claim", "other"], ["measure"])
    assert axes.shape == (3, 1)
    assert axes[0, 0].get_title(loc="left").startswith(r"C1  cost \$5 claim — holds in 67% of 3")
    assert axes[1, 0].get_title(loc="left").startswith("C2  other — holds in 50% of 4")
    assert [t.get_text() for t in axes[2, 0].get_xticklabels()] == ["C1", "C2"]
    with pytest.raises(ValueError, match="claims is empty"):
        plot_specification_curves(RESULTS, [], ["measure"])
    with pytest.raises(ValueError, match="axes has 2 Axes for 2 claims"):
        plot_specification_curves(RESULTS, ["cost $5 claim", "other"], ["measure"], axes=plt.subplots(2)[1])


def test_claim_setting_shares_by_hand():
    shares = claim_setting_shares(RESULTS, ["cost $5 claim", "other"], ["measure", "lss_k"])
    first = shares[shares["claim"] == "cost $5 claim"].set_index("row")
    # s3 has no margin: three specifications, two hold; lss only in s2 (fails)
    assert first.loc["all specifications", "specs"] == 3
    assert first.loc["all specifications", "share"] == pytest.approx(2 / 3)
    assert first.loc["measure = lss", ["specs", "share"]].tolist() == [1, 0.0]
    # lss_k = 50 is used by s3 only, which has no margin for this claim
    assert first.loc["lss_k = 50", "specs"] == 0 and np.isnan(first.loc["lss_k = 50", "share"])
    other = shares[shares["claim"] == "other"].set_index("row")
    assert other.loc["measure = lss", ["specs", "share"]].tolist() == [2, 0.5]
    assert shares["row"].drop_duplicates().tolist() == ["all specifications", "measure = dict", "measure = lss",
                                                        "measure = tfidf", "lss_k = 50", "lss_k = 100"]


def test_specification_curves_matrix_writes_the_shares_in_percent():
    axes = plot_specification_curves(RESULTS, ["cost $5 claim", "other"], ["measure"])
    matrix = axes[-1, 0]
    # rows: all, dict, lss, tfidf; columns: the two claims
    assert [t.get_text() for t in matrix.texts] == ["67", "50", "100", "0", "0", "50", "100", "100"]
    bars = [a for a in matrix.figure.axes if a not in axes.ravel()]
    assert len(bars) == 1 and "in which the claim holds" in bars[0].get_xlabel()


def test_specification_curve_strips_keep_the_ordering_rule():
    results = RESULTS.copy()
    results.loc[3, "margin"] = 0.4 + 1e-15  # s4 ties s1 to ten decimals
    axes = plot_specification_curves(results, ["cost $5 claim"], ["measure"])
    holds, fails, base = axes[0, 0].collections[:3]
    assert fails.get_offsets().tolist() == [[0, -0.2]]
    assert holds.get_offsets()[:, 0].tolist() == [1, 2]
    assert base.get_offsets().tolist() == [[1, 0.4]]  # s1, the baseline, first of the tie


def _toy_multiverse(n_claims: int = 7, n_specs: int = 174) -> tuple[pd.DataFrame, list[str]]:
    """A grid the size of the study's: 174 specifications, 14 settings with 2-3 values, 7 claims."""
    rng = np.random.default_rng(0)
    settings = {f"setting_{k:02d}": [f"v{j}" for j in range(2 + k % 2)] for k in range(14)}
    specs = pd.DataFrame({s: rng.choice(v, n_specs) for s, v in settings.items()})
    specs.insert(0, "measure", rng.choice(["dict", "tfidf", "lss", "sup", "topic", "combined"], n_specs))
    specs.insert(0, "spec_id", [f"s{i:03d}" for i in range(n_specs)])
    rows = []
    for c in range(n_claims):
        margin = rng.normal(0.3, 1.0, n_specs)
        claim = f"article-{c} leans furthest to a pole with a fairly long name of all articles"
        rows.append(specs.assign(claim=claim, margin=margin, holds=margin > 0, baseline=specs.index < 4))
    return pd.concat(rows, ignore_index=True), ["measure", *settings]


def test_specification_curves_fit_a_page(tmp_path):
    from analysis.config import StudyPaths
    from analysis.outputs import SAVE_DPI, save_figure

    results, settings = _toy_multiverse()
    claims = list(dict.fromkeys(results["claim"]))
    axes = plot_specification_curves(results, claims, settings)
    fig = axes[0, 0].figure
    texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text()]
    sizes = [t.get_fontsize() for t in texts]
    tick_sizes = [t.get_fontsize() for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels()
                  if t.get_text()]
    save_figure(fig, StudyPaths(tmp_path), "curve", show=False)
    png = (tmp_path / "results" / "figures" / "curve.png").read_bytes()
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert height <= 1400 and width <= 1400
    # a page shows the image 900 px wide; a CSS pixel is 3/4 pt
    shown = 900 / width * SAVE_DPI / 72 * 0.75
    assert len(tick_sizes) > 40
    assert min(tick_sizes) * shown >= 8.0
    assert min(sizes) * shown >= 8.0


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
