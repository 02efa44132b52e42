"""Where the topics are: prevalence per group, concentration, and effects of covariates."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..config import CONFIDENCE, N_BOOT, SEED


def _check_confidence(confidence: float) -> tuple[float, float]:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie strictly between 0 and 1, not {confidence}")
    alpha = (1 - confidence) / 2
    return 100 * alpha, 100 * (1 - alpha)


def topic_prevalence(doc_topic: np.ndarray, groups: Sequence[str], *, n_boot: int = N_BOOT,
                     confidence: float = CONFIDENCE, random_state: int = SEED,
                     group_name: str = "doc_id") -> pd.DataFrame:
    """Mean topic share per group with percentile intervals from a unit bootstrap.

    Every unit (paragraph) weighs the same. For each group, its units are resampled
    with replacement ``n_boot`` times (one generator, groups in sorted order) and the
    interval holds the central ``confidence`` share of the resampled means.

    Returns
    -------
    DataFrame
        ``group_name``, topic, share, low, high

    Examples
    --------
    >>> p = topic_prevalence(np.array([[1.0, 0.0], [0.0, 1.0]]), ["a", "a"], n_boot=200)
    >>> p[["topic", "share", "low", "high"]].values.tolist()
    [[1.0, 0.5, 0.0, 1.0], [2.0, 0.5, 0.0, 1.0]]
    """
    theta = np.asarray(doc_topic, dtype=float)
    groups = np.asarray(list(groups), dtype=object)
    if len(groups) != theta.shape[0]:
        raise ValueError(f"groups has {len(groups)} labels for {theta.shape[0]} units: "
                         "pass one label per row of doc_topic")
    lo, hi = _check_confidence(confidence)
    rng = np.random.default_rng(random_state)
    rows = []
    for group in sorted(set(groups)):
        block = theta[groups == group]
        idx = rng.integers(0, len(block), size=(n_boot, len(block)))
        boot = block[idx].mean(axis=1)
        low, high = np.percentile(boot, [lo, hi], axis=0)
        rows.extend({group_name: group, "topic": k + 1, "share": block[:, k].mean(),
                     "low": low[k], "high": high[k]} for k in range(theta.shape[1]))
    return pd.DataFrame(rows)


def topic_concentration(doc_topic: np.ndarray, groups: Sequence[str]) -> pd.DataFrame:
    """How much of each topic's total weight comes from its main group.

    A topic whose weight sits almost entirely in one article describes that article
    rather than a theme shared across articles. ``baseline`` is the group's share of
    all units: what the concentration would be if the topic were spread evenly.

    Returns
    -------
    DataFrame
        topic, group, concentration, baseline

    Examples
    --------
    >>> topic_concentration(np.array([[0.9, 0.1], [0.7, 0.3], [0.2, 0.8]]), ["a", "a", "b"]
    ...                     ).round(3).values.tolist()
    [[1, 'a', 0.889, 0.667], [2, 'b', 0.667, 0.333]]
    """
    theta = np.asarray(doc_topic, dtype=float)
    groups = np.asarray(list(groups), dtype=object)
    if len(groups) != theta.shape[0]:
        raise ValueError(f"groups has {len(groups)} labels for {theta.shape[0]} units: "
                         "pass one label per row of doc_topic")
    names = sorted(set(groups))
    mass = np.array([theta[groups == g].sum(axis=0) for g in names])  # groups x topics
    share = mass / mass.sum(axis=0, keepdims=True)
    top = share.argmax(axis=0)
    size = np.array([(groups == g).mean() for g in names])
    return pd.DataFrame({"topic": np.arange(1, theta.shape[1] + 1),
                         "group": [names[i] for i in top],
                         "concentration": share[top, np.arange(theta.shape[1])],
                         "baseline": size[top]})


def date_to_years(dates: Sequence[str]) -> np.ndarray:
    """Years (of 365.25 days) since the earliest of ISO ``YYYY-MM-DD`` dates.

    Examples
    --------
    >>> date_to_years(["2020-01-01", "2022-01-01"]).round(3).tolist()
    [0.0, 2.001]
    """
    parsed = pd.to_datetime(pd.Series(list(dates)), format="%Y-%m-%d", errors="coerce")
    if parsed.isna().any():
        bad = [d for d, p in zip(dates, parsed) if pd.isna(p)]
        raise ValueError(f"date must be ISO YYYY-MM-DD, got {bad[:3]}: fix the metadata dates")
    days = (parsed - parsed.min()).dt.days.to_numpy(dtype=float)
    return days / 365.25


def _slopes(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """OLS slopes of every column of ``y`` on ``x`` with an intercept; leading axes broadcast."""
    xc = x - x.mean(axis=-1, keepdims=True)
    yc = y - y.mean(axis=-2, keepdims=True)
    sxx = (xc ** 2).sum(axis=-1)
    sxy = np.einsum("...n,...nk->...k", xc, yc)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sxy / sxx[..., None]


def _stratified_indices(strata: np.ndarray, n_boot: int, rng) -> np.ndarray:
    """Bootstrap row indices resampled within each stratum (strata in sorted order)."""
    idx = np.empty((n_boot, len(strata)), dtype=int)
    for s in sorted(set(strata)):
        members = np.flatnonzero(strata == s)
        idx[:, members] = members[rng.integers(0, len(members), size=(n_boot, len(members)))]
    return idx


def topic_effects(doc_topic: np.ndarray, covariate: Sequence, *, kind: str = "categorical",
                  strata: Sequence[str] | None = None, n_boot: int = N_BOOT,
                  confidence: float = CONFIDENCE, random_state: int = SEED) -> pd.DataFrame:
    """Regress unit topic shares on a covariate, with bootstrap intervals.

    In the spirit of stm's ``estimateEffect`` (Roberts, Stewart & Tingley 2019), each
    topic's unit-level share is regressed by OLS on the covariate. Uncertainty comes
    from a nonparametric bootstrap of units, resampled within ``strata`` (e.g. the
    article) so that every stratum keeps its size; stm instead simulates from the
    topic posterior, which a point-estimated model does not have.

    * ``kind="categorical"``: for each level, share ~ 1 + [unit has this level]; the
      coefficient is the level's mean share minus the mean share of all other units.
    * ``kind="numeric"``: share ~ 1 + covariate; the coefficient is the slope.

    Returns
    -------
    DataFrame
        topic, term (the level, or ``"slope"``), estimate, low, high

    Examples
    --------
    >>> theta = np.array([[0.2, 0.8], [0.4, 0.6], [0.6, 0.4], [0.8, 0.2]])
    >>> e = topic_effects(theta, [0, 0, 1, 1], kind="numeric", n_boot=50)
    >>> e["estimate"].round(3).tolist()
    [0.4, -0.4]
    """
    if kind not in ("categorical", "numeric"):
        raise ValueError(f"kind must be 'categorical' or 'numeric', not {kind!r}")
    theta = np.asarray(doc_topic, dtype=float)
    covariate = np.asarray(list(covariate), dtype=object if kind == "categorical" else float)
    if len(covariate) != theta.shape[0]:
        raise ValueError(f"covariate has {len(covariate)} values for {theta.shape[0]} units: "
                         "pass one value per row of doc_topic")
    strata = (np.zeros(len(covariate), dtype=object) if strata is None
              else np.asarray(list(strata), dtype=object))
    if len(strata) != len(covariate):
        raise ValueError("strata must have one label per unit: pass e.g. each paragraph's doc_id")
    lo, hi = _check_confidence(confidence)
    if kind == "categorical":
        designs = [(str(level), (covariate == level).astype(float)) for level in sorted(set(covariate))]
    else:
        if np.ptp(covariate) == 0:
            raise ValueError("covariate is constant: a slope needs at least two distinct values")
        designs = [("slope", covariate.astype(float))]
    idx = _stratified_indices(strata, n_boot, np.random.default_rng(random_state))
    rows = []
    for term, x in designs:
        estimate = _slopes(x, theta)
        boot = _slopes(x[idx], theta[idx])
        low, high = np.nanpercentile(boot, [lo, hi], axis=0)
        rows.extend({"topic": k + 1, "term": term, "estimate": estimate[k],
                     "low": low[k], "high": high[k]} for k in range(theta.shape[1]))
    return pd.DataFrame(rows).sort_values(["topic", "term"], kind="stable").reset_index(drop=True)
