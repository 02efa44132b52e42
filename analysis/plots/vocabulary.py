"""Figures of vocabulary contrasts: Fightin' Words, keyness bars, TF-IDF heatmap.

Each function draws one view of a table produced by :mod:`analysis.keyness` and returns
the Axes (or, for panels, the array of Axes); none loads data or changes rcParams.
"""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from . import get_ax, safe_label
from .labels import spread, text_size, to_points

#: Size of the term labels, in points.
LABEL_FONT = 8.0

_STATS = ("g2", "chi2", "fw_z", "log_ratio")
_NEEDED = ("group", "reference", "term", "count_target", "count_reference", "log_ratio",
           "fw_z", "p_perm")


def _contrast(table: pd.DataFrame, group: str, reference: str) -> pd.DataFrame:
    missing = [c for c in _NEEDED if c not in table.columns]
    if missing:
        raise ValueError(f"table lacks column(s) {missing}; pass the output of "
                         f"analysis.keyness.keyness_table")
    rows = table[(table["group"] == group) & (table["reference"] == reference)]
    if rows.empty:
        pairs = sorted(set(zip(table["group"], table["reference"])))
        raise ValueError(f"no rows for contrast ({group!r}, {reference!r}); the table holds "
                         f"{pairs}")
    return rows


def plot_fightin_words(table: pd.DataFrame, group: str, reference: str = "rest",
                       n_labels: int = 8, threshold: float = 1.96, ax=None):
    """Monroe-style plot: each term's frequency against its Fightin' Words z.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`analysis.keyness.keyness_table`.
    group, reference : str
        The contrast to draw.
    n_labels : int, default 8
        Terms labelled on each side (highest and lowest z).
    threshold : float, default 1.96
        Dashed guide lines at ``±threshold``; terms beyond them are coloured. The lines
        end before the column of term labels, and the labels are moved apart by their
        measured heights, so no label covers a line or another label.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> t = pd.DataFrame({"group": "a", "reference": "rest", "term": ["x", "y"],
    ...                   "count_target": [5, 0], "count_reference": [1, 4],
    ...                   "log_ratio": [2.0, -2.0], "fw_z": [2.5, -2.1], "p_perm": [0.01, 0.02]})
    >>> plot_fightin_words(t, "a").get_ylabel()
    "Fightin' Words z (a vs rest)"
    """
    if not (isinstance(n_labels, int) and n_labels >= 0):
        raise ValueError(f"n_labels must be a non-negative integer, not {n_labels!r}")
    rows = _contrast(table, group, reference)
    ax = get_ax(ax, figsize=(7.5, 5.0))
    freq = (rows["count_target"] + rows["count_reference"]).to_numpy(float)
    z = rows["fw_z"].to_numpy(float)
    colour = np.where(z >= threshold, "C0", np.where(z <= -threshold, "C1", "0.65"))
    ax.scatter(freq, z, s=12, c=list(colour), alpha=0.7, linewidths=0)
    ax.set_xscale("log")
    x_text = freq.max() * 1.6 if len(freq) else 1.0
    left, _ = ax.get_xlim()
    ax.set_xlim(left, x_text * 6)
    # the guide lines stop short of the label column, so no label ever sits on one
    end = (np.log(x_text / 1.25) - np.log(left)) / (np.log(x_text * 6) - np.log(left))
    for y in (threshold, -threshold):
        ax.axhline(y, xmax=end, color="0.4", linestyle="--", linewidth=0.8)
    ax.axhline(0, color="0.8", linewidth=0.8)
    ax.set_xlabel("term frequency in target + reference (log scale)")
    ax.set_ylabel(safe_label(f"Fightin' Words z ({group} vs {reference})"))
    ax.set_title(safe_label(f"{group} (up) vs {reference} (down)"))

    order = rows.assign(_f=freq).sort_values(["fw_z", "term"], ascending=[False, True],
                                              kind="mergesort")
    top = order[order["fw_z"] > 0].head(n_labels)
    bottom = order[order["fw_z"] < 0].iloc[::-1].head(n_labels)
    picked = pd.concat([top.assign(_c="C0"), bottom.assign(_c="C1")])
    names = [safe_label(t) for t in picked["term"]]
    if names:
        # label heights in points, moved apart as little as possible, then back to z units
        anchors = to_points(ax, np.column_stack([np.full(len(picked), x_text), picked["fw_z"]]))
        bottom_pts, top_pts = to_points(ax, [(x_text, y) for y in ax.get_ylim()], draw=False)[:, 1]
        heights = [text_size(ax.figure, n, LABEL_FONT)[1] for n in names]
        placed = spread(list(anchors[:, 1]), heights, pad=3.0, bounds=(bottom_pts, top_pts))
        scale = ax.figure.dpi / 72.0
        heights_z = ax.transData.inverted().transform(
            np.column_stack([anchors[:, 0] * scale, np.asarray(placed) * scale]))[:, 1]
        for (_, r), name, h in zip(picked.iterrows(), names, heights_z):
            ax.annotate(name, (r["_f"], r["fw_z"]), xytext=(x_text, h), textcoords="data", fontsize=LABEL_FONT,
                        color=r["_c"], va="center", annotation_clip=False,
                        arrowprops=dict(arrowstyle="-", color="0.75", linewidth=0.5, patchA=None))
    return ax


