"""Placing text labels next to data so that no two overlap.

Sizes come from the renderer (what the text will really measure), positions are in
points on the figure as it is laid out when the labels are placed. The figures that
use these helpers place their labels last, after every other artist. On a figure whose
layout engine resizes the Axes after that (a constrained layout, when the labels
change what it must fit), labels kept apart in points may come a little closer than
they were placed; labels anchored in data coordinates move with their Axes.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.text import Text

#: Points left between two labels.
PAD = 1.5


def text_size(fig, text: str, fontsize: float) -> tuple[float, float]:
    """Width and height, in points, of ``text`` drawn at ``fontsize`` on ``fig``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure()
    >>> w1, h1 = text_size(fig, "ab", 10); w2, h2 = text_size(fig, "abab", 10)
    >>> bool(w2 > w1 > 0 and h1 == h2)
    True
    >>> plt.close(fig)
    """
    probe = fig.text(0, 0, text, fontsize=fontsize)
    try:
        box = probe.get_window_extent(fig.canvas.get_renderer())
    finally:
        probe.remove()
    scale = fig.dpi / 72.0
    return float(box.width / scale), float(box.height / scale)


def to_points(ax, points, draw: bool = True) -> np.ndarray:
    """Data coordinates ``(n, 2)`` as display points (pixels / dpi × 72) of the laid-out figure.

    Limits and layout are settled first, as drawing settles them: a figure without a
    layout engine is drawn (without rendering); with one, the engine lays the figure out
    and each Axes settles its limits and aspect, which is what a drawing does before it
    draws the artists (tested against a drawing). ``draw=False`` skips that when nothing
    has changed since the last call.
    """
    if draw:
        fig = ax.figure
        engine = fig.get_layout_engine()
        if engine is None:
            fig.draw_without_rendering()
        else:
            engine.execute(fig)
            for each in fig.axes:
                each.get_xlim(), each.get_ylim()
                each.apply_aspect()
    xy = ax.transData.transform(np.asarray(points, dtype=float).reshape(-1, 2))
    return xy / (ax.figure.dpi / 72.0)


def spread(centres: Sequence[float], heights: Sequence[float], pad: float = PAD,
           bounds: tuple[float, float] | None = None) -> list[float]:
    """Centres moved as little as possible (least squares) so that no two intervals overlap.

    Each label ``i`` occupies ``[c_i - h_i/2 - pad/2, c_i + h_i/2 + pad/2]``; the order of
    the centres is kept (ties by position in the input). With ``bounds`` ``(low, high)``
    the labels are then pushed inside that range (down from the top, then up from the
    bottom), as long as they fit in it.

    Examples
    --------
    >>> spread([0.0, 1.0, 10.0], [4.0, 4.0, 4.0], pad=0.0)
    [-1.5, 2.5, 10.0]
    >>> spread([0.0, 1.0, 10.0], [4.0, 4.0, 4.0], pad=0.0, bounds=(0.0, 12.0))
    [2.0, 6.0, 10.0]
    """
    order = sorted(range(len(centres)), key=lambda i: (centres[i], i))
    size = [float(heights[i]) + pad for i in order]
    # blocks of labels touching one another: [first, last, top offsets from the block's start]
    blocks: list[list] = []
    for k, i in enumerate(order):
        blocks.append([k, k, float(centres[i]) - size[k] / 2])
        while len(blocks) > 1:
            a, b = blocks[-2], blocks[-1]
            end_a = a[2] + sum(size[a[0]:a[1] + 1])
            if end_a <= b[2]:
                break
            first, last = a[0], b[1]
            # the block's start that minimises the squared shifts of its labels
            offsets = np.cumsum([0.0] + size[first:last])
            wanted = [float(centres[order[j]]) - size[j] / 2 for j in range(first, last + 1)]
            blocks[-2:] = [[first, last, float(np.mean(np.array(wanted) - offsets))]]
    placed = []
    for first, last, start in blocks:
        position = start
        for j in range(first, last + 1):
            placed.append(position + size[j] / 2)
            position += size[j]
    if bounds is not None:
        low, high = bounds
        for j in reversed(range(len(placed))):  # from the top down
            ceiling = high - size[j] / 2 if j == len(placed) - 1 else placed[j + 1] - (size[j] + size[j + 1]) / 2
            placed[j] = min(placed[j], ceiling)
        for j in range(len(placed)):  # then from the bottom up
            floor = low + size[j] / 2 if j == 0 else placed[j - 1] + (size[j] + size[j - 1]) / 2
            placed[j] = max(placed[j], floor)
    out = [0.0] * len(centres)
    for j, position in enumerate(placed):
        out[order[j]] = position
    return out


def column_labels(ax, points, labels: Sequence[str], right_of: float, fontsize: float = 9.0, gap: float = 12.0):
    """Label ``points`` in one column right of the data x ``right_of``, each joined to its point by a line.

    The labels sit ``gap`` points right of ``right_of`` (the largest x of everything they
    must not cover), at their points' heights, moved apart as little as possible where
    they would overlap (:func:`spread`, kept within the Axes' height); a thin grey line
    runs from each point to its label, and a pale box behind the text keeps it legible
    over faint data. A linear x axis too short for the column is widened to the right
    so that the labels stay inside the Axes. Returns the annotations, in the order of
    ``labels``.
    """
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    anchors = to_points(ax, points)
    sizes = [text_size(ax.figure, label, fontsize) for label in labels]
    widest = max((width for width, _ in sizes), default=0.0) + 2.0
    low, high = ax.get_xlim()
    left, right = to_points(ax, [(low, 0.0), (high, 0.0)], draw=False)[:, 0]
    room = right - left - gap - widest
    if ax.get_xscale() == "linear" and room > 0 and to_points(ax, [(right_of, 0.0)], draw=False)[0, 0] > left + room:
        # widen the x axis so that the column and its widest label fit inside the Axes
        ax.set_xlim(low, low + (right_of - low) * (right - left) / room)
        anchors = to_points(ax, points)
    column = to_points(ax, [(right_of, 0.0)], draw=False)[0, 0] + gap
    bottom, top = to_points(ax, [(right_of, y) for y in ax.get_ylim()], draw=False)[:, 1]
    heights = [height + 2.0 for _, height in sizes]  # the box's padding
    placed = spread(list(anchors[:, 1]), heights, pad=2.0, bounds=(min(bottom, top), max(bottom, top)))
    scale = ax.figure.dpi / 72.0
    where = ax.transData.inverted().transform(np.column_stack([np.full(len(placed), column), placed]) * scale)
    return [ax.annotate(label, tuple(point), xytext=tuple(at), textcoords="data", fontsize=fontsize, va="center",
                        ha="left", zorder=4, annotation_clip=False,
                        bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none", alpha=0.8),
                        arrowprops=dict(arrowstyle="-", color="0.55", linewidth=0.6, shrinkA=0, shrinkB=5))
            for label, point, at in zip(labels, points, where)]


def pack_levels(centres: Sequence[float], widths: Sequence[float], pad: float = PAD) -> list[int]:
    """Row (0, 1, ...) of each centred label on a line so that labels in one row do not overlap.

    Labels are taken in order of their centre; each goes to the lowest row where it fits.

    Examples
    --------
    >>> pack_levels([0.0, 5.0, 30.0, 31.0], [20.0, 20.0, 20.0, 20.0])
    [0, 1, 0, 1]
    """
    order = sorted(range(len(centres)), key=lambda i: (centres[i], i))
    rows: list[list[tuple[float, float]]] = []
    out = [0] * len(centres)
    for i in order:
        lo, hi = centres[i] - widths[i] / 2, centres[i] + widths[i] / 2
        for r, row in enumerate(rows):
            if all(hi + pad <= a or b + pad <= lo for a, b in row):
                row.append((lo, hi))
                out[i] = r
                break
        else:
            rows.append([(lo, hi)])
            out[i] = len(rows) - 1
    return out


def direct_labels(ax, ys: Sequence[float], labels: Sequence[str], colours: Sequence[str], fontsize: float = 8.0):
    """Write ``labels`` just right of the Axes at data heights ``ys``, moved apart where they would overlap.

    Returns the annotations, in the order of ``labels``.
    """
    anchors = to_points(ax, [(0.0, y) for y in ys])[:, 1]
    heights = [text_size(ax.figure, label, fontsize)[1] for label in labels]
    placed = spread(list(anchors), heights)
    return [ax.annotate(label, (1.0, y), xycoords=ax.get_yaxis_transform(), xytext=(6, p - a),
                        textcoords="offset points", va="center", ha="left", fontsize=fontsize, color=colour,
                        annotation_clip=False)
            for label, y, a, p, colour in zip(labels, ys, anchors, placed, colours)]


def overlapping(texts, pad: float = 0.0) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` of ``texts`` whose boxes, as the renderer draws them, overlap by more than ``pad`` pixels.

    An annotation's box is that of its text alone, without its arrow.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> texts = [ax.text(0.5, 0.5, "one"), ax.text(0.5, 0.5, "two"), ax.text(0.1, 0.1, "three")]
    >>> overlapping(texts)
    [(0, 1)]
    >>> plt.close(fig)
    """
    texts = list(texts)
    if not texts:
        return []
    fig = texts[0].figure
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    boxes = [Text.get_window_extent(t, renderer) for t in texts]
    return [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes))
            if min(boxes[i].x1, boxes[j].x1) - max(boxes[i].x0, boxes[j].x0) > pad
            and min(boxes[i].y1, boxes[j].y1) - max(boxes[i].y0, boxes[j].y0) > pad]
