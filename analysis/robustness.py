"""Summaries of a multiverse run: shares of specifications per claim and setting, and verdicts.

Verdicts (:func:`robustness_verdicts`)
    ``robust``: the claim holds in at least :data:`ROBUST_SHARE` of the specifications
    that can be fitted, and no leave-one-article-out refit of the reference measure
    (the combined index, the study's own) reverses it; ``fragile``: it holds in at
    least :data:`SUPPORT_SHARE` but is not robust; ``not supported``: it holds in fewer.
    A refit that cannot be made (e.g. a pole's only seed term occurs in the left-out
    article) counts neither way and is reported.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .claims import Claim
from .spec_grid import SETTINGS


#: Share of specifications a robust claim must hold in; a supported one, at least half.
ROBUST_SHARE = 0.9


SUPPORT_SHARE = 0.5


#: The measure whose leave-one-article-out refits decide the verdict.
REFERENCE_MEASURE = "combined"


def claim_shares(results: pd.DataFrame, claims: Sequence[Claim] | None = None,
                 measures: Mapping[str, Sequence[str]] | None = None) -> pd.DataFrame:
    """Per claim: specifications run, evaluated, held; the share held, overall and per measure.

    The share is over the specifications in which the claim could be evaluated.

    Parameters
    ----------
    results : DataFrame from :func:`analysis.multiverse.multiverse_run`
    claims : list of Claim, optional
        Sets the row order; needed with ``measures``.
    measures : mapping contrast -> measures, optional
        Count only these measures' specifications for claims on each contrast (e.g.
        the measures that pass validation on it).

    Examples
    --------
    >>> r = pd.DataFrame({"claim": ["c"] * 3, "measure": ["dict", "dict", "lss"], "holds": [True, False, pd.NA]})
    >>> claim_shares(r)[["claim", "specs", "evaluated", "held", "share", "share_dict"]].values.tolist()
    [['c', 3, 2, 1, 0.5, 0.5]]
    """
    if measures is not None and claims is None:
        raise ValueError("pass the claims along with measures, so that each claim's contrast is known")
    order = [c.label for c in claims] if claims is not None else list(dict.fromkeys(results["claim"]))
    contrast = {c.label: c.contrast for c in claims} if claims is not None else {}
    all_measures = list(dict.fromkeys(results["measure"]))
    rows = []
    for label in order:
        part = results[results["claim"] == label]
        if measures is not None:
            part = part[part["measure"].isin(list(measures.get(contrast[label], ())))]
        held = part["holds"].dropna().astype(bool)
        row = dict(claim=label, specs=len(part), evaluated=len(held), held=int(held.sum()),
                   share=float(held.mean()) if len(held) else float("nan"))
        for m in all_measures:
            h = part.loc[part["measure"] == m, "holds"].dropna().astype(bool)
            row[f"share_{m}"] = float(h.mean()) if len(h) else float("nan")
        rows.append(row)
    return pd.DataFrame(rows, columns=["claim", "specs", "evaluated", "held", "share",
                                       *[f"share_{m}" for m in all_measures]])


def setting_text(value) -> str:
    """A setting value as text; a whole number read back as a float prints as an integer.

    Examples
    --------
    >>> setting_text(True), setting_text(100.0), setting_text(0.5), setting_text("1-2")
    ('True', '100', '0.5', '1-2')
    """
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def setting_order(values) -> list[str]:
    """Distinct values as text: numbers in numeric order after everything else, which is alphabetical.

    Examples
    --------
    >>> setting_order([100, 50, 50.0]), setting_order([True, False])
    (['50', '100'], ['False', 'True'])
    """
    distinct = list(dict.fromkeys(v for v in values if v is not None and not (isinstance(v, float) and np.isnan(v))))
    numbers = [v for v in distinct if isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_))]
    others = [v for v in distinct if v not in numbers or isinstance(v, (bool, np.bool_))]
    ordered = sorted({setting_text(v) for v in others}) + [setting_text(v) for v in sorted(numbers)]
    return list(dict.fromkeys(ordered))


def setting_shares(results: pd.DataFrame) -> pd.DataFrame:
    """Share of specifications in which each claim holds, for each value of each setting.

    Columns: ``claim, setting, value, specs, share`` (``measure`` is a setting here).

    Examples
    --------
    >>> r = pd.DataFrame({"claim": ["c"] * 3, "measure": ["dict", "dict", "lss"], "stem": [True, False, None],
    ...                   "holds": [True, False, True]})
    >>> setting_shares(r).values.tolist()
    [['c', 'measure', 'dict', 2, 0.5], ['c', 'measure', 'lss', 1, 1.0], ['c', 'stem', 'False', 1, 0.0], ['c', 'stem', 'True', 1, 1.0]]
    """
    rows = []
    settings = [s for s in ("measure", *SETTINGS) if s in results.columns]
    for label in dict.fromkeys(results["claim"]):
        part = results[(results["claim"] == label) & results["holds"].notna()]
        for s in settings:
            values = part[s].dropna()
            text = values.map(setting_text)
            for value in setting_order(values):
                h = part.loc[text.index[text == value], "holds"].astype(bool)
                rows.append(dict(claim=label, setting=s, value=value, specs=len(h), share=float(h.mean())))
    return pd.DataFrame(rows, columns=["claim", "setting", "value", "specs", "share"])


def _loo_counts(part: pd.DataFrame) -> dict:
    holds = part["holds"]
    known = holds.notna().to_numpy()
    held = known & holds.fillna(False).astype(bool).to_numpy()
    return dict(refits=len(part), evaluated=int(known.sum()), held=int(held.sum()),
                breaking=", ".join(sorted(part.loc[known & ~held, "left_out"])),
                undefined=", ".join(sorted(part.loc[~known, "left_out"])))


def setting_effects(results: pd.DataFrame, settings: Sequence[str] | None = None) -> pd.DataFrame:
    """What changing one setting alone does to each claim, on matched specifications.

    Specifications are matched when they share the measure and every other setting and
    differ only in ``setting``; only groups in which the claim can be evaluated under
    every value of the setting count. Comparing matched specifications keeps the
    comparison free of the mix of measures each value appears with.

    Parameters
    ----------
    results : DataFrame from :func:`analysis.multiverse.multiverse_run`
    settings : sequence of str, default :data:`SHARED_SETTINGS`

    Returns
    -------
    DataFrame
        ``claim, setting, matched`` (groups), ``flips`` (groups in which the claim holds
        under some values and not others), ``low``/``low_share`` and ``high``/
        ``high_share`` (the values under which it holds least and most often, over the
        matched specifications).

    Examples
    --------
    >>> r = pd.DataFrame({"claim": ["c"] * 4, "measure": ["dict"] * 4, "stem": [True, False, True, False],
    ...                   "unit": ["p", "p", "s", "s"], "holds": [True, False, True, True]})
    >>> setting_effects(r, ["stem"]).values.tolist()
    [['c', 'stem', 2, 1, 'False', 0.5, 'True', 1.0]]
    """
    settings = list(settings or SHARED_SETTINGS)
    present = [s for s in ("measure", *SETTINGS) if s in results.columns]
    rows = []
    for label in dict.fromkeys(results["claim"]):
        part = results[(results["claim"] == label) & results["holds"].notna()]
        text = part[present].apply(lambda col: col.map(lambda v: "" if v is None or v != v else setting_text(v)))
        for s in settings:
            if s not in present:
                continue
            others = [c for c in present if c != s]
            frame = text[others].assign(_value=text[s], _holds=part["holds"].astype(bool).to_numpy())
            frame = frame[frame["_value"] != ""]
            n_values = frame.groupby("measure")["_value"].transform("nunique")
            size = frame.groupby(others)["_value"].transform("nunique")
            matched = frame[(n_values > 1) & (size == n_values)]
            if matched.empty:
                continue
            groups = matched.groupby(others)["_holds"].nunique()
            share = matched.groupby("_value")["_holds"].mean()
            order = share.sort_values(kind="stable")
            rows.append(dict(claim=label, setting=s, matched=len(groups), flips=int((groups > 1).sum()),
                             low=order.index[0], low_share=float(order.iloc[0]),
                             high=order.index[-1], high_share=float(order.iloc[-1])))
    return pd.DataFrame(rows, columns=["claim", "setting", "matched", "flips", "low", "low_share", "high",
                                       "high_share"])


def loo_summary(loo: pd.DataFrame) -> pd.DataFrame:
    """Per claim and measure: refits, how many could be evaluated and held, and which left-out articles
    reverse the claim (``breaking``) or leave it undefined (``undefined``).

    Examples
    --------
    >>> l = pd.DataFrame({"claim": ["c"] * 3, "measure": ["dict"] * 3, "left_out": ["x", "y", "z"],
    ...                   "holds": pd.array([True, False, None], dtype="boolean")})
    >>> loo_summary(l).values.tolist()
    [['c', 'dict', 3, 2, 1, 'y', 'z']]
    """
    rows = [dict(claim=label, measure=m, **_loo_counts(part))
            for (label, m), part in loo.groupby(["claim", "measure"], sort=False)]
    return pd.DataFrame(rows, columns=["claim", "measure", "refits", "evaluated", "held", "breaking", "undefined"])


#: Settings shared by several measures (the others belong to one measure and are read through it).
SHARED_SETTINGS = ("lowercase", "stem", "stopwords", "min_df", "ngram", "unit")


def robustness_verdicts(shares: pd.DataFrame, loo: pd.DataFrame, settings: pd.DataFrame,
                        effects: pd.DataFrame | None = None, *, skipped: Sequence[Claim] = (),
                        reference: str = REFERENCE_MEASURE, robust_share: float = ROBUST_SHARE,
                        support_share: float = SUPPORT_SHARE) -> pd.DataFrame:
    """A verdict per claim, with the evidence a reader needs to see why.

    Parameters
    ----------
    shares : DataFrame from :func:`claim_shares`
    loo : DataFrame from :func:`analysis.multiverse.leave_one_out`
    settings : DataFrame from :func:`setting_shares` (for the measures)
    effects : DataFrame from :func:`setting_effects`, optional
    skipped : list of Claim
        Claims that could not be tested (see :func:`analysis.claims.claims_split`); listed last with
        the verdict ``skipped``.
    reference : str
        The measure whose leave-one-article-out refits count for the verdict.
    robust_share, support_share : float

    Returns
    -------
    DataFrame
        ``claim, share``, the reference measure's ``loo_refits, loo_evaluated,
        loo_held, loo_breaking, loo_undefined``; ``weakest_measure`` and
        ``weakest_measure_share`` (the measure under which the claim holds least
        often); from ``effects``, the setting whose change alone flips the claim in
        the largest share of matched specifications (``setting, flips, matched,
        setting_low, setting_low_share, setting_high, setting_high_share``); and
        ``verdict``. A refit that cannot be made counts neither for nor against the
        claim; a claim with no evaluable refit cannot be robust.

    Examples
    --------
    >>> shares = pd.DataFrame({"claim": ["c"], "share": [0.95]})
    >>> loo = pd.DataFrame({"claim": ["c", "c"], "measure": ["combined"] * 2, "left_out": ["x", "y"],
    ...                     "holds": pd.array([True, None], dtype="boolean")})
    >>> settings = pd.DataFrame({"claim": ["c"] * 2, "setting": ["measure", "measure"],
    ...                          "value": ["dict", "lss"], "specs": [10, 10], "share": [1.0, 0.9]})
    >>> robustness_verdicts(shares, loo, settings)[["loo_held", "loo_undefined", "weakest_measure", "verdict"]].values.tolist()
    [[1, 'y', 'lss', 'robust']]
    """
    rows = []
    for r in shares.itertuples():
        counts = _loo_counts(loo[(loo["claim"] == r.claim) & (loo["measure"] == reference)])
        loo_ok = counts["evaluated"] > 0 and counts["held"] == counts["evaluated"]
        own = settings[(settings["claim"] == r.claim) & (settings["specs"] >= 2) & (settings["setting"] == "measure")]
        weakest = own.sort_values(["share", "value"], kind="stable").head(1)
        effect = None
        if effects is not None:
            e = effects[(effects["claim"] == r.claim) & (effects["matched"] > 0)]
            e = e.assign(rate=e["flips"] / e["matched"]).sort_values(["rate", "flips"], ascending=False, kind="stable")
            effect = e.iloc[0] if len(e) else None
        if r.share >= robust_share and loo_ok:
            verdict = "robust"
        elif r.share >= support_share:
            verdict = "fragile"
        else:
            verdict = "not supported"
        rows.append(dict(claim=r.claim, share=r.share, **{f"loo_{k}": v for k, v in counts.items()},
                         weakest_measure=weakest["value"].iloc[0] if len(weakest) else None,
                         weakest_measure_share=float(weakest["share"].iloc[0]) if len(weakest) else np.nan,
                         setting=effect["setting"] if effect is not None else None,
                         flips=int(effect["flips"]) if effect is not None else 0,
                         matched=int(effect["matched"]) if effect is not None else 0,
                         setting_low=effect["low"] if effect is not None else None,
                         setting_low_share=float(effect["low_share"]) if effect is not None else np.nan,
                         setting_high=effect["high"] if effect is not None else None,
                         setting_high_share=float(effect["high_share"]) if effect is not None else np.nan,
                         verdict=verdict))
    rows += [dict(claim=c.label, verdict="skipped: names an article not in the corpus") for c in skipped]
    columns = ["claim", "share", "loo_refits", "loo_evaluated", "loo_held", "loo_breaking", "loo_undefined",
               "weakest_measure", "weakest_measure_share", "setting", "flips", "matched", "setting_low",
               "setting_low_share", "setting_high", "setting_high_share", "verdict"]
    counts = ["loo_refits", "loo_evaluated", "loo_held", "flips", "matched"]
    return pd.DataFrame(rows, columns=columns).astype({c: "Int64" for c in counts})
