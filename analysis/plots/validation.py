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
        :func:`analysis.validation.agreement_table`).
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
    part = results[(results["claim"] == claim) & results["margin"].notna()]
    # margins equal to ten decimals are ties, ordered by specification: the last bits of an
    # SVD's output can differ with memory layout, and must not reorder the figure
    part = part.assign(_rank=part["margin"].round(10))
    part = part.sort_values(["_rank", "spec_id"] if "spec_id" in part.columns else ["_rank"], kind="stable")
    part = part.reset_index(drop=True)
    if axes is None:
        _, axes = plt.subplots(2, 1, figsize=(8, 6), sharex=True, height_ratios=[1, 1.6],
                               constrained_layout=True)
    top, bottom = np.asarray(axes).ravel()
    x = np.arange(len(part))
    holds = part["holds"].fillna(False).astype(bool).to_numpy()
    for flag in (True, False):
        sel = holds == flag
        top.scatter(x[sel], part.loc[sel, "margin"], s=9, color=HOLDS_COLOURS[flag],
                    label="claim holds" if flag else "claim fails", zorder=2)
    if "baseline" in part.columns:
        base = part["baseline"].fillna(False).astype(bool).to_numpy()
        top.scatter(x[base], part.loc[base, "margin"], s=60, facecolors="none", edgecolors="black",
                    linewidths=1.0, label="baseline", zorder=3)
    top.axhline(0, color="0.5", linewidth=0.8)
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


def plot_specification_curves(results: pd.DataFrame, claims: Sequence[str], settings: Sequence[str], *,
                              ncols: int = 4, axes=None):
    """The specification curve of every claim, ``ncols`` claims to a row (:func:`plot_specification_curve`).

    Setting labels are written on the first column only.

    Returns
    -------
    ndarray of matplotlib Axes, shape ``(2 * rows, ncols)``

    Examples
    --------
    >>> r = pd.DataFrame({"claim": ["c", "d"], "margin": [0.5, -0.2], "holds": [True, False],
    ...                   "measure": ["dict", "lss"]})
    >>> plot_specification_curves(r, ["c", "d"], ["measure"], ncols=2).shape
    (2, 2)
    """
    claims = list(claims)
    if not claims:
        raise ValueError("claims is empty — there is no specification curve to draw")
    ncols = max(1, min(ncols, len(claims)))
    nrows = -(-len(claims) // ncols)
    if axes is None:
        _, axes = plt.subplots(2 * nrows, ncols, figsize=(4.2 * ncols, 6.2 * nrows), sharex="col",
                               height_ratios=[1, 1.7] * nrows, constrained_layout=True, squeeze=False)
    axes = np.asarray(axes).reshape(2 * nrows, ncols)
    for i, claim in enumerate(claims):
        r, c = divmod(i, ncols)
        top, bottom = plot_specification_curve(results, claim, settings, axes=(axes[2 * r, c], axes[2 * r + 1, c]))
        top.title.set_fontsize("small")
        if c:
            bottom.set_yticklabels([])
            top.set_ylabel("")
        if i:
            top.get_legend().remove()
    for j in range(len(claims), nrows * ncols):
        r, c = divmod(j, ncols)
        axes[2 * r, c].set_visible(False)
        axes[2 * r + 1, c].set_visible(False)
    return axes


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
