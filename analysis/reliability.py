"""Inter-coder reliability: Krippendorff's alpha for nominal codes.

Implemented from the coincidence-matrix definition in Krippendorff (2011),
"Computing Krippendorff's Alpha-Reliability", Annenberg School for Communication
Departmental Papers 43. Units coded by fewer than two coders are not pairable and are
dropped, as the definition requires.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def coincidence_matrix(codes: Sequence[Sequence[object]]) -> tuple[np.ndarray, list]:
    """Krippendorff's coincidence matrix of nominal ``codes``.

    Parameters
    ----------
    codes : sequence of sequences
        One sequence per coder, one value per unit; ``None`` (or NaN) for a missing code.

    Returns
    -------
    (ndarray, list)
        The symmetric matrix ``o[c, k]`` and the sorted category labels.

    Examples
    --------
    >>> o, labels = coincidence_matrix([["a", "a"], ["a", "b"]])
    >>> labels, o.tolist()
    (['a', 'b'], [[2.0, 1.0], [1.0, 0.0]])
    """
    table = [list(c) for c in codes]
    if len({len(c) for c in table}) != 1:
        raise ValueError("every coder needs one value per unit (use None for a missing code)")

    def missing(v):
        return v is None or (isinstance(v, float) and np.isnan(v))

    labels = sorted({v for coder in table for v in coder if not missing(v)}, key=str)
    index = {label: i for i, label in enumerate(labels)}
    o = np.zeros((len(labels), len(labels)))
    for unit in zip(*table):
        values = [index[v] for v in unit if not missing(v)]
        m = len(values)
        if m < 2:
            continue
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    o[c, k] += 1.0 / (m - 1)
    return o, labels


def krippendorff_alpha_nominal(codes: Sequence[Sequence[object]]) -> float:
    """Krippendorff's alpha for nominal data (any number of coders, missing codes allowed).

    ``alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c * n_k``.

    Examples
    --------
    Krippendorff's (2011) two-coder binary example:

    >>> a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    >>> b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    >>> round(krippendorff_alpha_nominal([a, b]), 3)
    0.095
    """
    o, _ = coincidence_matrix(codes)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    if n == 0:
        raise ValueError("no unit is coded by two or more coders")
    observed = o.sum() - np.trace(o)
    expected = n_c.sum() ** 2 - (n_c ** 2).sum()
    if expected == 0:
        return float("nan")  # a single category: agreement is undefined, not perfect
    return float(1.0 - (n - 1) * observed / expected)


def percent_agreement(a: Sequence[object], b: Sequence[object]) -> float:
    """Share of units on which two coders give the same code.

    Examples
    --------
    >>> percent_agreement(["x", "y", "x"], ["x", "x", "x"])
    0.6666666666666666
    """
    if len(a) != len(b) or not len(a):
        raise ValueError("two non-empty code lists of equal length are needed")
    return float(np.mean([x == y for x, y in zip(a, b)]))
