"""Figures of the validation: confusion matrices, measure agreement and the specification curve."""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..robustness import setting_order, setting_text
from . import category_colour, get_ax, safe_label

HOLDS_COLOURS = {True: "#2166ac", False: "#b2182b"}


def _cell_text(ax, values: np.ndarray, fmt: str, high: float) -> None:
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v):
            ax.text(j, i, format(v, fmt), ha="center", va="center", fontsize="small",
                    color="white" if v > high else "black")


def plot_confusion(table: pd.DataFrame, ax=None, title: str | None = None):
    """A confusion matrix: hand codes (rows) against predicted codes (columns), counts in the cells.

    Parameters
    ----------
    table : DataFrame
        Counts with the codes as index and columns
        (:func:`analysis.validation.confusion_table`).
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> t = pd.DataFrame([[3, 1], [0, 2]], index=["a", "b"], columns=["a", "b"])
    >>> [x.get_text() for x in plot_confusion(t).texts]
    ['3', '1', '0', '2']
    """
    ax = get_ax(ax, figsize=(3.6, 3.2))
    values = table.to_numpy(dtype=float)
    ax.imshow(values, cmap="Blues", vmin=0, vmax=max(values.max(), 1), aspect="auto")
    _cell_text(ax, values, ".0f", high=0.6 * max(values.max(), 1))
    ax.set_xticks(range(values.shape[1]), [safe_label(c) for c in table.columns], rotation=30, ha="right",
                  fontsize="small")
    ax.set_yticks(range(values.shape[0]), [safe_label(r) for r in table.index], fontsize="small")
    ax.set_xlabel("predicted", fontsize="small")
    ax.set_ylabel("hand code", fontsize="small")
    if title:
        ax.set_title(safe_label(title), fontsize="medium")
    return ax


def plot_agreement(matrix: pd.DataFrame, ax=None, title: str | None = None, labels: dict | None = None):
    """Pairwise agreement of the measures as a heatmap (shares from 0 to 1, written in the cells).

    Parameters
    ----------
    matrix : DataFrame
        Square, measures as index and columns (e.g. the pivot of
        :func:`analysis.agreement.agreement_table`).
    ax : matplotlib Axes, optional
    title : str, optional
    labels : dict, optional
        Display names of the measures.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> m = pd.DataFrame([[1.0, 0.5], [0.5, 1.0]], index=["a", "b"], columns=["a", "b"])
    >>> [x.get_text() for x in plot_agreement(m).texts]
    ['1.00', '0.50', '0.50', '1.00']
    """
    ax = get_ax(ax, figsize=(4.4, 3.8))
    names = [safe_label((labels or {}).get(m, m)) for m in matrix.index]
    values = matrix.to_numpy(dtype=float)
    image = ax.imshow(values, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    _cell_text(ax, values, ".2f", high=0.6)
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize="small")
    ax.set_yticks(range(len(names)), names, fontsize="small")
    ax.figure.colorbar(image, ax=ax, shrink=0.7, label="share with the same sign")
    if title:
        ax.set_title(safe_label(title), fontsize="medium")
    return ax


def spec_indicators(results: pd.DataFrame, settings: Sequence[str]) -> pd.DataFrame:
    """One boolean column per ``setting = value`` present in ``results``, one row per specification.

    Examples
    --------
    >>> r = pd.DataFrame({"measure": ["dict", "lss"], "stem": [True, None]})
    >>> spec_indicators(r, ["measure", "stem"]).columns.tolist()
    ['measure = dict', 'measure = lss', 'stem = True']
    """
    cols = {}
    for s in settings:
        if s not in results.columns:
            continue
        values = results[s]
        present = values.notna()
        text = values.map(setting_text)
        for v in setting_order(values[present]):
            cols[f"{s} = {v}"] = (present & (text == v)).to_numpy()
    return pd.DataFrame(cols, index=results.index)


def _claim_part(results: pd.DataFrame, claim: str) -> pd.DataFrame:
    """The specifications of ``claim`` with a margin, in the order the curve draws them."""
    part = results[(results["claim"] == claim) & results["margin"].notna()]
    # margins equal to ten decimals are ties, ordered by specification: the last bits of an
    # SVD's output can differ with memory layout, and must not reorder the figure
    part = part.assign(_rank=part["margin"].round(10))
    part = part.sort_values(["_rank", "spec_id"] if "spec_id" in part.columns else ["_rank"], kind="stable")
    return part.reset_index(drop=True)


