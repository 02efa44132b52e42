"""How robust is each claim? A multiverse of specifications and leave-one-article-out refits.

Every claim (:mod:`analysis.claims`) is evaluated under every specification of the grid
(:mod:`analysis.spec_grid`), each scored on a corpus prepared once
(:mod:`analysis.spec_units`); :mod:`analysis.robustness` summarises the results and
gives each claim its verdict.

Leave one article out (:func:`leave_one_out`)
    Each baseline specification is refitted without one article at a time (every
    article the claim does not name); the left-out article is still scored with the
    refitted model, so a ``most`` claim still compares every article.
"""
from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from tqdm import tqdm

from . import config
from .claims import Claim, claim_outcomes
from .spec_units import Prepared, spec_units


def _progress(iterable, total: int, desc: str, progress: bool | None):
    # None: a bar only when stderr is a terminal (tqdm's rule), so executed notebooks stay identical.
    return tqdm(iterable, total=total, desc=desc, file=sys.stderr, disable=None if progress is None else not progress)


def _spec_dict(row: Mapping) -> dict:
    return {k: (None if v is None or (isinstance(v, float) and np.isnan(v)) else v) for k, v in row.items()}


def multiverse_run(prep: Prepared, specs: pd.DataFrame, claims: Sequence[Claim], *,
                   random_state: int = config.SEED, progress: bool | None = None) -> pd.DataFrame:
    """Evaluate every claim under every specification.

    Parameters
    ----------
    prep : Prepared
    specs : DataFrame from :func:`analysis.spec_grid.spec_grid`
    claims : list of Claim
    random_state : int
    progress : bool or None
        A tqdm bar on stderr: True always, False never, None only on a terminal.

    Returns
    -------
    DataFrame
        The columns of ``specs``, then ``claim``, ``fitted`` (False when the
        specification cannot be fitted on this corpus, e.g. no seed term of a pole
        survives ``min_df``), ``holds`` (missing when not fitted or the claim is
        undefined) and ``margin`` (in standard deviations of the unit positions).
    """
    rows = []
    records = [_spec_dict(r) for r in specs.to_dict("records")] if claims else []
    for spec in _progress(records, len(records), "specifications", progress):
        table = spec_units(prep, spec, random_state=random_state)
        for claim, outcome in zip(claims, claim_outcomes(claims, table)):
            rows.append({**spec, "claim": claim.label, **outcome})
    return _typed(pd.DataFrame(rows, columns=[*specs.columns, "claim", "fitted", "holds", "margin"], dtype=object))


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    """Settings stay objects (an integer stays an integer beside empty cells); results get their types."""
    out = table.copy()
    for col, kind in (("margin", "float64"), ("holds", "boolean"), ("fitted", "bool"), ("baseline", "bool")):
        if col in out.columns:
            out[col] = out[col].astype(kind)
    return out


def leave_one_out(prep: Prepared, specs: pd.DataFrame, claims: Sequence[Claim], *,
                  random_state: int = config.SEED, progress: bool | None = None) -> pd.DataFrame:
    """Refit each specification without each article in turn and re-evaluate the claims.

    An article named by a claim is never left out for that claim.

    Returns
    -------
    DataFrame
        ``spec_id, measure, claim, left_out, fitted, holds, margin``; ``holds`` is
        missing when the refit cannot be made (``fitted`` False, e.g. a pole's only
        seed term occurs in the left-out article) or the claim is undefined.
    """
    docs = sorted(set(prep.units["paragraph"].doc_id))
    records = [_spec_dict(r) for r in specs.to_dict("records")]
    jobs = [(spec, doc) for spec in records for doc in docs] if claims else []
    rows = []
    for spec, doc in _progress(jobs, len(jobs), "leave one article out", progress):
        wanted = [c for c in claims if doc not in c.docs]
        if not wanted:
            continue
        table = spec_units(prep, spec, exclude=doc, random_state=random_state)
        for claim, outcome in zip(wanted, claim_outcomes(wanted, table)):
            rows.append(dict(spec_id=spec["spec_id"], measure=spec["measure"], claim=claim.label, left_out=doc,
                             **outcome))
    return _typed(pd.DataFrame(rows, columns=["spec_id", "measure", "claim", "left_out", "fitted", "holds", "margin"],
                               dtype=object))
