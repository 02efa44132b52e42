"""The dispersion figure: where in each article the frame cues and the stance cues fall."""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from . import category_colour, safe_label
from .frames import SIDE_COLOURS

#: Stance rows' colours (Okabe–Ito orange, green and pink, apart from the poles' red and blue).
STANCE_COLOURS = {"negation": category_colour(1), "rejection": category_colour(2), "attribution": category_colour(4)}
STANCE_ROW = "stance cues"
FONT = 8.0


def _require(table: pd.DataFrame) -> None:
    needed = ["doc_id", "kind", "pole", "side", "counted", "position"]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise ValueError(f"table has no column {missing[0]!r} — pass analysis.dispersion.dispersion_table")


def plot_dispersion(table: pd.DataFrame, docs: Sequence[str] | None = None, poles: Sequence[str] | None = None,
                    axes=None):
    """One strip per article: a tick at the relative position of every frame cue and stance cue.

    In each strip, one row per pole (ticks red on a contrast's negative pole, blue on its
    positive one; pale where the dictionary does not count the match, negated or off
    target) and a last row for the stance cues, coloured by scope (negation, rejection,
    attribution). The x axis is the position in the article, 0 its first word and 1 its
    end, so articles of different lengths line up.

    Parameters
    ----------
    table : DataFrame
        :func:`analysis.dispersion.dispersion_table`.
    docs : sequence of str, optional
        Articles, top to bottom; default every ``doc_id`` in ``table``, sorted. An article
        without a cue still gets its (empty) strip.
    poles : sequence of str, optional
        Pole rows, top to bottom (e.g. the codebook's order); default the frame poles in
        ``table``, by contrast and side.
    axes : sequence of matplotlib Axes, optional
        One per article.

    Returns
    -------
    ndarray of matplotlib Axes, one per article

    Examples
    --------
    >>> t = pd.DataFrame({"doc_id": ["a", "a"], "kind": ["frame", "stance"], "pole": ["deal", "negation"],
    ...                   "contrast": ["alliance", ""], "side": [-1, 0], "counted": [True, True],
    ...                   "position": [0.2, 0.5]})
    >>> [t.get_text() for t in plot_dispersion(t)[0].get_yticklabels()]
    ['deal', 'stance cues']
    """
    _require(table)
    docs = sorted(table["doc_id"].unique()) if docs is None else list(docs)
    if not docs:
        raise ValueError("no articles to draw — the table is empty and no docs were given")
    frames = table[table["kind"] == "frame"]
    if poles is None:
        order = frames.sort_values(["contrast", "side"]) if "contrast" in frames.columns else frames
        poles = list(dict.fromkeys(order["pole"]))
    rows = [*poles, STANCE_ROW]
    if axes is None:
        height = len(docs) * (0.2 * len(rows) + 0.45) + 0.9
        _, axes = plt.subplots(len(docs), 1, figsize=(9.0, height), sharex=True, squeeze=False,
                               layout="constrained")
    axes = np.asarray(axes, dtype=object).ravel()
    if len(axes) != len(docs):
        raise ValueError(f"axes has {len(axes)} Axes for {len(docs)} articles — pass one per article")
    for ax, doc in zip(axes, docs):
        _strip(ax, table[table["doc_id"] == doc], rows)
        ax.set_title(safe_label(doc), fontsize=FONT + 1, loc="left")
    axes[-1].set_xlabel("position in the article (word offset / words in the article)", fontsize=FONT + 1)
    axes[-1].tick_params(axis="x", labelsize=FONT)
    _legend(axes[0], table)
    return axes


def _strip(ax, part: pd.DataFrame, rows: Sequence[str]) -> None:
    y = {r: i for i, r in enumerate(rows)}
    frames = part[(part["kind"] == "frame") & part["pole"].isin(y)]
    for counted, alpha in ((False, 0.3), (True, 1.0)):
        sel = frames[frames["counted"].astype(bool) == counted]
        ax.vlines(sel["position"], sel["pole"].map(y) - 0.38, sel["pole"].map(y) + 0.38, linewidth=1.2,
                  colors=[SIDE_COLOURS[int(s > 0)] for s in sel["side"]], alpha=alpha)
    stance = part[part["kind"] == "stance"]
    row = y[STANCE_ROW]
    ax.vlines(stance["position"], row - 0.38, row + 0.38, linewidth=1.2,
              colors=[STANCE_COLOURS.get(p, "0.3") for p in stance["pole"]])
    ax.set_yticks(range(len(rows)), [safe_label(r) for r in rows], fontsize=FONT)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="0.92", linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _legend(ax, table: pd.DataFrame) -> None:
    def tick(colour, label, alpha=1.0):
        return Line2D([], [], marker="|", linestyle="none", markersize=9, markeredgewidth=1.5, color=colour,
                      alpha=alpha, label=label)

    handles = [tick(SIDE_COLOURS[0], "negative pole"), tick(SIDE_COLOURS[1], "positive pole"),
               tick("0.4", "not counted (negated or off target)", 0.3)]
    handles += [tick(colour, name) for name, colour in STANCE_COLOURS.items()]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.25), ncol=6, fontsize=FONT, frameon=False,
              borderaxespad=0, handletextpad=0.1, columnspacing=1.0)
