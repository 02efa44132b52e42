"""Figures for topic models: diagnostics across K, prevalence, alignment and the topic network."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd

from ..config import SEED
from . import category_colour, get_ax, safe_label
from .labels import direct_labels

#: Diagnostics drawn by :func:`plot_topic_diagnostics`, with their axis titles.
DIAGNOSTIC_METRICS = {
    "npmi": "NPMI coherence",
    "umass": "UMass coherence",
    "exclusivity": "Exclusivity (mean share)",
    "perplexity": "Perplexity (in-sample)",
    "stability": "Stability (matched cosine)",
}


def _chosen_k(chosen) -> dict[str, int]:
    if chosen is None:
        return {}
    if isinstance(chosen, pd.DataFrame):
        return dict(zip(chosen["model"], chosen["k"].astype(int)))
    return {str(m): int(k) for m, k in dict(chosen).items()}


def plot_topic_metric(diagnostics: pd.DataFrame, metric: str, *, chosen=None,
                      threshold: float | None = None, ax=None):
    """One diagnostic across K: mean over seeds (line) and seed range (band), per model.

    Parameters
    ----------
    diagnostics : DataFrame
        model, k, seed and the ``metric`` column (``TopicSweep.diagnostics``).
    metric : str
        Column to draw.
    chosen : DataFrame or mapping, optional
        The chosen K per model (``choose_k`` output or ``{model: k}``), ringed.
    threshold : float, optional
        A horizontal reference line (e.g. the stability threshold).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> d = pd.DataFrame({"model": ["lda"] * 2, "k": [2, 3], "seed": [1, 1], "npmi": [0.1, 0.2]})
    >>> len(plot_topic_metric(d, "npmi").lines)
    1
    """
    if metric not in diagnostics.columns:
        raise ValueError(f"diagnostics has no column {metric!r}: choose one of "
                         f"{sorted(set(diagnostics.columns) - {'model', 'k', 'seed'})}")
    ax = get_ax(ax)
    marks = _chosen_k(chosen)
    for model, frame in diagnostics.groupby("model", sort=True):
        stats = frame.groupby("k", sort=True)[metric].agg(["mean", "min", "max"])
        if stats["mean"].isna().all():
            continue
        line, = ax.plot(stats.index, stats["mean"], marker="o", ms=3, label=str(model))
        ax.fill_between(stats.index, stats["min"], stats["max"], color=line.get_color(),
                        alpha=0.2, linewidth=0)
        if model in marks and marks[model] in stats.index:
            ax.plot([marks[model]], [stats.loc[marks[model], "mean"]], marker="o", ms=10,
                    mfc="none", mec=line.get_color(), mew=1.5, linestyle="none")
    if threshold is not None:
        ax.axhline(threshold, color="0.4", linestyle="--", linewidth=0.8)
    ax.set_title(DIAGNOSTIC_METRICS.get(metric, metric), fontsize="medium")
    ax.set_xlabel("K (topics)")
    ax.set_xticks(sorted(diagnostics["k"].unique()))
    return ax


def plot_topic_diagnostics(diagnostics: pd.DataFrame, *, chosen=None,
                           stability_threshold: float | None = None,
                           metrics: Sequence[str] = tuple(DIAGNOSTIC_METRICS), axes=None):
    """Every diagnostic across K in one row of panels (see :func:`plot_topic_metric`).

    Returns
    -------
    ndarray of matplotlib Axes, one per metric

    Examples
    --------
    >>> d = pd.DataFrame({"model": ["lda"] * 2, "k": [2, 3], "seed": [1, 1],
    ...                   "npmi": [0.1, 0.2], "stability": [0.9, 0.7]})
    >>> plot_topic_diagnostics(d, metrics=["npmi", "stability"]).shape
    (2,)
    """
    if axes is None:
        _, axes = plt.subplots(1, len(metrics), figsize=(3.0 * len(metrics), 3.2),
                               constrained_layout=True)
    axes = np.atleast_1d(axes).ravel()
    if len(axes) != len(metrics):
        raise ValueError(f"axes has {len(axes)} panels for {len(metrics)} metrics: "
                         "pass one Axes per metric")
    for ax, metric in zip(axes, metrics):
        plot_topic_metric(diagnostics, metric, chosen=chosen, ax=ax,
                          threshold=stability_threshold if metric == "stability" else None)
    axes[0].legend(fontsize="small", frameon=False)
    return axes


def plot_topic_prevalence(prevalence: pd.DataFrame, *, group: str = "doc_id",
                          labels: Mapping[int, str] | None = None, ax=None):
    """Mean topic share per group with its interval, topics as rows, groups dodged.

    The groups are named right of the first row, level with their markers (no legend).

    Parameters
    ----------
    prevalence : DataFrame
        ``group``, topic, share, low, high for one model and K
        (:func:`analysis.topics.topic_prevalence`).
    group : str, default "doc_id"
    labels : mapping topic → str, optional
        Row labels (e.g. FREX terms); ``$`` is escaped.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> p = pd.DataFrame({"doc_id": ["a", "a"], "topic": [1, 2], "share": [0.3, 0.7],
    ...                   "low": [0.2, 0.6], "high": [0.4, 0.8]})
    >>> len(plot_topic_prevalence(p).containers)
    1
    """
    needed = {group, "topic", "share", "low", "high"}
    if not needed <= set(prevalence.columns):
        raise ValueError(f"prevalence lacks column(s) {sorted(needed - set(prevalence.columns))}: "
                         "pass the output of topic_prevalence")
    for col in ("model", "k"):
        if col in prevalence.columns and prevalence[col].nunique() > 1:
            raise ValueError(f"prevalence mixes several values of {col!r}: select one model and K")
    topics = sorted(prevalence["topic"].unique())
    groups = sorted(prevalence[group].unique())
    ax = get_ax(ax, figsize=(6.4, 0.5 + 0.45 * len(topics) * max(1, len(groups) / 3)))
    width = 0.8 / len(groups)
    row = {t: i for i, t in enumerate(topics)}
    for j, name in enumerate(groups):
        part = prevalence[prevalence[group] == name].sort_values("topic")
        y = part["topic"].map(row).to_numpy() - 0.4 + width * (j + 0.5)
        err = np.vstack([part["share"] - part["low"], part["high"] - part["share"]])
        ax.errorbar(part["share"], y, xerr=err, fmt="o", ms=4, capsize=2, label=safe_label(name),
                    color=category_colour(j))
    names = [f"T{t}" + (f": {labels[t]}" if labels and t in labels else "") for t in topics]
    ax.set_yticks(range(len(topics)), [safe_label(n, width=40) for n in names], fontsize="small")
    ax.invert_yaxis()
    ax.set_xlabel("mean topic share of the group's units (interval: bootstrap)")
    # each group named once, right of the first topic's row, level with its markers
    direct_labels(ax, [-0.4 + width * (j + 0.5) for j in range(len(groups))], [safe_label(g) for g in groups],
                  [category_colour(j) for j in range(len(groups))])
    return ax


def plot_topic_alignment(alignment: pd.DataFrame, *, labels: Mapping[int, str] | None = None,
                         ax=None, colour_label: str = "cosine similarity of topic and pole (word weights)"):
    """Heat map of topic × frame-pole cosine similarity, values written in the cells.

    A colour bar names the quantity (``colour_label``).

    Examples
    --------
    >>> a = pd.DataFrame({"topic": [1, 1], "pole": ["p", "q"], "cosine": [0.1, 0.5]})
    >>> plot_topic_alignment(a).images[0].get_array().shape
    (1, 2)
    """
    grid = alignment.pivot(index="topic", columns="pole", values="cosine").sort_index()
    ax = get_ax(ax, figsize=(1.2 + 1.1 * grid.shape[1], 0.8 + 0.4 * grid.shape[0]))
    values = grid.to_numpy(dtype=float)
    image = ax.imshow(values, cmap="Blues", vmin=0, aspect="auto")
    vmax = image.get_clim()[1]
    for (i, j), value in np.ndenumerate(values):
        if np.isfinite(value):  # light text on dark cells
            ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize="x-small",
                    color="white" if value > 0.6 * vmax else "black")
    names = [f"T{t}" + (f": {labels[t]}" if labels and t in labels else "") for t in grid.index]
    ax.set_yticks(range(grid.shape[0]), [safe_label(n, width=40) for n in names], fontsize="small")
    ax.set_xticks(range(grid.shape[1]), [safe_label(p) for p in grid.columns], fontsize="small",
                  rotation=30, ha="right")
    bar = ax.figure.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label(safe_label(colour_label), fontsize="small")
    return ax


def plot_topic_network(graph: nx.Graph, communities: Sequence[Sequence[int]] | None = None, *,
                       labels: Mapping[int, str] | None = None, random_state: int = SEED, ax=None):
    """Topic network: node size by prevalence, colour by community, edge width by weight.

    The layout is a seeded spring layout, so two runs draw the same picture. Three
    legends read the encodings: the communities' colours, node sizes
    for the least and most prevalent topic, and edge widths for the weakest and
    strongest link (below, colours and widths; on the right, sizes).

    Examples
    --------
    >>> g = nx.Graph([(1, 2, {"weight": 0.5})])
    >>> nx.set_node_attributes(g, {1: 0.6, 2: 0.4}, "prevalence")
    >>> len(plot_topic_network(g, [[1, 2]]).collections)
    2
    """
    ax = get_ax(ax, figsize=(6.4, 5.0))
    nodes = sorted(graph.nodes)
    membership = {t: c for c, group in enumerate(communities or [nodes]) for t in group}
    pos = nx.spring_layout(graph, weight="weight", seed=random_state)
    prevalence = np.array([graph.nodes[n].get("prevalence", 1.0 / len(nodes)) for n in nodes])
    top = max(prevalence.max(), 1e-12)

    def size(p):  # marker area in points squared
        return 200 + 3000 * p / top

    edges = sorted(graph.edges(data="weight"))
    widths = np.array([w for _, _, w in edges])

    def width(w):
        return 0.5 + 4 * w / widths.max()

    if edges:
        nx.draw_networkx_edges(graph, pos, edgelist=[(u, v) for u, v, _ in edges], ax=ax,
                               width=width(widths), edge_color="0.6")
    drawn = nx.draw_networkx_nodes(graph, pos, nodelist=nodes, ax=ax, node_size=size(prevalence),
                                   node_color=[category_colour(membership.get(n, 0)) for n in nodes])
    drawn.set_clip_on(False)  # a large node at the edge of the layout is drawn whole
    ax.margins(0.12)
    text = {n: safe_label(f"T{n}" + (f"\n{labels[n]}" if labels and n in labels else ""))
            for n in nodes}
    for n in nodes:
        ax.text(*pos[n], text[n], ha="center", va="center", fontsize="x-small")
    ax.set_axis_off()
    _network_legends(ax, len(communities or [nodes]), [prevalence.min(), prevalence.max()], size,
                     [widths.min(), widths.max()] if edges else [], width)
    return ax


def _network_legends(ax, n_communities: int, prevalences, size, weights, width) -> None:
    from matplotlib.lines import Line2D

    from matplotlib.font_manager import FontProperties

    small = FontProperties(size="small").get_size_in_points()

    def legend(handles, title, anchor, **kwargs):
        made = ax.legend(handles=handles, title=title, loc="upper left", bbox_to_anchor=anchor, fontsize="small",
                         title_fontsize="small", frameon=False, borderaxespad=0.2, **kwargs)
        ax.add_artist(made)
        made.set_clip_on(False)  # an added artist is clipped to the Axes, and would be cut from the saved figure

    legend([Line2D([], [], marker="o", linestyle="none", markersize=8, color=category_colour(c),
                   label=f"community {c + 1}") for c in range(n_communities)], "colour: community", (0.0, 0.0))
    # the nodes' true sizes, right of the network; a legend's rows are as tall as their text,
    # so the gaps (rows, title, border) are widened to the largest marker's diameter
    diameter = float(np.sqrt(size(max(prevalences)))) / small  # in font sizes
    legend([Line2D([], [], marker="o", linestyle="none", color="0.6", markersize=float(np.sqrt(size(p))),
                   label=f"{p:.2f}") for p in dict.fromkeys(prevalences)], "size: prevalence", (1.0, 1.0),
           handlelength=diameter, labelspacing=diameter, borderpad=diameter / 2)
    if weights:
        legend([Line2D([], [], color="0.6", linewidth=float(width(w)), label=f"{w:.2f}")
                for w in dict.fromkeys(weights)], "width: cosine of paragraph shares", (0.4, 0.0))
