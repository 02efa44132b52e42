"""Tests for analysis.spec_grid: the specifications counted by hand."""
from __future__ import annotations

import pytest

from analysis.spec_grid import grid_summary, spec_grid


def test_spec_grid_counts_by_hand():
    # dict: 2 lowercase x 2 stem x 1 unit x 1 smoothing = 4
    g = spec_grid(values={"unit": ("paragraph",), "smoothing": (0.5,)}, measures=["dict"])
    assert len(g) == 4 and g["baseline"].sum() == 1
    # tfidf: (lowercase, stem) pairs without (False, True) = 3, x 1 x 1 x 1 x 1 = 3
    g = spec_grid(values={"stopwords": ("none",), "min_df": (1,), "ngram": ("1-1",), "unit": ("paragraph",)},
                  measures=["tfidf"], baseline={"stopwords": "none"})
    assert len(g) == 3
    assert g[["lowercase", "stem"]].values.tolist() == [[True, True], [True, False], [False, False]]
    # a baseline value outside the grid is added to it
    g = spec_grid(values={"topic_k": (5,)}, measures=["topic"], baseline={"topic_k": 7})
    assert sorted(g["topic_k"].unique()) == [5, 7]
    # settings that do not touch a measure stay empty, integers stay integers
    assert g["lowercase"].isna().all() and isinstance(g["min_df"].iloc[0], int)
    with pytest.raises(ValueError, match="measure must be one of"):
        spec_grid(measures=["wordfish"])


def test_grid_summary():
    g = spec_grid(values={"unit": ("paragraph",), "smoothing": (0.5,)}, measures=["dict"])
    assert grid_summary(g).values.tolist() == [["dict", 4, "lowercase (True, False); stem (True, False); "
                                                           "unit (paragraph); smoothing (0.5)"]]
