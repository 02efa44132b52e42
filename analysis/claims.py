"""Claims about article positions, and whether a specification's unit table supports each.

A *claim* compares article positions on one contrast (:class:`Claim`):

* ``more``: article ``a`` lies further towards ``pole`` than article ``b``;
* ``most``: article ``a`` lies further towards ``pole`` than every other article;
* ``leans``: article ``a`` lies on the side of ``pole`` (beyond zero).

Claims are data: the caller passes them (:func:`parse_claims`), so nothing here knows
any article.

Margin
    How far a claim holds, in standard deviations of the specification's unit
    positions: for ``more``, ``(x_a - x_b) / sd``; for ``most``,
    ``(x_a - max_other x) / sd``; for ``leans``, ``x_a / sd``, with ``x`` signed so that
    larger is nearer ``pole``. The claim holds when the margin is > 0.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .codebook import Codebook, load_codebook


KINDS = ("more", "most", "leans")


@dataclass(frozen=True)
class Claim:
    """One claim about article positions; build it with :func:`parse_claims`."""

    kind: str
    pole: str
    a: str
    b: str | None
    contrast: str
    sign: int
    label: str

    @property
    def docs(self) -> frozenset[str]:
        """The articles the claim names."""
        return frozenset(d for d in (self.a, self.b) if d)


def claim_label(kind: str, pole: str, a: str, b: str | None = None) -> str:
    """The sentence a claim states.

    Examples
    --------
    >>> claim_label("more", "ideological", "x", "y"), claim_label("most", "p", "x"), claim_label("leans", "p", "x")
    ('x leans further to ideological than y', 'x leans furthest to p of all articles', 'x leans to p')
    """
    if kind == "more":
        return f"{a} leans further to {pole} than {b}"
    if kind == "most":
        return f"{a} leans furthest to {pole} of all articles"
    return f"{a} leans to {pole}"


def parse_claims(claims: Sequence[Mapping], codebook: Codebook | None = None) -> list[Claim]:
    """Validate claims given as mappings with ``kind``, ``pole``, ``a`` and (for ``more``) ``b``.

    An optional ``label`` replaces the generated sentence.

    Raises
    ------
    ValueError
        Naming the claim (by position) and the field, with the fix.

    Examples
    --------
    >>> c = parse_claims([{"kind": "leans", "pole": "transactional", "a": "x"}])[0]
    >>> c.contrast, c.sign, c.label
    ('alliance', -1, 'x leans to transactional')
    """
    codebook = codebook or load_codebook()
    poles = {p.name: p for p in codebook.poles}
    out = []
    for i, raw in enumerate(claims):
        if not isinstance(raw, Mapping):
            raise ValueError(f"claims[{i}] is {type(raw).__name__} — give each claim as a dict with kind, pole, a "
                             "(and b for 'more')")
        kind = raw.get("kind")
        if kind not in KINDS:
            raise ValueError(f"claims[{i}]: field 'kind' is {kind!r} — use one of {', '.join(KINDS)}")
        pole = raw.get("pole")
        if pole not in poles:
            raise ValueError(f"claims[{i}]: field 'pole' is {pole!r} — use a pole of the codebook: "
                             f"{', '.join(poles)}")
        a, b = raw.get("a"), raw.get("b")
        if not isinstance(a, str) or not a:
            raise ValueError(f"claims[{i}]: field 'a' is missing — name the article (its doc_id)")
        if kind == "more" and (not isinstance(b, str) or not b or b == a):
            raise ValueError(f"claims[{i}]: field 'b' must name a second article for a 'more' claim")
        if kind != "more" and b:
            raise ValueError(f"claims[{i}]: field 'b' is only used by 'more' claims — remove it")
        label = raw.get("label") or claim_label(kind, pole, a, b)
        out.append(Claim(kind, pole, a, b if kind == "more" else None, poles[pole].contrast, poles[pole].sign, label))
    labels = [c.label for c in out]
    if len(set(labels)) != len(labels):
        raise ValueError("two claims have the same label — give each claim its own")
    return out


def claims_split(claims: Sequence[Claim], doc_ids: Sequence[str]) -> tuple[list[Claim], list[Claim]]:
    """The claims whose articles are all in ``doc_ids``, and the others (skipped).

    Examples
    --------
    >>> kept, skipped = claims_split(parse_claims([{"kind": "leans", "pole": "deterrence", "a": "x"}]), ["y"])
    >>> len(kept), len(skipped)
    (0, 1)
    """
    present = set(doc_ids)
    kept = [c for c in claims if c.docs <= present]
    return kept, [c for c in claims if not c.docs <= present]


def claim_margin(claim: Claim, positions: pd.Series) -> float:
    """How far ``claim`` holds on article ``positions`` (> 0: it holds; NaN: undefined).

    Articles with no position are left out of a ``most`` comparison.

    Examples
    --------
    >>> pos = pd.Series({"x": -1.0, "y": 0.5, "z": 0.2})
    >>> claims = parse_claims([{"kind": "more", "pole": "transactional", "a": "x", "b": "y"},
    ...                        {"kind": "most", "pole": "ideological", "a": "z"},
    ...                        {"kind": "leans", "pole": "ideological", "a": "y"}])
    >>> [round(claim_margin(c, pos), 2) for c in claims]
    [1.5, -0.3, 0.5]
    """
    x = positions.astype(float) * claim.sign
    if claim.a not in x.index:
        return float("nan")
    if claim.kind == "more":
        return float(x[claim.a] - x[claim.b]) if claim.b in x.index else float("nan")
    if claim.kind == "most":
        others = x.drop(index=claim.a).dropna()
        return float(x[claim.a] - others.max()) if len(others) else float("nan")
    return float(x[claim.a])


def _sd(x: np.ndarray) -> float:
    x = x[np.isfinite(x)]
    sd = float(x.std(ddof=1)) if len(x) > 1 else 0.0
    return sd if np.isfinite(sd) and sd > 0 else float("nan")


def article_positions(units: pd.DataFrame, contrast: str) -> pd.Series:
    """Evidence-weighted mean position of each article (NaN without evidence), sorted by ``doc_id``.

    Examples
    --------
    >>> u = pd.DataFrame({"doc_id": ["a", "a", "b"], "force": [1.0, -1.0, np.nan], "force_weight": [3.0, 1.0, 2.0]})
    >>> article_positions(u, "force").tolist()
    [0.5, nan]
    """
    x = units[contrast].to_numpy(dtype=float)
    w = units[f"{contrast}_weight"].to_numpy(dtype=float)
    ok = np.isfinite(x) & np.isfinite(w) & (w > 0)
    docs, row_doc = np.unique(units["doc_id"].to_numpy(dtype=str), return_inverse=True)
    wx = np.bincount(row_doc, weights=np.where(ok, w * x, 0.0), minlength=len(docs))
    total = np.bincount(row_doc, weights=np.where(ok, w, 0.0), minlength=len(docs))
    with np.errstate(invalid="ignore", divide="ignore"):
        position = np.where(total > 0, wx / total, np.nan)
    return pd.Series(position, index=pd.Index(docs, name="doc_id"), name=contrast)


def unit_scale(units: pd.DataFrame, contrast: str) -> float:
    """Standard deviation of the fitted units' positions (the unit of a margin)."""
    return _sd(units.loc[units["fit"], contrast].to_numpy(dtype=float))


