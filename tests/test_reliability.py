"""Krippendorff's alpha against the published worked examples and hand computation."""
import math

import pytest

from analysis.reliability import coincidence_matrix, krippendorff_alpha_nominal, percent_agreement

N = None


def test_published_binary_example():
    # Krippendorff (2011), section A: two coders, ten units -> alpha = 0.095.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert krippendorff_alpha_nominal([a, b]) == pytest.approx(0.095, abs=5e-4)


def test_published_nominal_example_with_missing_codes():
    # Krippendorff (2011), section C: four coders, twelve units, missing data -> nominal alpha = 0.743.
    coders = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
        [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
    ]
    assert krippendorff_alpha_nominal(coders) == pytest.approx(0.743, abs=5e-4)


def test_hand_computed_toy():
    # Units: (x,x), (x,y), (y,y). Coincidences: o_xx = 2, o_xy = o_yx = 1, o_yy = 2; n_x = n_y = 3, n = 6.
    # alpha = 1 - (n-1) * (o_xy + o_yx) / (n^2 - n_x^2 - n_y^2) = 1 - 5 * 2 / (36 - 9 - 9) = 1 - 10/18 = 0.4444
    o, labels = coincidence_matrix([["x", "x", "y"], ["x", "y", "y"]])
    assert labels == ["x", "y"] and o.tolist() == [[2, 1], [1, 2]]
    assert krippendorff_alpha_nominal([["x", "x", "y"], ["x", "y", "y"]]) == pytest.approx(1 - 10 / 18)


def test_perfect_agreement_is_one_and_single_category_is_undefined():
    assert krippendorff_alpha_nominal([["a", "b", "a"], ["a", "b", "a"]]) == 1.0
    assert math.isnan(krippendorff_alpha_nominal([["a", "a"], ["a", "a"]]))


@pytest.mark.parametrize("codes, message", [
    ([["a", "b"], ["a"]], "one value per unit"),
    ([["a", N], [N, "b"]], "no unit is coded by two or more coders"),
])
def test_errors(codes, message):
    with pytest.raises(ValueError, match=message):
        krippendorff_alpha_nominal(codes)


def test_percent_agreement():
    assert percent_agreement(["a", "b"], ["a", "c"]) == 0.5
    with pytest.raises(ValueError, match="equal length"):
        percent_agreement(["a"], [])