def _panels(n_panels: int, ncols: int, panel_size: tuple[float, float], axes):
    if n_panels == 0:
        raise ValueError("no contrasts to draw; the table is empty")
    if not (isinstance(ncols, int) and ncols >= 1):
        raise ValueError(f"ncols must be a positive integer, not {ncols!r}")
    if axes is None:
        nrows = int(np.ceil(n_panels / ncols))
        _, axes = plt.subplots(nrows, ncols, squeeze=False, layout="constrained",
                               figsize=(panel_size[0] * ncols, panel_size[1] * nrows))
    flat = np.asarray(axes).ravel()
    if flat.size < n_panels:
        raise ValueError(f"axes has {flat.size} panels for {n_panels} contrasts")
    for ax in flat[n_panels:]:
        ax.set_visible(False)
    return np.asarray(axes), flat


def _contrasts_of(table: pd.DataFrame, contrasts):
    if contrasts is not None:
        return list(contrasts)
    return list(dict.fromkeys(zip(table["group"], table["reference"])))


def plot_fightin_words_panels(table: pd.DataFrame,
                              contrasts: Sequence[tuple[str, str]] | None = None,
                              n_labels: int = 6, threshold: float = 1.96, ncols: int = 2,
                              axes=None):
    """:func:`plot_fightin_words` for several contrasts, one panel each.

    Parameters
    ----------
    contrasts : list of (str, str), optional
        Default: every contrast in ``table`` in its order of appearance.
    axes : array of Axes, optional
        At least as many as contrasts; unused ones are hidden.

    Returns
    -------
    ndarray of Axes
    """
    contrasts = _contrasts_of(table, contrasts)
    # two panels fill a page width (9 inches), where the 8-point labels stay legible
    axes, flat = _panels(len(contrasts), ncols, (4.5, 3.9), axes)
    for ax, (group, reference) in zip(flat, contrasts):
        plot_fightin_words(table, group, reference, n_labels=n_labels, threshold=threshold, ax=ax)
    return axes


def plot_keyness_bars(table: pd.DataFrame, group: str, reference: str = "rest",
                      n_terms: int = 8, stat: str = "g2", alpha: float = 0.05, ax=None):
    """Signed keyness bars: the target's top terms to the right, the reference's to the left.

    Bars are ranked by ``stat`` and signed by the direction of the log ratio; terms whose
    paragraph permutation p is at least ``alpha`` are drawn pale.

    Examples
    --------
    >>> t = pd.DataFrame({"group": "a", "reference": "rest", "term": ["x", "y"],
    ...                   "count_target": [5, 0], "count_reference": [1, 4],
    ...                   "log_ratio": [2.0, -2.0], "fw_z": [2.5, -2.1], "p_perm": [0.01, 0.2],
    ...                   "g2": [6.0, 4.0]})
    >>> [lab.get_text() for lab in plot_keyness_bars(t, "a").get_yticklabels()]
    ['x', 'y']
    """
    if stat not in _STATS:
        raise ValueError(f"stat must be one of {_STATS}, not {stat!r}")
    if not (isinstance(n_terms, int) and n_terms >= 1):
        raise ValueError(f"n_terms must be a positive integer, not {n_terms!r}")
    rows = _contrast(table, group, reference)
    if stat not in rows.columns:
        raise ValueError(f"table lacks column {stat!r}")
    ax = get_ax(ax, figsize=(5.0, 0.3 * 2 * n_terms + 1.0))
    signed = np.sign(rows["log_ratio"]) * rows[stat].abs()
    rows = rows.assign(_v=signed)
    up = rows[rows["_v"] > 0].sort_values(["_v", "term"], ascending=[False, True],
                                          kind="mergesort").head(n_terms)
    down = rows[rows["_v"] < 0].sort_values(["_v", "term"], ascending=[True, True],
                                            kind="mergesort").head(n_terms)
    shown = pd.concat([up, down.iloc[::-1]])
    y = np.arange(len(shown))
    colours = ["C0" if v > 0 else "C1" for v in shown["_v"]]
    strength = [1.0 if p < alpha else 0.35 for p in shown["p_perm"]]
    for yi, v, c, a in zip(y, shown["_v"], colours, strength):
        ax.barh(yi, v, color=c, alpha=a)
    ax.set_yticks(list(y), [safe_label(t) for t in shown["term"]], fontsize=8)
    ax.invert_yaxis()
    ax.axvline(0, color="0.3", linewidth=0.8)
    ax.set_xlabel(f"{stat}, signed by direction (pale: paragraph p ≥ {alpha:g})")
    ax.set_title(safe_label(f"{group} vs {reference}"), fontsize=10)
    return ax


