"""Tests for analysis.plots.topics: what is drawn, on which Axes, with safe labels."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.plots.topics import (  # noqa: E402
    plot_topic_alignment, plot_topic_diagnostics, plot_topic_metric, plot_topic_network,
    plot_topic_prevalence,
)

DIAG = pd.DataFrame({
    "model": ["lda"] * 4 + ["nmf"] * 4,
    "k": [2, 2, 3, 3] * 2,
    "seed": [1, 2] * 4,
    "npmi": [0.1, 0.3, 0.2, 0.2, 0.0, 0.1, 0.4, 0.5],
    "umass": [-1.0] * 8,
    "exclusivity": [0.6] * 8,
    "perplexity": [500.0, 510.0, 600.0, 610.0] + [np.nan] * 4,
    "stability": [0.9, 0.9, 0.7, 0.8, 1.0, 1.0, 0.9, 0.9],
})

PREV = pd.DataFrame({"doc_id": ["a", "a", "b$", "b$"], "topic": [1, 2, 1, 2],
                     "share": [0.3, 0.7, 0.6, 0.4], "low": [0.2, 0.6, 0.5, 0.3],
                     "high": [0.4, 0.8, 0.7, 0.5]})


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_metric_draws_mean_line_per_model_and_rings_chosen_k():
    fig, ax = plt.subplots()
    out = plot_topic_metric(DIAG, "npmi", chosen={"lda": 3}, threshold=0.25, ax=ax)
    assert out is ax
    mean_lines = [ln for ln in ax.lines if ln.get_label() in ("lda", "nmf")]
    # lda means over seeds: k=2 (.1+.3)/2 = .2, k=3 .2
    lda = next(ln for ln in mean_lines if ln.get_label() == "lda")
    np.testing.assert_allclose(lda.get_ydata(), [0.2, 0.2])
    assert len(mean_lines) == 2
    ring = [ln for ln in ax.lines if ln.get_linestyle() == "None"]
    assert len(ring) == 1 and list(ring[0].get_xdata()) == [3]
    assert any(np.allclose(ln.get_ydata(), 0.25) for ln in ax.lines)  # threshold line


def test_metric_skips_models_without_values():
    ax = plot_topic_metric(DIAG, "perplexity")
    assert [ln.get_label() for ln in ax.lines] == ["lda"]


def test_metric_rejects_unknown_column():
    with pytest.raises(ValueError, match="no column 'coherence'"):
        plot_topic_metric(DIAG, "coherence")


def test_diagnostics_one_panel_per_metric_and_chosen_from_table():
    chosen = pd.DataFrame({"model": ["lda", "nmf"], "k": [2, 3]})
    axes = plot_topic_diagnostics(DIAG, chosen=chosen, stability_threshold=0.8)
    assert len(axes) == 5
    assert [ax.get_title() for ax in axes][0] == "NPMI coherence"
    fig, two = plt.subplots(1, 2)
    with pytest.raises(ValueError, match="axes has 2 panels for 5 metrics"):
        plot_topic_diagnostics(DIAG, axes=two)


def test_prevalence_draws_one_errorbar_set_per_group_and_escapes_dollars():
    fig, ax = plt.subplots()
    out = plot_topic_prevalence(PREV, labels={1: "oil $ gas"}, ax=ax)
    assert out is ax
    assert len(ax.containers) == 2
    assert [t.get_text() for t in ax.get_yticklabels()] == [r"T1: oil \$ gas", "T2"]
    assert ax.get_legend() is None
    labels = {t.get_text(): t for t in ax.texts}  # the groups, named directly
    assert set(labels) == {"a", r"b\$"}
    assert labels[r"b\$"].get_color() == ax.containers[1].lines[0].get_color()


@pytest.mark.parametrize("n", [2, 4, 8])
def test_prevalence_group_labels_never_overlap(n):
    from analysis.plots.labels import overlapping

    groups = [f"{'outlet' * (1 + i % 3)}-{i}" for i in range(n)]
    prev = pd.DataFrame([dict(doc_id=g, topic=t, share=0.5, low=0.4, high=0.6) for g in groups for t in (1, 2, 3)])
    ax = plot_topic_prevalence(prev)
    assert sorted(t.get_text() for t in ax.texts) == sorted(groups)
    assert overlapping(ax.texts) == []


def test_prevalence_rejects_mixed_models():
    mixed = pd.concat([PREV.assign(model="lda"), PREV.assign(model="nmf")])
    with pytest.raises(ValueError, match="mixes several values of 'model'"):
        plot_topic_prevalence(mixed)
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['high'\]"):
        plot_topic_prevalence(PREV.drop(columns="high"))


def test_alignment_heatmap_cells_and_labels():
    a = pd.DataFrame({"topic": [1, 1, 2, 2], "pole": ["p", "q", "p", "q"],
                      "cosine": [0.1, 0.5, np.nan, 0.2]})
    ax = plot_topic_alignment(a, labels={2: "cost $"})
    assert ax.images[0].get_array().shape == (2, 2)
    assert sorted(t.get_text() for t in ax.texts) == ["0.10", "0.20", "0.50"]  # NaN left blank
    colours = {t.get_text(): t.get_color() for t in ax.texts}
    assert colours["0.50"] == "white" and colours["0.10"] == "black"  # readable on dark cells
    assert ax.get_yticklabels()[1].get_text() == r"T2: cost \$"
    bars = [a for a in ax.figure.axes if a is not ax]  # the colour bar, naming the quantity
    assert len(bars) == 1 and bars[0].get_ylabel().startswith("cosine similarity of topic and pole")


def test_network_draws_every_node_and_edge_and_is_reproducible():
    g = nx.Graph()
    g.add_nodes_from([(1, {"prevalence": 0.5}), (2, {"prevalence": 0.3}), (3, {"prevalence": 0.2})])
    g.add_edge(1, 2, weight=0.6)
    ax = plot_topic_network(g, [[1, 2], [3]], labels={3: "a$"}, random_state=1)
    nodes = ax.collections[-1]
    assert len(nodes.get_offsets()) == 3
    assert len(ax.collections[0].get_segments()) == 1
    assert r"T3" + "\n" + r"a\$" in [t.get_text() for t in ax.texts]
    legends = {leg.get_title().get_text(): [t.get_text() for t in leg.get_texts()]
               for leg in ax.artists if isinstance(leg, matplotlib.legend.Legend)}
    assert legends == {"colour: community": ["community 1", "community 2"],
                       "size: prevalence": ["0.20", "0.50"],
                       "width: cosine of paragraph shares": ["0.60"]}
    fig = ax.figure
    fig.draw_without_rendering()
    saved = fig.get_tightbbox()  # what save_figure keeps, in inches
    boxes = [a.get_window_extent().transformed(fig.dpi_scale_trans.inverted())
             for a in ax.artists if isinstance(a, matplotlib.legend.Legend)]
    for box in boxes:
        assert saved.x0 <= box.x0 and box.x1 <= saved.x1 and saved.y0 <= box.y0 and box.y1 <= saved.y1
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])  # legends apart
    assert not any(box.overlaps(ax.get_window_extent().transformed(fig.dpi_scale_trans.inverted()))
                   for box in boxes)  # and off the network
    again = plot_topic_network(g, [[1, 2], [3]], random_state=1)
    np.testing.assert_array_equal(again.collections[-1].get_offsets(), nodes.get_offsets())


def test_plots_leave_rcparams_alone():
    before = dict(matplotlib.rcParams)
    plot_topic_diagnostics(DIAG)
    plot_topic_prevalence(PREV)
    assert dict(matplotlib.rcParams) == before