def _draw_curve(ax, part: pd.DataFrame, size: float = 9) -> np.ndarray:
    """Sorted margins coloured by whether the claim holds, baselines ringed; returns the holds flags."""
    x = np.arange(len(part))
    holds = part["holds"].fillna(False).astype(bool).to_numpy()
    for flag in (True, False):
        sel = holds == flag
        ax.scatter(x[sel], part.loc[sel, "margin"], s=size, color=HOLDS_COLOURS[flag],
                   label="claim holds" if flag else "claim fails", zorder=2, linewidths=0)
    if "baseline" in part.columns:
        base = part["baseline"].fillna(False).astype(bool).to_numpy()
        ax.scatter(x[base], part.loc[base, "margin"], s=6 * size, facecolors="none", edgecolors="black",
                   linewidths=1.0, label="baseline", zorder=3)
    ax.axhline(0, color="0.5", linewidth=0.8)
    return holds


def plot_specification_curve(results: pd.DataFrame, claim: str, settings: Sequence[str], axes=None):
    """The specification curve of one claim (Simonsohn, Simmons & Nelson 2020).

    Top: every specification's margin, sorted, coloured by whether the claim holds;
    the study's baseline specifications are ringed. Bottom: which setting values each
    specification uses.

    Parameters
    ----------
    results : DataFrame
        ``claim``, ``margin``, ``holds``, ``baseline`` and the setting columns
        (:func:`analysis.multiverse.multiverse_run`).
    claim : str
    settings : sequence of str
        Setting columns drawn in the lower panel, in order (e.g. ``measure`` first).
    axes : pair of matplotlib Axes, optional

    Returns
    -------
    ndarray of two matplotlib Axes

    Examples
    --------
    >>> r = pd.DataFrame({"claim": ["c"] * 3, "margin": [0.5, -0.2, np.nan], "holds": [True, False, None],
    ...                   "baseline": [True, False, False], "measure": ["dict", "lss", "lss"]})
    >>> top, bottom = plot_specification_curve(r, "c", ["measure"])
    >>> [t.get_text() for t in bottom.get_yticklabels()]
    ['measure = dict', 'measure = lss']
    """
    part = _claim_part(results, claim)
    if axes is None:
        _, axes = plt.subplots(2, 1, figsize=(8, 6), sharex=True, height_ratios=[1, 1.6],
                               constrained_layout=True)
    top, bottom = np.asarray(axes).ravel()
    x = np.arange(len(part))
    holds = _draw_curve(top, part)
    top.set_ylabel("margin (SD of units)", fontsize="small")
    share = float(holds.mean()) if len(holds) else float("nan")
    top.set_title(safe_label(f"{claim} — holds in {share:.0%} of {len(part)}", width=50), fontsize="medium")
    top.legend(fontsize="x-small", frameon=False, loc="upper left")
    marks = spec_indicators(part, settings)
    for row, name in enumerate(marks.columns):
        on = marks[name].to_numpy()
        bottom.scatter(x[on], np.full(on.sum(), row), marker="|", s=30, linewidths=1.0,
                       color=np.where(holds[on], HOLDS_COLOURS[True], HOLDS_COLOURS[False]))
    bottom.set_yticks(range(len(marks.columns)), [safe_label(c) for c in marks.columns], fontsize="x-small")
    bottom.set_ylim(len(marks.columns) - 0.5, -0.5)
    bottom.set_xlabel("specifications, sorted by margin", fontsize="small")
    bottom.set_xlim(-1, max(len(part), 1))
    return np.array([top, bottom])


#: The multiverse figure is drawn this many inches wide with no text smaller than
#: :data:`MIN_FONT` points: a report shows it about 900 px wide, where its text then reads
#: at about the size it was set in.
FIGURE_WIDTH = 9.0
MIN_FONT = 8.0
ALL_ROW = "all specifications"


