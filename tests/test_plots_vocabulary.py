"""Tests for analysis.plots.vocabulary: what each figure draws, and its error paths."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.plots.vocabulary import (plot_fightin_words,  # noqa: E402
                                       plot_fightin_words_panels, plot_keyness_bars,
                                       plot_keyness_panels, plot_tfidf_heatmap,
                                       tfidf_heatmap_terms)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _table(group="a", reference="rest"):
    terms = ["up1", "up2", "up3", "$5", "down1", "down2", "flat"]
    return pd.DataFrame({
        "group": group, "reference": reference, "term": terms,
        "count_target": [9, 6, 4, 3, 0, 1, 2], "count_reference": [1, 1, 1, 0, 8, 6, 4],
        "chi2": [9.0, 5.0, 3.0, 2.0, 7.0, 4.0, 0.1], "g2": [10.0, 6.0, 4.0, 3.0, 8.0, 5.0, 0.2],
        "log_ratio": [3.0, 2.5, 2.0, 2.2, -3.0, -2.0, 0.1],
        "fw_z": [3.1, 2.2, 1.5, 1.2, -2.5, -1.9, 0.05],
        "p_perm": [0.001, 0.01, 0.2, 0.04, 0.002, 0.3, 0.9], "q_bh": 0.5,
    })


TABLE = pd.concat([_table("a"), _table("b"), _table("x", "y")], ignore_index=True)


def test_fightin_words_draws_every_term_and_labels_both_sides():
    fig, ax = plt.subplots()
    out = plot_fightin_words(TABLE, "a", n_labels=2, ax=ax)
    assert out is ax
    offsets = ax.collections[0].get_offsets()
    # x = count_target + count_reference, y = fw_z, one point per term of the contrast
    np.testing.assert_allclose(offsets[:, 0], [10, 7, 5, 3, 8, 7, 6])
    np.testing.assert_allclose(offsets[:, 1], [3.1, 2.2, 1.5, 1.2, -2.5, -1.9, 0.05])
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["up1", "up2", "down1", "down2"]
    assert ax.get_xscale() == "log"


def test_fightin_words_escapes_dollar_signs():
    ax = plot_fightin_words(TABLE, "a", n_labels=4)
    assert r"\$5" in [t.get_text() for t in ax.texts]


def _crowded_table(group="a", reference="rest", n=40):
    """Terms whose z values crowd around the ±1.96 guide lines."""
    z = np.concatenate([np.linspace(1.85, 2.1, n // 2), -np.linspace(1.85, 2.1, n // 2)])
    return pd.DataFrame({
        "group": group, "reference": reference, "term": [f"term{i:02d}-{'x' * (i % 5)}" for i in range(n)],
        "count_target": np.arange(n) % 7 + 3, "count_reference": np.arange(n) % 5 + 2,
        "log_ratio": np.sign(z), "fw_z": z, "p_perm": 0.05,
    })


def _guide_lines(ax, threshold=1.96):
    return [line for line in ax.get_lines() if np.allclose(np.abs(line.get_ydata()), threshold)]


def _crosses(box, line, renderer):
    span = line.get_window_extent(renderer)
    return box.x0 < span.x1 and span.x0 < box.x1 and box.y0 <= span.y0 <= box.y1


@pytest.mark.parametrize("panels", [False, True])
def test_fightin_words_labels_clear_the_guide_lines_and_each_other(panels):
    from analysis.plots.labels import overlapping

    table = _crowded_table()
    if panels:
        ax = plot_fightin_words_panels(pd.concat([table, _crowded_table("b")]), n_labels=8).flat[0]
    else:
        ax = plot_fightin_words(table, "a", n_labels=8)
    assert len(ax.texts) == 16
    assert len(_guide_lines(ax)) == 2
    assert overlapping(ax.texts) == []  # draws the figure, layout included
    renderer = ax.figure.canvas.get_renderer()
    for text in ax.texts:
        box = matplotlib.text.Text.get_window_extent(text, renderer)  # the text, not its arrow
        assert not any(_crosses(box, line, renderer) for line in _guide_lines(ax)), text.get_text()
        frame = ax.get_window_extent(renderer)  # and every label stays inside the panel's height
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, text.get_text()


def test_keyness_bars_signed_and_ranked():
    ax = plot_keyness_bars(TABLE, "a", n_terms=2, stat="g2")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # top two over-used (by g2: up1 10, up2 6) then the reference's two (down1 8, down2 5)
    assert labels == ["up1", "up2", "down2", "down1"]
    widths = [p.get_width() for p in ax.patches]
    assert widths == [10.0, 6.0, -5.0, -8.0]
    # pale bars for p_perm >= 0.05 (down2: p = 0.3)
    alphas = [p.get_alpha() for p in ax.patches]
    assert alphas == [1.0, 1.0, 0.35, 1.0]


def test_keyness_panels_one_per_contrast_and_spares_hidden():
    axes = plot_keyness_panels(TABLE, n_terms=2, ncols=2)
    assert axes.shape == (2, 2)
    titles = [a.get_title() for a in axes.ravel()[:3]]
    assert titles == ["a vs rest", "b vs rest", "x vs y"]
    assert not axes.ravel()[3].get_visible()


def test_fightin_words_panels_follow_given_contrasts():
    axes = plot_fightin_words_panels(TABLE, contrasts=[("x", "y"), ("a", "rest")], ncols=3)
    assert axes.shape == (1, 3)
    assert [a.get_title() for a in axes.ravel()[:2]] == ["x (up) vs y (down)", "a (up) vs rest (down)"]
    assert not axes.ravel()[2].get_visible()


def test_tfidf_heatmap_terms_and_matrix():
    w = pd.DataFrame({"x": [0.9, 0.1, 0.0], "y": [0.1, 0.8, 0.0], "z": [0.5, 0.5, 0.7]},
                     index=pd.Index(["b", "a", "c"], name="doc_id"))
    # documents in sorted order: a -> y, z; b -> x, z; c -> z
    assert tfidf_heatmap_terms(w, 2) == ["y", "z", "x"]
    ax = plot_tfidf_heatmap(w, n_per_group=2)
    image = ax.images[0].get_array()
    assert image.shape == (3, 3)  # terms by documents
    np.testing.assert_allclose(image[0], [0.8, 0.1, 0.0])  # "y" in a, b, c
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]


def test_plots_leave_rcparams_alone():
    before = dict(matplotlib.rcParams)
    plot_fightin_words(TABLE, "a")
    plot_keyness_panels(TABLE)
    plot_tfidf_heatmap(pd.DataFrame({"x": [1.0]}, index=["a"]))
    after = dict(matplotlib.rcParams)
    assert {k for k in before if before[k] != after[k]} == set()


@pytest.mark.parametrize("call, match", [
    (lambda: plot_fightin_words(TABLE, "zz"), "no rows for contrast"),
    (lambda: plot_fightin_words(TABLE.drop(columns="fw_z"), "a"), "lacks column"),
    (lambda: plot_fightin_words(TABLE, "a", n_labels=-1), "n_labels"),
    (lambda: plot_keyness_bars(TABLE, "a", stat="pmi"), "stat must be"),
    (lambda: plot_keyness_bars(TABLE, "a", n_terms=0), "n_terms"),
    (lambda: plot_keyness_panels(TABLE, axes=np.array([plt.subplots()[1]])), "panels for 3"),
    (lambda: plot_keyness_panels(TABLE, ncols=0), "ncols"),
    (lambda: plot_fightin_words_panels(TABLE, contrasts=[]), "no contrasts"),
    (lambda: plot_tfidf_heatmap(pd.DataFrame({"x": [1.0]}), terms=["nope"]), "not in the TF-IDF"),
    (lambda: tfidf_heatmap_terms(pd.DataFrame({"x": [1.0]}), 0), "n_per_group"),
])
def test_plot_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()
