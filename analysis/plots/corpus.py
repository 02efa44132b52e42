"""Figures describing the corpus: publication timeline and article sizes."""
from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd

from . import get_ax, safe_label


def plot_timeline(documents: pd.DataFrame, ax=None):
    """Publication dates on a time axis, one row per article; inferred dates drawn hollow.

    Parameters
    ----------
    documents : DataFrame
        With ``doc_id``, ``date`` (ISO) and optionally ``date_precision``.
    """
    ax = get_ax(ax, figsize=(7.5, 2.8))
    docs = documents.assign(when=pd.to_datetime(documents["date"])).sort_values(["when", "doc_id"])
    approx = docs.get("date_precision", pd.Series("day", index=docs.index)).ne("day")
    for i, (row, is_approx) in enumerate(zip(docs.itertuples(), approx)):
        ax.plot([row.when], [i], marker="o", markersize=8, color="C0",
                markerfacecolor="white" if is_approx else "C0", linestyle="none")
        ax.annotate(safe_label(f"{row.doc_id}  {row.date}{' (approx.)' if is_approx else ''}"),
                    (mdates.date2num(row.when), i), xytext=(-8, 0), textcoords="offset points",
                    ha="right", va="center", fontsize=8)
    ax.set_yticks([])
    ax.set_ylim(-0.7, len(docs) - 0.3)
    ax.invert_yaxis()
    start = docs["when"].min() - pd.DateOffset(years=3)
    ax.set_xlim(start, docs["when"].max() + pd.DateOffset(months=6))
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color="0.9")
    ax.set_title("Publication dates (hollow: inferred, approximate)")
    return ax


def plot_lengths(counts: pd.DataFrame, ax=None):
    """Horizontal bars of tokens per article, annotated with paragraphs and sentences."""
    ax = get_ax(ax, figsize=(6.4, 3.0))
    y = range(len(counts))
    ax.barh(list(y), counts["tokens"], color="C0")
    ax.set_yticks(list(y), [safe_label(d) for d in counts["doc_id"]])
    ax.invert_yaxis()
    for i, row in enumerate(counts.itertuples()):
        ax.text(row.tokens, i, f"  {row.paragraphs} par., {row.sentences} sent.", va="center", fontsize=8)
    ax.set_xlabel("word tokens (numbers and punctuation excluded)")
    ax.set_xlim(0, counts["tokens"].max() * 1.35)
    ax.set_title("Article length")
    return ax