def plot_keyness_panels(table: pd.DataFrame, contrasts: Sequence[tuple[str, str]] | None = None,
                        n_terms: int = 8, stat: str = "g2", ncols: int = 3, axes=None):
    """:func:`plot_keyness_bars` for several contrasts, one panel each.

    Parameters
    ----------
    contrasts : list of (str, str), optional
        Default: every contrast in ``table`` in its order of appearance.
    axes : array of Axes, optional
        At least as many as contrasts; unused ones are hidden.

    Returns
    -------
    ndarray of Axes
    """
    contrasts = _contrasts_of(table, contrasts)
    axes, flat = _panels(len(contrasts), ncols, (4.6, 0.6 * n_terms + 1.2), axes)
    for ax, (group, reference) in zip(flat, contrasts):
        plot_keyness_bars(table, group, reference, n_terms=n_terms, stat=stat, ax=ax)
    return axes


def tfidf_heatmap_terms(weights: pd.DataFrame, n_per_group: int = 5) -> list[str]:
    """Union of each document's top ``n_per_group`` terms, in document then rank order.

    Examples
    --------
    >>> w = pd.DataFrame({"x": [0.9, 0.1], "y": [0.1, 0.9], "z": [0.5, 0.5]}, index=["a", "b"])
    >>> tfidf_heatmap_terms(w, 2)
    ['x', 'z', 'y']
    """
    if not (isinstance(n_per_group, int) and n_per_group >= 1):
        raise ValueError(f"n_per_group must be a positive integer, not {n_per_group!r}")
    terms: list[str] = []
    for _, row in weights.sort_index().iterrows():
        ranked = sorted((t for t in row.index if row[t] > 0), key=lambda t: (-row[t], t))
        terms += [t for t in ranked[:n_per_group] if t not in terms]
    return terms


def plot_tfidf_heatmap(weights: pd.DataFrame, terms: Sequence[str] | None = None,
                       n_per_group: int = 5, annotate: bool = True, ax=None):
    """Heatmap of TF-IDF weights: terms (rows) by documents (columns).

    Parameters
    ----------
    weights : DataFrame
        Documents by terms, e.g. from :func:`analysis.keyness.tfidf_by_group`.
    terms : list of str, optional
        Rows to show; default :func:`tfidf_heatmap_terms` with ``n_per_group``.
    annotate : bool, default True
        Write each weight in its cell.

    Examples
    --------
    >>> w = pd.DataFrame({"x": [0.9, 0.1], "y": [0.1, 0.9]}, index=["a", "b"])
    >>> plot_tfidf_heatmap(w, n_per_group=1).images[0].get_array().shape
    (2, 2)
    """
    terms = tfidf_heatmap_terms(weights, n_per_group) if terms is None else list(terms)
    unknown = [t for t in terms if t not in weights.columns]
    if unknown:
        raise ValueError(f"terms not in the TF-IDF vocabulary: {unknown[:5]}")
    if not terms:
        raise ValueError("no terms to show")
    data = weights.sort_index()[terms].T
    ax = get_ax(ax, figsize=(1.2 * data.shape[1] + 2.5, 0.28 * len(terms) + 1.2))
    image = ax.imshow(data.to_numpy(), aspect="auto", cmap="Blues", vmin=0)
    ax.set_xticks(range(data.shape[1]), [safe_label(c) for c in data.columns], rotation=30,
                  ha="right", fontsize=8)
    ax.set_yticks(range(len(terms)), [safe_label(t) for t in terms], fontsize=8)
    if annotate:
        top = float(np.nanmax(data.to_numpy())) or 1.0
        for (i, j), v in np.ndenumerate(data.to_numpy()):
            if v > 0:
                ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=6,
                        color="white" if v > 0.6 * top else "0.2")
    ax.figure.colorbar(image, ax=ax, label="TF-IDF weight", shrink=0.6)
    ax.set_title("Top TF-IDF terms by document")
    return ax
