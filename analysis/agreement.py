"""Agreement between the measures on the side a framed paragraph leans to.

Agreement (:func:`agreement_table`)
    For each pair of measures, the share of framed paragraphs on which their signs are
    equal (-1, 0 or +1; a missing position counts as 0), the same share among the
    paragraphs on which both take a side, and Krippendorff's alpha over the measures
    taken as coders.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .reliability import krippendorff_alpha_nominal
from .validation import MEASURES, measure_columns


def polarity_signs(units: pd.DataFrame, contrast: str, measures: Sequence[str] = MEASURES) -> pd.DataFrame:
    """The sign (-1, 0, +1) of each measure's position; a missing position is 0.

    Examples
    --------
    >>> u = pd.DataFrame({"dict_force": [1.0, 0.0], "z_lss_force": [-0.5, np.nan]})
    >>> polarity_signs(u, "force", ["dict", "lss"]).values.tolist()
    [[1, -1], [0, 0]]
    """
    return pd.DataFrame({m: np.sign(np.nan_to_num(units[measure_columns(contrast)[m][0]].to_numpy(dtype=float)))
                         .astype(int) for m in measures}, index=units.index)


def agreement_matrix(signs: pd.DataFrame) -> pd.DataFrame:
    """Share of rows on which each pair of columns holds the same value.

    Examples
    --------
    >>> agreement_matrix(pd.DataFrame({"a": [1, -1, 1, 0], "b": [1, 1, 1, 0]})).loc["a", "b"]
    np.float64(0.75)
    """
    cols = list(signs.columns)
    values = signs.to_numpy()
    share = np.array([[np.mean(values[:, i] == values[:, j]) if len(values) else np.nan for j in range(len(cols))]
                      for i in range(len(cols))])
    return pd.DataFrame(share, index=pd.Index(cols, name="measure"), columns=cols)


def agreement_table(units: pd.DataFrame, contrast: str, framed, measures: Sequence[str] = MEASURES) -> pd.DataFrame:
    """Pairwise sign agreement of the measures on the framed units of ``contrast``.

    Parameters
    ----------
    units : DataFrame with the position columns of :func:`analysis.validation.measure_columns`
    contrast : str
    framed : boolean array, one per row of ``units``
        The units compared (e.g. those hand-coded with a pole or ``mixed``).
    measures : sequence of str

    Returns
    -------
    DataFrame
        For every ordered pair (a measure with itself included): ``contrast,
        measure_a, measure_b``; ``n``, ``agree`` and ``share`` over all framed units (a
        0 sign — no side — is a value like the others); ``n_sided``, ``agree_sided`` and
        ``share_sided`` over the framed units on which both measures take a side.

    Examples
    --------
    >>> u = pd.DataFrame({"dict_force": [1.0, 0.0, -1.0], "tfidf_force": [0.5, 0.2, 0.3]})
    >>> t = agreement_table(u, "force", [True, True, True], ["dict", "tfidf"])
    >>> t.loc[1, ["n", "agree", "n_sided", "agree_sided"]].tolist()
    [3, 1, 2, 1]
    """
    signs = polarity_signs(units[np.asarray(framed, dtype=bool)], contrast, measures)
    rows = []
    for a in measures:
        for b in measures:
            x, y = signs[a].to_numpy(), signs[b].to_numpy()
            sided = (x != 0) & (y != 0)
            n, n_sided = len(x), int(sided.sum())
            agree, agree_sided = int((x == y).sum()), int((x == y)[sided].sum())
            rows.append(dict(contrast=contrast, measure_a=a, measure_b=b, n=n, agree=agree,
                             share=agree / n if n else np.nan, n_sided=n_sided, agree_sided=agree_sided,
                             share_sided=agree_sided / n_sided if n_sided else np.nan))
    return pd.DataFrame(rows)


def measures_alpha(units: pd.DataFrame, contrast: str, framed, measures: Sequence[str] = MEASURES) -> float:
    """Krippendorff's nominal alpha of the measures' signs, the measures taken as coders."""
    signs = polarity_signs(units[np.asarray(framed, dtype=bool)], contrast, measures)
    if signs.empty:
        return float("nan")
    return krippendorff_alpha_nominal([signs[m].tolist() for m in measures])


def disagreements(units: pd.DataFrame, contrast: str, framed, measures: Sequence[str] = MEASURES) -> pd.DataFrame:
    """The framed units on which the measures' signs are not all the same, with their text.

    Columns: ``contrast, unit_id``, ``sign_<measure>`` for each measure, ``text``.
    """
    part = units[np.asarray(framed, dtype=bool)]
    signs = polarity_signs(part, contrast, measures)
    split = signs.nunique(axis=1) > 1
    out = pd.concat([part.loc[split, ["unit_id"]], signs[split].add_prefix("sign_"), part.loc[split, ["text"]]],
                    axis=1)
    return out.assign(contrast=contrast)[["contrast", "unit_id", *[f"sign_{m}" for m in measures], "text"]] \
        .reset_index(drop=True)