def claim_outcome(claim: Claim, units: pd.DataFrame | None) -> dict:
    """``fitted``, ``holds`` and ``margin`` of ``claim`` on one specification's unit table.

    ``fitted`` is False when the specification gives no position on the claim's
    contrast; ``holds`` is then missing, as it is when the claim is undefined.

    Examples
    --------
    >>> u = pd.DataFrame({"doc_id": ["x", "x", "y"], "fit": True, "force": [1.0, 3.0, -1.0],
    ...                   "force_weight": [1.0, 1.0, 1.0]})
    >>> claim = parse_claims([{"kind": "more", "pole": "credibility", "a": "x", "b": "y"}])[0]
    >>> claim_outcome(claim, u)
    {'fitted': True, 'holds': True, 'margin': 1.5}
    """
    return claim_outcomes([claim], units)[0]


def claim_outcomes(claims: Sequence[Claim], units: pd.DataFrame | None) -> list[dict]:
    """:func:`claim_outcome` of each claim; positions and scale computed once per contrast.

    Examples
    --------
    >>> u = pd.DataFrame({"doc_id": ["x", "y"], "fit": True, "force": [1.0, -1.0], "force_weight": [1.0, 1.0]})
    >>> claim = parse_claims([{"kind": "leans", "pole": "credibility", "a": "x"}])[0]
    >>> claim_outcomes([claim], u), claim_outcomes([claim], None)[0]["fitted"]
    ([{'fitted': True, 'holds': True, 'margin': 0.7071067811865475}], False)
    """
    out, positions, scales = [], {}, {}
    for claim in claims:
        c = claim.contrast
        if units is None or not units[c].notna().any():
            out.append(dict(fitted=False, holds=None, margin=float("nan")))
            continue
        if c not in positions:
            positions[c], scales[c] = article_positions(units, c), unit_scale(units, c)
        raw = claim_margin(claim, positions[c])
        if not np.isfinite(raw):
            out.append(dict(fitted=True, holds=None, margin=float("nan")))
        else:
            out.append(dict(fitted=True, holds=bool(raw > 0), margin=raw / scales[c]))
    return out