def claim_setting_shares(results: pd.DataFrame, claims: Sequence[str], settings: Sequence[str]) -> pd.DataFrame:
    """For each claim and each ``setting = value``, its specifications and the share in which the claim holds.

    The first row of each claim, :data:`ALL_ROW`, counts every specification with a
    margin; the others follow :func:`spec_indicators`. A value no specification of a
    claim uses has ``specs`` 0 and ``share`` NaN.

    Returns
    -------
    DataFrame
        ``row, claim, specs, share``, rows in drawing order, claims in the given order.

    Examples
    --------
    >>> r = pd.DataFrame({"claim": ["c"] * 3, "margin": [0.5, -0.2, 0.1], "holds": [True, False, True],
    ...                   "measure": ["dict", "lss", "lss"]})
    >>> claim_setting_shares(r, ["c"], ["measure"]).to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'row': ['all specifications', 'measure = dict', 'measure = lss'], 'claim': ['c', 'c', 'c'],
     'specs': [3, 1, 2], 'share': [0.6666666666666666, 1.0, 0.5]}
    """
    rows = [ALL_ROW] + list(spec_indicators(results[results["margin"].notna()], settings).columns)
    out = []
    for claim in claims:
        part = _claim_part(results, claim)
        holds = part["holds"].fillna(False).astype(bool).to_numpy()
        marks = spec_indicators(part, settings).assign(**{ALL_ROW: True})
        for row in rows:
            on = marks[row].to_numpy(dtype=bool) if row in marks.columns else np.zeros(len(part), dtype=bool)
            out.append(dict(row=row, claim=claim, specs=int(on.sum()),
                            share=float(holds[on].mean()) if on.any() else float("nan")))
    return pd.DataFrame(out, columns=["row", "claim", "specs", "share"])


def _curve_strip(ax, part: pd.DataFrame, title: str) -> None:
    holds = _draw_curve(ax, part, size=7)
    share = float(holds.mean()) if len(holds) else float("nan")
    ax.set_title(safe_label(f"{title} — holds in {share:.0%} of {len(part)}", width=70), fontsize=MIN_FONT + 0.5,
                 loc="left")
    ax.set_ylabel("margin", fontsize=MIN_FONT)
    ax.yaxis.set_major_locator(plt.MaxNLocator(3))
    ax.tick_params(labelsize=MIN_FONT)


def _share_matrix(ax, shares: pd.DataFrame, claims: Sequence[str], codes: Sequence[str]):
    grid = shares.pivot(index="row", columns="claim", values="share")
    rows = list(dict.fromkeys(shares["row"]))
    values = 100 * grid.loc[rows, list(claims)].to_numpy(dtype=float)
    cmap = plt.get_cmap("RdBu").with_extremes(bad="white")  # red fails, blue holds, as in the curves
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=0, vmax=100, aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v):
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=MIN_FONT,
                    color="white" if abs(v - 50) > 30 else "black")
    ax.set_yticks(range(len(rows)), [safe_label(r) for r in rows], fontsize=MIN_FONT)
    ax.set_xticks(range(len(claims)), list(codes), fontsize=MIN_FONT)
    ax.xaxis.tick_top()
    settings = [r.split(" = ")[0] for r in rows]
    for i in range(1, len(rows)):
        if settings[i] != settings[i - 1]:  # a white rule between the rows of two settings
            ax.axhline(i - 0.5, color="white", linewidth=2.5)
    ax.tick_params(length=0)
    return image


