"""Figures of the framing contrasts: the framing map, diverging bars, trajectory, measures.

Every article estimate is drawn with its interval (``<c>_low``/``<c>_high`` columns of
:func:`analysis.frame_tables.doc_scores`). Every label drawn from data goes through
:func:`~analysis.plots.safe_label`.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from . import category_colour, get_ax, safe_label
from .labels import column_labels, direct_labels, pack_levels, text_size, to_points

MEASURE_LABELS = {"dict": "dictionary", "tfidf": "TF-IDF prototypes", "lss": "latent semantic scaling",
                  "sup": "supervised (stance-aware)"}
SIDE_COLOURS = ("#b2182b", "#2166ac")  # negative pole, positive pole


def _require(table: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{name} has no column {missing[0]!r} — pass the tables made by analysis.frames")


def _axis_label(contrast: str, poles: Mapping[str, tuple[str, str]] | None) -> str:
    if poles and contrast in poles:
        negative, positive = poles[contrast]
        return safe_label(f"\u2190 {negative}    {contrast} index    {positive} \u2192")
    return safe_label(f"{contrast} index")


def _errors(table: pd.DataFrame, contrast: str, column: str | None = None) -> np.ndarray:
    column = column or f"{contrast}_index"
    low = f"{contrast}_low" if column == f"{contrast}_index" else f"{column}_low"
    high = f"{contrast}_high" if column == f"{contrast}_index" else f"{column}_high"
    return np.vstack([table[column] - table[low], table[high] - table[column]]).clip(min=0)


def plot_framing_map(docs: pd.DataFrame, units: pd.DataFrame | None = None, ax=None, x: str = "alliance",
                     y: str = "force", poles: Mapping[str, tuple[str, str]] | None = None):
    """Articles in the plane of two contrasts, with intervals on both axes; paragraphs as faint points.

    Parameters
    ----------
    docs : DataFrame
        ``doc_id``, ``<x>_index``, ``<x>_low``, ``<x>_high`` and the same for ``y``.
    units : DataFrame, optional
        ``doc_id``, ``<x>_index``, ``<y>_index`` of each paragraph.
    poles : mapping, optional
        ``{contrast: (negative pole, positive pole)}`` for the axis labels.

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a"], "alliance_index": [0.5], "alliance_low": [0.1],
    ...                   "alliance_high": [0.9], "force_index": [-0.2], "force_low": [-0.5], "force_high": [0.0]})
    >>> plot_framing_map(d).get_xlabel()
    'alliance index'
    """
    _require(docs, ["doc_id"] + [f"{c}_{s}" for c in (x, y) for s in ("index", "low", "high")], "docs")
    ax = get_ax(ax, figsize=(7.0, 6.0))
    shown = docs.dropna(subset=[f"{x}_index", f"{y}_index"])
    # colours by sorted doc_id, as the topic-prevalence figure gives them, so an article keeps its colour
    colours = {doc: category_colour(i) for i, doc in enumerate(sorted(docs["doc_id"]))}
    if units is not None:
        _require(units, ["doc_id", f"{x}_index", f"{y}_index"], "units")
        for doc, part in units.groupby("doc_id", sort=False):
            ax.scatter(part[f"{x}_index"], part[f"{y}_index"], s=12, alpha=0.25, color=colours.get(doc, "0.5"),
                       linewidths=0, zorder=1)
    ax.axhline(0, color="0.6", linewidth=0.8, zorder=0)
    ax.axvline(0, color="0.6", linewidth=0.8, zorder=0)
    for i in range(len(shown)):
        r = shown.iloc[[i]]
        doc = r["doc_id"].iloc[0]
        ax.errorbar(r[f"{x}_index"], r[f"{y}_index"], xerr=_errors(r, x), yerr=_errors(r, y), fmt="o",
                    markersize=8, capsize=3, color=colours[doc], zorder=3)
    ax.set_xlabel(_axis_label(x, poles))
    ax.set_ylabel(_axis_label(y, poles))
    ax.set_title("Framing map: articles (95% bootstrap intervals) and paragraphs (faint)")
    if len(shown):
        # one column right of every article and its interval, so that no label covers a marker or an interval
        right = float(np.nanmax(shown[[f"{x}_index", f"{x}_high"]].to_numpy(dtype=float)))
        column_labels(ax, list(zip(shown[f"{x}_index"], shown[f"{y}_index"])),
                      [safe_label(d) for d in shown["doc_id"]], right)
    return ax


def plot_index_bars(docs: pd.DataFrame, contrast: str, ax=None, poles: Mapping[str, tuple[str, str]] | None = None):
    """Diverging horizontal bars of each article's index on ``contrast``, with intervals.

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a", "b"], "force_index": [0.5, -1.0], "force_low": [0.1, -1.5],
    ...                   "force_high": [0.9, -0.2]})
    >>> len(plot_index_bars(d, "force").patches)
    2
    """
    _require(docs, ["doc_id", f"{contrast}_index", f"{contrast}_low", f"{contrast}_high"], "docs")
    ax = get_ax(ax, figsize=(6.4, 0.5 * len(docs) + 1.2))
    shown = docs.dropna(subset=[f"{contrast}_index"]).reset_index(drop=True)
    values = shown[f"{contrast}_index"]
    ypos = np.arange(len(shown))
    ax.barh(ypos, values, color=[SIDE_COLOURS[int(v >= 0)] for v in values], alpha=0.8)
    ax.errorbar(values, ypos, xerr=_errors(shown, contrast), fmt="none", ecolor="black", capsize=3)
    ax.set_yticks(ypos, [safe_label(d) for d in shown["doc_id"]])
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(_axis_label(contrast, poles))
    ax.set_title(safe_label(f"{contrast.capitalize()} framing by article (95% bootstrap intervals)"))
    return ax


def plot_trajectory(docs: pd.DataFrame, ax=None, contrasts: Sequence[str] = ("alliance", "force"),
                    date: str = "date"):
    """Each contrast's article index over publication dates: points with intervals, no connecting line.

    The articles are not one voice over time, so no line suggests a trend. Each contrast
    is named at the right edge, level with its latest article; the articles are named
    along the top, on as many rows as their names need not to overlap.

    Parameters
    ----------
    docs : DataFrame
        The article scores with a ``date`` column (ISO strings or datetimes).

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a", "b"], "date": ["2015-01-01", "2020-06-01"], "force_index": [0.5, -1.0],
    ...                   "force_low": [0.1, -1.5], "force_high": [0.9, -0.2]})
    >>> len(plot_trajectory(d, contrasts=["force"]).containers)
    1
    """
    _require(docs, ["doc_id", date] + [f"{c}_{s}" for c in contrasts for s in ("index", "low", "high")], "docs")
    ax = get_ax(ax, figsize=(7.5, 4.0))
    table = docs.assign(when_=pd.to_datetime(docs[date])).sort_values(["when_", "doc_id"]).reset_index(drop=True)
    markers = ("o", "s", "^", "D")
    last = []
    for k, c in enumerate(contrasts):
        shown = table.dropna(subset=[f"{c}_index"])
        # a small horizontal offset keeps the two contrasts' intervals apart; no line joins the
        # articles, which are separate voices, not one series
        when = shown["when_"] + pd.to_timedelta((k - (len(contrasts) - 1) / 2) * 40, unit="D")
        ax.errorbar(when, shown[f"{c}_index"], yerr=_errors(shown, c), fmt=markers[k % 4], linestyle="none",
                    capsize=3, color=category_colour(k), label=safe_label(f"{c} index"), alpha=0.9)
        last.append(float(shown[f"{c}_index"].iloc[-1]) if len(shown) else 0.0)
    ax.axhline(0, color="0.6", linewidth=0.8)
    ax.set_xlabel("publication date")
    ax.set_ylabel("index (standardised; 0 = balanced)")
    # each contrast named at the right edge, level with its latest article
    direct_labels(ax, last, [safe_label(c) for c in contrasts], [category_colour(k) for k in range(len(contrasts))],
                  fontsize=9)
    names = [safe_label(d) for d in table["doc_id"]]
    centres = to_points(ax, np.column_stack([mdates.date2num(table["when_"]), np.zeros(len(table))]))[:, 0]
    widths = [text_size(ax.figure, n, 8)[0] for n in names]
    height = text_size(ax.figure, "Ag", 8)[1] + 1.5
    levels = pack_levels(list(centres), widths)
    for name, when, level in zip(names, table["when_"], levels):
        # article names along the top edge (axes coordinates), so they never hide the data
        ax.annotate(name, (mdates.date2num(when), 1.0), xycoords=ax.get_xaxis_transform(),
                    xytext=(0, 3 + height * level), textcoords="offset points", ha="center", va="bottom",
                    fontsize=8, color="0.3", annotation_clip=False)
    ax.set_title("Framing over time (95% bootstrap intervals)", pad=8 + height * (max(levels, default=0) + 1))
    return ax


def plot_measure_dots(docs: pd.DataFrame, contrast: str, ax=None, measures: Sequence[str] | None = None,
                      poles: Mapping[str, tuple[str, str]] | None = None):
    """Each article's standardised position by each measure (``z_<m>_<c>``) and combined, with intervals.

    ``measures`` defaults to every measure with a ``z_<m>_<c>`` column in ``docs``.

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a"], "force_index": [0.5], "force_low": [0.1], "force_high": [0.9],
    ...                   "z_dict_force": [0.4], "z_dict_force_low": [0.0], "z_dict_force_high": [0.8]})
    >>> len(plot_measure_dots(d, "force", measures=["dict"]).containers)
    2
    """
    if measures is None:
        measures = [m for m in ("dict", "tfidf", "lss", "sup") if f"z_{m}_{contrast}" in docs.columns]
    columns = [f"z_{m}_{contrast}" for m in measures]
    _require(docs, ["doc_id", f"{contrast}_index", f"{contrast}_low", f"{contrast}_high"]
             + [f"{c}{s}" for c in columns for s in ("", "_low", "_high")], "docs")
    ax = get_ax(ax, figsize=(6.8, 0.7 * len(docs) + 1.5))
    ypos = np.arange(len(docs))
    series = [(f"{contrast}_index", "combined index", "black")] + \
        [(col, MEASURE_LABELS.get(m, m), category_colour(k)) for k, (m, col) in enumerate(zip(measures, columns))]
    step = 0.8 / len(series)
    for k, (col, label, colour) in enumerate(series):
        offset = (k - (len(series) - 1) / 2) * step
        ax.errorbar(docs[col], ypos + offset, xerr=_errors(docs, contrast, col), fmt="o" if k else "D",
                    color=colour, capsize=2, markersize=4 if k else 6, label=safe_label(label))
    ax.set_yticks(ypos, [safe_label(d) for d in docs["doc_id"]])
    ax.invert_yaxis()
    ax.axvline(0, color="0.6", linewidth=0.8)
    ax.set_xlabel(_axis_label(contrast, poles) + " (standardised)")
    if len(docs):  # each series named once, right of the top article's row, level with its markers
        direct_labels(ax, [ypos[0] + (k - (len(series) - 1) / 2) * step for k in range(len(series))],
                      [safe_label(label) for _, label, _ in series], [colour for _, _, colour in series])
    ax.set_title(safe_label(f"{contrast.capitalize()}: each measure and the combined index"))
    return ax
