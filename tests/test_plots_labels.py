"""Tests for analysis.plots.labels: moving labels apart, measured on the renderer."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from analysis.plots.labels import (column_labels, overlapping, pack_levels, spread, text_size,  # noqa: E402
                                   to_points)


@pytest.fixture
def ax():
    fig, ax = plt.subplots(figsize=(4.0, 3.0))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    yield ax
    plt.close(fig)


def test_spread_by_hand():
    # two labels 4 high at the same place: each moves half the overlap, the mean stays put
    assert spread([0.0, 0.0], [4.0, 4.0], pad=0.0) == [-2.0, 2.0]
    # a third label far away is not moved, and the order of the input is kept
    assert spread([10.0, 0.0, 0.0], [4.0, 4.0, 4.0], pad=0.0) == [10.0, -2.0, 2.0]
    # within bounds (0, 6) the label at 0 (2 high) is pushed up until its lower edge is on the floor
    assert spread([0.0, 5.0], [2.0, 2.0], pad=0.0, bounds=(0.0, 6.0)) == [1.0, 5.0]


def test_spread_never_leaves_an_overlap():
    rng = np.random.default_rng(3)
    for _ in range(200):
        centres = rng.normal(0, 10, int(rng.integers(1, 12))).tolist()
        heights = rng.uniform(1, 6, len(centres)).tolist()
        placed = spread(centres, heights, pad=1.0)
        order = np.argsort(placed)
        for a, b in zip(order, order[1:]):
            assert placed[b] - placed[a] >= (heights[a] + heights[b]) / 2 + 1.0 - 1e-9
        assert np.argsort(placed, kind="stable").tolist() == np.argsort(centres, kind="stable").tolist()


def test_pack_levels_by_hand():
    # the second interval overlaps the first and goes a level up; the third fits on the first level
    assert pack_levels([0.0, 5.0, 30.0], [20.0, 20.0, 20.0], pad=0.0) == [0, 1, 0]


def test_text_size_grows_with_the_text_and_the_font(ax):
    w1, h1 = text_size(ax.figure, "ab", 10)
    w2, _ = text_size(ax.figure, "abab", 10)
    w3, h3 = text_size(ax.figure, "ab", 20)
    assert w2 > w1 > 0 and w3 > w1 and h3 > h1
    assert ax.figure.texts == []  # the probe is removed


def test_to_points_is_the_data_transform_in_points(ax):
    xy = to_points(ax, [(0.0, 0.0), (10.0, 10.0)])
    corners = ax.transData.transform([(0.0, 0.0), (10.0, 10.0)]) / (ax.figure.dpi / 72.0)
    assert np.allclose(xy, corners)
    bbox = ax.get_window_extent()
    assert np.allclose(xy[1] - xy[0], [bbox.width * 72 / ax.figure.dpi, bbox.height * 72 / ax.figure.dpi])


def test_column_labels_stand_in_one_column_right_of_what_they_must_not_cover(ax):
    points = [(2.0, 5.0), (2.1, 5.0), (1.0, 5.1), (3.0, 1.0)]
    names = ["first", "second", "a longer third", "fourth"]
    annotations = column_labels(ax, points, names, right_of=4.0)
    ax.figure.draw_without_rendering()
    renderer = ax.figure.canvas.get_renderer()
    boxes = [Text.get_window_extent(a, renderer) for a in annotations]
    right = ax.transData.transform((4.0, 0.0))[0]
    assert [a.get_text() for a in annotations] == names
    assert [tuple(a.xy) for a in annotations] == points
    assert len({round(b.x0, 6) for b in boxes}) == 1 and boxes[0].x0 > right
    assert overlapping(annotations) == []
    # the labels of points at one height are moved apart around it; a lone point keeps its height
    assert abs(annotations[3].xyann[1] - 1.0) < 1e-9
    assert min(a.xyann[1] for a in annotations[:3]) < 5.0 < max(a.xyann[1] for a in annotations[:3])


@pytest.mark.parametrize("layout", [None, "constrained", "tight"])
def test_to_points_is_where_a_drawing_puts_the_points(layout):
    """With a layout engine the figure is laid out, not drawn: the points are where one
    drawing of the same figure puts them, an Axes of fixed aspect included."""
    def figure():
        fig, axes = plt.subplots(1, 2, figsize=(6.0, 3.0), layout=layout)
        axes[0].imshow(np.arange(12.0).reshape(3, 4))  # equal aspect: the Axes shrinks to fit the image
        axes[1].plot([0, 1], [0, 100])
        axes[1].set_ylabel("a long label that the layout must make room for")
        return fig, axes[0]

    points = [(0.0, 0.0), (3.0, 2.0)]
    fig, ax = figure()
    got = to_points(ax, points)
    plt.close(fig)
    fig, ax = figure()
    fig.draw_without_rendering()
    want = ax.transData.transform(points) / (fig.dpi / 72.0)
    plt.close(fig)
    assert np.allclose(got, want, atol=1e-6)