def plot_specification_curves(results: pd.DataFrame, claims: Sequence[str], settings: Sequence[str], *,
                              axes=None):
    """Every claim's specification curve, and which settings it holds under, on one page-wide figure.

    Left, one strip per claim (``C1``, ``C2``, ...): every specification's margin, sorted
    (margins equal to ten decimals by ``spec_id``), blue where the claim holds and red
    where it fails, the baselines ringed. Right, one row per ``setting = value`` (and
    first, all specifications), one column per claim: the percentage of the
    specifications using that value in which the claim holds (:func:`claim_setting_shares`),
    coloured on the same red-to-blue scale, with its colour bar. The figure is
    :data:`FIGURE_WIDTH` inches wide and no text is smaller than :data:`MIN_FONT` points,
    so that it stays legible when a page shows it at its width.

    Parameters
    ----------
    results : DataFrame
        :func:`analysis.multiverse.multiverse_run`.
    claims : sequence of str
    settings : sequence of str
        Setting columns of the matrix, in order (e.g. ``measure`` first).
    axes : sequence of matplotlib Axes, optional
        ``len(claims) + 1`` Axes: one per strip, then the matrix.

    Returns
    -------
    ndarray of matplotlib Axes, shape ``(len(claims) + 1, 1)``: the strips, then the matrix

    Examples
    --------
    >>> r = pd.DataFrame({"claim": ["c", "d"], "margin": [0.5, -0.2], "holds": [True, False],
    ...                   "measure": ["dict", "lss"]})
    >>> plot_specification_curves(r, ["c", "d"], ["measure"]).shape
    (3, 1)
    """
    claims = list(claims)
    if not claims:
        raise ValueError("claims is empty — there is no specification curve to draw")
    shares = claim_setting_shares(results, claims, settings)
    n_rows = shares["row"].nunique()
    if axes is None:
        # rows as close as 8-point labels allow before the figure grows past about 9 inches
        pitch = min(0.21, max(0.17, 7.7 / (n_rows + 1)))
        height = max(1.05 * len(claims), pitch * (n_rows + 1) + 1.0) + 0.3
        fig = plt.figure(figsize=(FIGURE_WIDTH, height), layout="constrained")
        grid = fig.add_gridspec(len(claims), 2, width_ratios=[1.15, 1])
        strips = [fig.add_subplot(grid[i, 0]) for i in range(len(claims))]
        axes = strips + [fig.add_subplot(grid[:, 1])]
    axes = list(np.asarray(axes, dtype=object).ravel())
    if len(axes) != len(claims) + 1:
        raise ValueError(f"axes has {len(axes)} Axes for {len(claims)} claims — pass one per claim and one more")
    codes = [f"C{i + 1}" for i in range(len(claims))]
    longest = max(len(_claim_part(results, c)) for c in claims)
    for i, (ax, claim) in enumerate(zip(axes[:-1], claims)):
        _curve_strip(ax, _claim_part(results, claim), f"{codes[i]}  {claim}")
        ax.set_xlim(-1, max(longest, 1))
        if i < len(claims) - 1:
            ax.tick_params(labelbottom=False)
    axes[-2].set_xlabel("specifications, sorted by margin (SD of units; above 0 the claim holds)",
                        fontsize=MIN_FONT)
    matrix = axes[-1]
    image = _share_matrix(matrix, shares, claims, codes)
    bar = matrix.figure.colorbar(image, ax=matrix, orientation="horizontal", location="bottom", shrink=0.8,
                                 aspect=30, pad=0.01)
    bar.set_label("% of the row's specifications in which the claim holds", fontsize=MIN_FONT)
    bar.ax.tick_params(labelsize=MIN_FONT)
    handles, labels = axes[0].get_legend_handles_labels()
    short = {"claim holds": "holds", "claim fails": "fails"}
    # the curves rise from left to right, so their upper left corner is free for the legend
    axes[0].legend(handles, [short.get(t, t) for t in labels], fontsize=MIN_FONT, frameon=False, loc="upper left",
                   ncol=3, handletextpad=0.1, columnspacing=0.8, borderaxespad=0.2)
    return np.array(axes, dtype=object).reshape(-1, 1)


def plot_learning_curve(curve: pd.DataFrame, ax=None, title: str | None = None):
    """AUC of the retrained supervised measure against the share of hand-coded paragraphs added.

    Parameters
    ----------
    curve : DataFrame
        :func:`analysis.retraining.learning_curve`: ``share, contrast, polarity_auc,
        presence_auc``.
    ax : Axes, optional

    Returns
    -------
    Axes
        One line per contrast (colour) and task (polarity solid, presence dashed), named in
        the legend; the dotted line is chance.
    """
    ax = get_ax(ax, figsize=(6.4, 3.8))
    for k, (contrast, part) in enumerate(curve.groupby("contrast", sort=False)):
        colour = category_colour(k)
        part = part.sort_values("share")
        for task, style in (("polarity", "-"), ("presence", "--")):
            ax.plot(100 * part["share"].to_numpy(dtype=float), part[f"{task}_auc"].to_numpy(dtype=float), style,
                    marker="o", color=colour, label=safe_label(f"{contrast}: {task}"))
    ax.axhline(0.5, color="grey", linestyle=":", linewidth=1, label="chance")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("share of the other articles' hand-coded paragraphs added to the exemplars (%)")
    ax.set_ylabel("AUC on the held-out articles")
    ax.legend(loc="lower right", fontsize="small", ncol=2)
    ax.set_title(safe_label(title or "Retrained on the corpus's own hand coding, article held out"))
    return ax
