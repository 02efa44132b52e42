"""Tests for analysis.plots.dispersion: one strip per article, a tick per cue, rows and legend."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.plots.dispersion import STANCE_COLOURS, plot_dispersion  # noqa: E402
from analysis.plots.frames import SIDE_COLOURS  # noqa: E402

TABLE = pd.DataFrame({
    "doc_id": ["a", "a", "a", "a", "b"],
    "kind": ["frame", "frame", "stance", "frame", "stance"],
    "contrast": ["alliance", "alliance", "", "force", ""],
    "pole": ["transactional", "ideological", "negation", "credibility", "rejection"],
    "side": [-1, 1, 0, 1, 0],
    "counted": [True, True, True, False, True],
    "position": [0.1, 0.5, 0.45, 0.9, 0.3],
})
POLES = ["transactional", "ideological", "deterrence", "credibility"]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _ticks(ax):
    """(x, row, colour, alpha) of every tick drawn."""
    out = []
    for coll in ax.collections:
        for seg, colour in zip(coll.get_segments(), coll.get_colors()):
            out.append((seg[0][0], (seg[0][1] + seg[1][1]) / 2, matplotlib.colors.to_hex(colour),
                        round(float(colour[3]), 2)))
    return sorted(out)


def test_one_strip_per_article_with_a_row_per_pole_and_one_for_stance():
    axes = plot_dispersion(TABLE, docs=["a", "b", "c"], poles=POLES)
    assert len(axes) == 3
    assert [t.get_text() for t in axes[0].get_yticklabels()] == [*POLES, "stance cues"]
    assert [ax.get_title(loc="left") for ax in axes] == ["a", "b", "c"]
    assert axes[0].get_xlim() == (0, 1)
    assert _ticks(axes[2]) == []  # an article without cues keeps its empty strip


def test_ticks_sit_at_the_cue_positions_in_their_rows_and_colours():
    a, b, _ = plot_dispersion(TABLE, docs=["a", "b", "c"], poles=POLES)
    assert _ticks(a) == [
        (0.1, 0.0, SIDE_COLOURS[0], 1.0),  # transactional: negative pole
        (0.45, 4.0, STANCE_COLOURS["negation"].lower(), 1.0),
        (0.5, 1.0, SIDE_COLOURS[1], 1.0),
        (0.9, 3.0, SIDE_COLOURS[1], 0.3),  # credibility, not counted: pale
    ]
    assert _ticks(b) == [(0.3, 4.0, STANCE_COLOURS["rejection"].lower(), 1.0)]


def test_the_legend_names_every_colour():
    axes = plot_dispersion(TABLE, poles=POLES)
    names = [t.get_text() for t in axes[0].get_legend().get_texts()]
    assert names == ["negative pole", "positive pole", "not counted (negated or off target)", "negation",
                     "rejection", "attribution"]


def test_default_rows_follow_contrast_then_side():
    ax = plot_dispersion(TABLE)[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["transactional", "ideological", "credibility",
                                                            "stance cues"]


def test_labels_are_escaped():
    ax = plot_dispersion(TABLE.assign(doc_id="cost$5"))[0]
    assert ax.get_title(loc="left") == r"cost\$5"


@pytest.mark.parametrize("call, match", [
    (lambda: plot_dispersion(TABLE.drop(columns="position")), "table has no column 'position'"),
    (lambda: plot_dispersion(TABLE.iloc[:0]), "no articles to draw"),
    (lambda: plot_dispersion(TABLE, axes=np.array(plt.subplots(3)[1])), "axes has 3 Axes for 2 articles"),
])
def test_errors_are_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()
