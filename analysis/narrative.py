"""The readings of notebooks 02, 05 and 07: each helper returns the table a sentence cites
(paragraphs that only describe a table are :mod:`analysis.summaries`).

Every helper takes computed tables (article positions, pairwise differences, dictionary
matches, keyness) and the corpus' :class:`~analysis.readings.Readings`, and returns a small
DataFrame; a ``*_text`` function turns it into Markdown. Nothing here names an
article: a corpus with a ``readings.toml`` has its expectations checked, one without
gets the positions at each end of each contrast, computed.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from .claims import claim_label
from .display import signed_text
from .readings import Readings

#: Columns of :func:`expectations_check` (the table ``frames_expectations``).
EXPECTATION_COLUMNS = ["expectation", "met", "evidence"]
#: The single measures whose article rank :func:`expectation_failures` reports.
RANKED_MEASURES = {"dict": "dictionary", "tfidf": "prototypes", "lss": "LSS"}


def expectation_label(expectation: Mapping) -> str:
    """The sentence an expectation states: its ``label``, else the sentence of a claim with
    the same fields (:func:`analysis.claims.claim_label`: one wording for both).

    Examples
    --------
    >>> expectation_label({"kind": "more", "pole": "ideological", "a": "x", "b": "y"})
    'x leans further to ideological than y'
    >>> expectation_label({"kind": "leans", "pole": "deterrence", "a": "x", "label": "x deters"})
    'x deters'
    """
    if expectation.get("label"):
        return expectation["label"]
    return claim_label(expectation["kind"], expectation["pole"], expectation["a"], expectation.get("b"))


def short_names(a: str, b: str) -> tuple[str, str]:
    """Two doc_ids shortened to their first part when that still tells them apart.

    Examples
    --------
    >>> short_names("ledger-2019", "tribune-2021"), short_names("post-2023", "post-2024")
    (('ledger', 'tribune'), ('post-2023', 'post-2024'))
    """
    sa, sb = a.split("-")[0], b.split("-")[0]
    return (sa, sb) if sa and sb and sa != sb else (a, b)


def _estimate(value, low, high) -> str:
    """``value [low, high]``, signed; a nonzero bound never prints as zero (:func:`signed_text`)."""
    return f"{signed_text(value)} [{signed_text(low)}, {signed_text(high)}]"


def _interval(row: pd.Series, c: str) -> str:
    return _estimate(row[f"{c}_index"], row[f"{c}_low"], row[f"{c}_high"])


def _pair(differences: pd.DataFrame, c: str, a: str, b: str) -> str:
    """``a − b = d [low, high], q = …`` in the order the differences table holds the pair."""
    table = differences.set_index(["measure", "doc_a", "doc_b"])
    key = (f"{c}_index", a, b) if (f"{c}_index", a, b) in table.index else (f"{c}_index", b, a)
    if key not in table.index:
        return "no pairwise difference"
    r = table.loc[key]
    x, y = short_names(key[1], key[2])
    return f"{x} − {y} = {_estimate(r['diff'], r['diff_low'], r['diff_high'])}, q = {r['q_value']:.3f}"


def expectation_check(expectation: Mapping, docs: pd.DataFrame, differences: pd.DataFrame,
                      poles: Mapping[str, tuple[str, str]]) -> dict:
    """Whether one expectation is met by the combined index, and the evidence in one line.

    ``most``: the article lies furthest towards the pole (evidence: its interval and the
    next article when met, the article that does when not); ``leans``: its 95% interval
    lies wholly on the pole's side of zero; ``more``: it lies further towards the pole
    than ``b`` (evidence: the pairwise difference with its interval and BH q).
    """
    pole, a = expectation["pole"], expectation["a"]
    c, sign = _pole_of(pole, poles)
    by_doc = docs.set_index("doc_id")
    index = by_doc[f"{c}_index"].dropna()
    row = by_doc.loc[a]
    kind = expectation["kind"]
    others = [a] + ([expectation["b"]] if kind == "more" else [])
    if by_doc.loc[others, f"{c}_index"].isna().any():
        return {"expectation": expectation_label(expectation), "met": False,
                "evidence": f"{' and '.join(d for d in others if pd.isna(by_doc.loc[d, f'{c}_index']))} "
                            f"has no position on {c}"}
    if kind == "most":
        leader = (index * sign).idxmax()
        met = leader == a
        others = index.drop(index=a)
        runner = others.loc[(others * sign).idxmax()] if len(others) else float("nan")
        evidence = (f"{_interval(row, c)}; next: {signed_text(runner)}" if met else
                    f"most {pole}: {leader} ({signed_text(index[leader])}); {a} {signed_text(row[f'{c}_index'])}")
    elif kind == "leans":
        met = bool(row[f"{c}_high"] < 0) if sign < 0 else bool(row[f"{c}_low"] > 0)
        evidence = _interval(row, c)
    else:
        b = expectation["b"]
        met = bool((row[f"{c}_index"] - by_doc.loc[b, f"{c}_index"]) * sign > 0)
        evidence = _pair(differences, c, a, b)
    return {"expectation": expectation_label(expectation), "met": bool(met), "evidence": evidence}


def expectations_check(expectations: Sequence[Mapping], docs: pd.DataFrame, differences: pd.DataFrame,
                       poles: Mapping[str, tuple[str, str]]) -> pd.DataFrame:
    """Every expectation of ``readings.toml``, checked (:func:`expectation_check`); empty without any.

    Parameters
    ----------
    expectations : sequence of mapping
        ``kind``, ``pole``, ``a`` (``b`` for ``more``), optional ``label``.
    docs : DataFrame
        Article positions: ``doc_id`` and ``<contrast>_index``, ``_low``, ``_high``.
    differences : DataFrame
        Pairwise differences (:func:`analysis.frame_tables.doc_differences`).
    poles : mapping
        ``{contrast: (negative pole, positive pole)}``.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["x", "y"], "force_index": [-0.5, 0.2], "force_low": [-0.9, -0.1],
    ...                      "force_high": [-0.1, 0.6]})
    >>> checks = expectations_check([{"kind": "leans", "pole": "deterrence", "a": "x"}], docs, pd.DataFrame(
    ...     columns=["measure", "doc_a", "doc_b"]), {"force": ("deterrence", "credibility")})
    >>> [str(v) for v in checks.iloc[0]]
    ['x leans to deterrence', 'True', '-0.50 [-0.90, -0.10]']
    """
    rows = [expectation_check(e, docs, differences, poles) for e in expectations]
    return pd.DataFrame(rows, columns=EXPECTATION_COLUMNS)


def _pole_of(pole: str, poles: Mapping[str, tuple[str, str]]) -> tuple[str, int]:
    c = next(name for name, ends in poles.items() if pole in ends)
    return c, 1 if poles[c][1] == pole else -1


def _rank(values: pd.Series, doc: str, sign: int) -> int:
    """Rank of ``doc`` towards the pole of ``sign`` (1 = furthest)."""
    return int((values.dropna() * sign).rank(ascending=False, method="min")[doc])


def expectation_failures(expectations: Sequence[Mapping], checks: pd.DataFrame, docs: pd.DataFrame,
                         matches: pd.DataFrame, poles: Mapping[str, tuple[str, str]]) -> pd.DataFrame:
    """What lies behind each article of a failed expectation: one row per article and contrast.

    The article's counted and negated dictionary seeds of each pole (``matches``: a
    dictionary match table with ``doc_id``), its rank towards the expected pole by each
    single measure and by the combined index, the rank of its interval's width (1 =
    widest), and the article that lies furthest towards the pole, with both saliences.
    An article without a position on the contrast has no row.
    """
    failed = [e for e, met in zip(expectations, checks["met"]) if not met]
    rows, seen = [], set()
    for e in failed:
        c, sign = _pole_of(e["pole"], poles)
        a = e["a"]
        by_doc = docs.set_index("doc_id")
        if (a, c) in seen or pd.isna(by_doc.loc[a, f"{c}_index"]):  # no position: nothing to explain
            continue
        seen.add((a, c))
        mine = matches[(matches["doc_id"] == a) & (matches["contrast"] == c)]
        leader = (by_doc[f"{c}_index"].dropna() * sign).idxmax()
        width = (by_doc[f"{c}_high"] - by_doc[f"{c}_low"]).dropna()
        row = {"doc_id": a, "contrast": c, "pole": e["pole"],
               "expectations": "; ".join(expectation_label(x) for x in failed if x["a"] == a
                                         and _pole_of(x["pole"], poles)[0] == c)}
        for p in poles[c]:
            row[f"counted_{p}"] = int(((mine["pole"] == p) & ~mine["negated"].astype(bool)).sum())
            row[f"negated_{p}"] = int(((mine["pole"] == p) & mine["negated"].astype(bool)).sum())
        for m in RANKED_MEASURES:
            if f"z_{m}_{c}" in by_doc.columns:
                row[f"rank_{m}"] = _rank(by_doc[f"z_{m}_{c}"], a, sign)
        row.update(rank_index=_rank(by_doc[f"{c}_index"], a, sign), n_docs=int(by_doc[f"{c}_index"].notna().sum()),
                   width_rank=int(width.rank(ascending=False, method="min")[a]),
                   low=by_doc.loc[a, f"{c}_low"], high=by_doc.loc[a, f"{c}_high"],
                   salience=by_doc.loc[a, f"{c}_salience"], leader=leader,
                   leader_salience=by_doc.loc[leader, f"{c}_salience"])
        rows.append(row)
    return pd.DataFrame(rows)


def expectations_text(checks: pd.DataFrame, failures: pd.DataFrame, expectations: Sequence[Mapping],
                      poles: Mapping[str, tuple[str, str]]) -> str:
    """How many expectations are met, and for each article of a failed one what lies behind it.

    Examples
    --------
    >>> expectations_text(pd.DataFrame({"met": [True]}), pd.DataFrame(), [{}], {})
    '1 of the 1 expectations are met.'
    """
    parts = [f"{int(checks['met'].sum())} of the {len(checks)} expectations are met."]
    notes = {(e["a"], _pole_of(e["pole"], poles)[0]): e.get("note", "") for e in expectations
             if e.get("note") and not checks["met"].iloc[list(expectations).index(e)]}
    for r in failures.to_dict("records"):
        neg, pos = poles[r["contrast"]]
        ranks = ", ".join(f"{r[f'rank_{m}']} of {r['n_docs']} by the {label}" for m, label in RANKED_MEASURES.items()
                          if f"rank_{m}" in r and r[f"rank_{m}"] == r[f"rank_{m}"])
        negated = [f"{r[f'negated_{p}']} negated {p}" for p in (pos, neg) if r[f"negated_{p}"]]
        width = "the widest of any article" if r["width_rank"] == 1 else f"the {_ordinal(r['width_rank'])} widest"
        parts.append(
            f"**{r['doc_id']}** ({r['expectations']}): the dictionary counts {r[f'counted_{pos}']} {pos} and "
            f"{r[f'counted_{neg}']} {neg} seed terms in it"
            + (f" and drops {' and '.join(negated)} ones" if negated else "")
            + f". Towards {r['pole']} it ranks {ranks}, and {r['rank_index']} of {r['n_docs']} on the combined index; "
            f"its interval, [{signed_text(r['low'])}, {signed_text(r['high'])}], is {width}. "
            f"The article furthest to {r['pole']}, "
            f"{r['leader']}, has {r['contrast']} salience {r['leader_salience']:.2f}, against {r['salience']:.2f} "
            f"for {r['doc_id']}."
            + (" " + notes[(r["doc_id"], r["contrast"])] if notes.get((r["doc_id"], r["contrast"])) else ""))
    return "\n\n".join(parts)


def _ordinal(n: int) -> str:
    """``2`` → ``2nd``.

    Examples
    --------
    >>> [_ordinal(n) for n in (1, 2, 3, 4, 11, 12, 22)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '22nd']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def contrast_ends(docs: pd.DataFrame, differences: pd.DataFrame,
                  poles: Mapping[str, tuple[str, str]]) -> pd.DataFrame:
    """The article at each end of each contrast, and how far it stands apart; any corpus.

    One row per contrast and pole: the article furthest towards the pole, its index and
    95% interval, whether the interval excludes zero on the pole's side (``clear``), how
    many other articles' intervals lie wholly on the other side of it (``apart`` of
    ``others``); per contrast, the two ends' difference and its BH q, and the article with
    the widest interval.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["x", "y", "z"], "force_index": [-1.0, 0.1, 0.6],
    ...                      "force_low": [-1.4, -0.2, -0.1], "force_high": [-0.6, 0.4, 1.2]})
    >>> diffs = pd.DataFrame({"measure": ["force_index"], "doc_a": ["x"], "doc_b": ["z"], "diff": [-1.6],
    ...                       "diff_low": [-2.0], "diff_high": [-1.0], "q_value": [0.01]})
    >>> ends = contrast_ends(docs, diffs, {"force": ("deterrence", "credibility")})
    >>> ends[["pole", "doc_id", "clear", "apart", "others", "widest"]].values.tolist()
    [['deterrence', 'x', True, 2, 2, 'z'], ['credibility', 'z', False, 1, 2, 'z']]
    """
    rows = []
    by_doc = docs.set_index("doc_id")
    for c, (neg, pos) in poles.items():
        if f"{c}_index" not in by_doc.columns or by_doc[f"{c}_index"].isna().all():
            continue
        part = by_doc[by_doc[f"{c}_index"].notna()]
        ends = {neg: part[f"{c}_index"].idxmin(), pos: part[f"{c}_index"].idxmax()}
        width = part[f"{c}_high"] - part[f"{c}_low"]
        widest = width.idxmax()
        pair = differences[(differences["measure"] == f"{c}_index")
                           & differences["doc_a"].isin(ends.values()) & differences["doc_b"].isin(ends.values())]
        for pole, sign in ((neg, -1), (pos, 1)):
            d = ends[pole]
            r = part.loc[d]
            others = part.drop(index=d)
            apart = (others[f"{c}_low"] > r[f"{c}_high"]) if sign < 0 else (others[f"{c}_high"] < r[f"{c}_low"])
            rows.append({"contrast": c, "pole": pole, "doc_id": d, "index": r[f"{c}_index"], "low": r[f"{c}_low"],
                         "high": r[f"{c}_high"],
                         "clear": bool(r[f"{c}_high"] < 0) if sign < 0 else bool(r[f"{c}_low"] > 0),
                         "apart": int(apart.sum()), "others": len(others),
                         "ends_diff": pair["diff"].iloc[0] if len(pair) else np.nan,
                         "ends_q": pair["q_value"].iloc[0] if len(pair) else np.nan,
                         "widest": widest, "widest_low": part.loc[widest, f"{c}_low"],
                         "widest_high": part.loc[widest, f"{c}_high"]})
    return pd.DataFrame(rows)


def findings_text(ends: pd.DataFrame, docs: pd.DataFrame, differences: pd.DataFrame, failures: pd.DataFrame,
                  readings: Readings, alpha: float) -> str:
    """The findings of the framing map, numbered: each contrast's ends, the evidence, failed expectations.

    The researcher's words on an article's framing (``[[article]] framing``) follow its
    position; every number is read from the tables passed in.
    """
    items = []
    by_doc = docs.set_index("doc_id")
    for c, part in ends.groupby("contrast", sort=False):
        neg, pos = part.iloc[0], part.iloc[1]
        text = (f"**{c}.** The {neg.pole} end is {neg.doc_id} ({_estimate(neg['index'], neg.low, neg.high)}), "
                f"the {pos.pole} end {pos.doc_id} ({_estimate(pos['index'], pos.low, pos.high)}). ")
        if neg.ends_q == neg.ends_q:
            text += (f"Their difference has q = {neg.ends_q:.3f} after Benjamini–Hochberg control, "
                     + ("below" if neg.ends_q < alpha else "not below") + f" {alpha:.2f}. ")
        text += (f"For {neg.apart} of the other {neg.others} articles the interval lies wholly on the {pos.pole} "
                 f"side of {neg.doc_id}'s, for {pos.apart} wholly on the {neg.pole} side of {pos.doc_id}'s. "
                 f"The widest interval is {neg.widest}'s "
                 f"([{signed_text(neg.widest_low)}, {signed_text(neg.widest_high)}]): a "
                 "position carried by a few paragraphs is uncertain however strong they are.")
        quoted = [(d, note.framing[c]) for d, note in sorted(readings.articles.items()) if c in note.framing]
        for d, words in quoted:
            r = by_doc.loc[d]
            text += f" {d} ({_interval(r, c)}): {words}"
        items.append(text)
    n_sig = int((differences["q_value"] < alpha).sum())
    items.append(f"**Evidence.** {n_sig} of {len(differences)} pairwise article differences have q < {alpha:.2f}. "
                 f"With {_span(by_doc['n_units'])} paragraphs per article and most "
                 "paragraphs silent on a given contrast, "
                 + ("the map shows leanings, not verdicts." if n_sig == 0 else
                    "only those differences are more than leanings."))
    for r in failures.to_dict("records"):
        items.append(f"**{r['doc_id']} against its expectation** ({r['expectations']}): it ranks {r['rank_index']} "
                     f"of {r['n_docs']} towards {r['pole']} on the combined index (section 4 shows why).")
    return "\n\n".join(f"{i}. {t}" for i, t in enumerate(items, 1))


def _span(values: pd.Series) -> str:
    """``3 to 9``, or ``6`` when every value is the same.

    Examples
    --------
    >>> _span(pd.Series([9, 3])), _span(pd.Series([6, 6]))
    ('3 to 9', '6')
    """
    low, high = values.min(), values.max()
    return f"{low}" if low == high else f"{low} to {high}"


def dictionary_matches(scorer, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Every dictionary match of the fitted ``scorer`` in ``paragraphs``, with the paragraph's ``doc_id``."""
    matches = scorer.dictionary_.match_table(paragraphs["text"], paragraphs["unit_id"])
    return matches.merge(paragraphs[["unit_id", "doc_id"]], on="unit_id", how="left")


def claims_default(readings: Readings, docs: pd.DataFrame | None, poles: Mapping[str, tuple[str, str]]) -> list[dict]:
    """The claims notebook 07 tests: those of ``readings.toml``, else one per pole, computed.

    Without a readings file, the claim for each pole is that the article the combined
    index puts furthest towards it is the most ``pole`` of all: the robustness of the
    map's own ends.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["x", "y"], "force_index": [-0.4, 0.3]})
    >>> claims_default(Readings(), docs, {"force": ("deterrence", "credibility")})
    [{'kind': 'most', 'pole': 'deterrence', 'a': 'x'}, {'kind': 'most', 'pole': 'credibility', 'a': 'y'}]
    """
    if readings.claims:
        return [dict(c) for c in readings.claims]
    out = []
    for c, (neg, pos) in poles.items():
        index = docs.set_index("doc_id")[f"{c}_index"].dropna() if f"{c}_index" in docs else pd.Series(dtype=float)
        if len(index) > 1:
            out += [{"kind": "most", "pole": neg, "a": index.idxmin()}, {"kind": "most", "pole": pos,
                                                                        "a": index.idxmax()}]
    return out


# -- notebook 02: vocabulary ---------------------------------------------------------------


def term_choices(keyness: pd.DataFrame, readings: Readings, poles: Mapping[str, tuple[str, str]]) -> pd.DataFrame:
    """The words notebook 02 reads against the rest: ``readings.toml``'s, else each pole's name.

    Without a readings file, each pole's name (positive pole first) is read in the
    article that uses it most (then by log ratio); a name no article uses is left out.

    Examples
    --------
    >>> k = pd.DataFrame({"group": ["x", "y"], "reference": "rest", "term": ["credibility"] * 2,
    ...                   "count_target": [1, 3], "log_ratio": [0.2, 1.5]})
    >>> term_choices(k, Readings(), {"force": ("deterrence", "credibility")}).values.tolist()
    [['y', 'rest', 'credibility', '']]
    """
    if readings.terms:
        rows = [(t.doc, "rest", t.term, t.note) for t in readings.terms]
    else:
        rest = keyness[(keyness["reference"] == "rest") & (keyness["count_target"] > 0)]
        rows = []
        for neg, pos in poles.values():
            part = rest[rest["term"] == pos].sort_values(["count_target", "log_ratio", "group"],
                                                         ascending=[False, False, True])
            rows += [(part["group"].iloc[0], "rest", pos, "")] if len(part) else []
            part = rest[rest["term"] == neg].sort_values(["count_target", "log_ratio", "group"],
                                                         ascending=[False, False, True])
            rows += [(part["group"].iloc[0], "rest", neg, "")] if len(part) else []
    return pd.DataFrame(rows, columns=["group", "reference", "term", "note"])


def times(n: int) -> str:
    """``n`` times, in words for one.

    Examples
    --------
    >>> times(1), times(3)
    ('once', '3 times')
    """
    return "once" if n == 1 else f"{n} times"


def exact_p(n_target: int, n_all: int, k: int) -> float:
    """Permutation p when a term's ``k`` paragraphs all lie in the target and nowhere else.

    Reassigning whole paragraphs, the chance that all ``k`` fall among the target's
    ``n_target`` of ``n_all`` paragraphs is C(n_target, k) / C(n_all, k).

    Examples
    --------
    >>> round(exact_p(12, 100, 2), 4)  # 12·11 / (100·99)
    0.0133
    """
    return float(np.prod([(n_target - i) / (n_all - i) for i in range(k)]))


def term_text(row: Mapping, n_par: pd.Series, paragraphs_with: int, n_perm: int) -> str:
    """One word's keyness in one article, in a paragraph; ``row`` is its keyness row (and ``note``).

    ``paragraphs_with`` is the number of the article's paragraphs that hold the word;
    when no other article uses it, the exact permutation p is given beside the sampled one.
    """
    doc, p = row["group"], row["p_perm"]
    key = row["log_ratio"] > 0 and row["fw_z"] > 0 and p < 0.05
    text = (f"**{row['term']}** occurs {times(row['count_target'])} in {doc} and {times(row['count_reference'])} in "
            f"the other articles together: a log ratio of {row['log_ratio']:.2f} (about {2 ** row['log_ratio']:.1f} "
            f"times as frequent), G² = {row['g2']:.2f}, χ² = {row['chi2']:.2f}"
            + (" (both below the conventional 3.84)" if max(row["g2"], row["chi2"]) < 3.84 else "")
            + f", Fightin' Words z = {row['fw_z']:.2f}; paragraph permutation p = {p:.3f} (Monte Carlo standard "
            f"error {(p * (1 - p) / n_perm) ** 0.5:.3f}), so it is " + ("key" if key else "not key")
            + f" by the study's rule; after correction for the terms tested, q = {row['q_bh']:.2f}.")
    if row["count_reference"] == 0 and 0 < paragraphs_with <= 4:
        n, total = int(n_par[doc]), int(n_par.sum())
        factors = range(paragraphs_with)
        text += (f" Its occurrences sit in {paragraphs_with} paragraphs of {doc} and nowhere else, so the exact "
                 f"permutation p is the chance that all of them fall on {doc}'s side: "
                 f"{'·'.join(str(n - i) for i in factors)} / ({'·'.join(str(total - i) for i in factors)}) = "
                 f"{exact_p(n, total, paragraphs_with):.3f}.")
    return text + (" " + row["note"] if row.get("note") else "")


def phrase_table(units: pd.DataFrame, phrases: Sequence[str], collocated: pd.DataFrame, kwic) -> pd.DataFrame:
    """Each phrase of the readings: its occurrences, the articles that use it, its G² as a collocation.

    ``kwic`` is :func:`analysis.collocations.kwic`; ``collocated`` the bigram and trigram
    tables together (``ngram``, ``count``, ``likelihood_ratio``).
    """
    rows = []
    for phrase in phrases:
        hits = kwic(units, phrase)
        listed = collocated[collocated["ngram"] == phrase]
        rows.append({"phrase": phrase, "count": int(listed["count"].iloc[0]) if len(listed) else len(hits),
                     "g2": listed["likelihood_ratio"].iloc[0] if len(listed) else np.nan,
                     "docs": ", ".join(sorted(hits["doc_id"].unique())) if len(hits) else ""})
    return pd.DataFrame(rows, columns=["phrase", "count", "g2", "docs"])


def collocations_text(bigrams: pd.DataFrame, trigrams: pd.DataFrame, phrases: pd.DataFrame, note: str = "") -> str:
    """The strongest collocations, then each followed phrase (:func:`phrase_table`), then the note.

    Examples
    --------
    >>> b = pd.DataFrame({"ngram": ["prime minister", "red sea"]})
    >>> t = pd.DataFrame({"ngram": ["axis of resistance"]})
    >>> p = pd.DataFrame({"phrase": ["axis of resistance"], "count": [5], "g2": [40.04], "docs": ["a, b"]})
    >>> collocations_text(b, t, p)
    'The strongest collocations: *prime minister*, *red sea*, *axis of resistance*. *axis of resistance*: 5 \
times, G² = 40.0, in a, b.'
    """
    strongest = list(bigrams["ngram"].head(2)) + list(trigrams["ngram"].head(1))
    text = ("The strongest collocations: " + ", ".join(f"*{g}*" for g in strongest) + "." if strongest else
            "No bigram or trigram occurs often enough to be a collocation here.")
    for r in phrases.itertuples():
        text += (f" *{r.phrase}*: {times(r.count)}" + (f", G² = {r.g2:.1f}" if r.g2 == r.g2 else "")
                 + (f", in {r.docs}." if r.docs else ", in no article."))
    return text + (" " + note if note else "")


def concordance_queries(readings: Readings, poles: Mapping[str, tuple[str, str]]) -> list[str]:
    """The concordance queries: each pole's name (positive first), then the readings' phrases.

    Examples
    --------
    >>> concordance_queries(Readings(phrases=("axis of resistance",)), {"force": ("deterrence", "credibility")})
    ['credibility', 'deterrence', 'axis of resistance']
    """
    return [p for neg, pos in poles.values() for p in (pos, neg)] + list(readings.phrases)


def concordance_text(concordance: pd.DataFrame, queries: Sequence[str], word_counts: Mapping[str, int],
                     note: str = "") -> str:
    """Occurrences of each query and the articles they are in; counts of the other words; the note.

    Examples
    --------
    >>> kw = pd.DataFrame({"query": ["deal", "deal"], "doc_id": ["b", "a"]})
    >>> concordance_text(kw, ["deal", "pact"], {"truce": 2})
    'Occurrences: *deal* 2, *pact* 0. *deal* in a 1, b 1. Other words: *truce* 2.'
    """
    hits = concordance.groupby("query").size().reindex(queries, fill_value=0)
    text = "Occurrences: " + ", ".join(f"*{q}* {n}" for q, n in hits.items()) + "."
    for q in queries:
        per_doc = concordance[concordance["query"] == q].groupby("doc_id").size()
        if len(per_doc):
            text += f" *{q}* in " + ", ".join(f"{d} {n}" for d, n in per_doc.items()) + "."
    if word_counts:
        text += " Other words: " + ", ".join(f"*{w}* {n}" for w, n in word_counts.items()) + "."
    return text + (" " + note if note else "")


def article_profiles(keyness: pd.DataFrame, n_par: pd.Series, readings: Readings, n_terms: int = 3) -> pd.DataFrame:
    """Per article: paragraphs, key terms, the terms a reading cites with their counts, the note.

    The cited terms are those of ``[[article]] terms`` when the readings give them, else
    the article's ``n_terms`` strongest key terms (by Fightin' Words z).
    """
    rest = keyness[keyness["reference"] == "rest"]
    key = rest[(rest["log_ratio"] > 0) & (rest["fw_z"] > 0) & (rest["p_perm"] < 0.05)]
    rows = []
    for doc in sorted(n_par.index):
        note = readings.articles.get(doc)
        mine = rest[rest["group"] == doc].set_index("term")
        terms = list(note.terms) if note and note.terms else \
            list(key[key["group"] == doc].sort_values("fw_z", ascending=False)["term"].head(n_terms))
        cited = ", ".join(f"*{t}* ({mine.loc[t, 'count_target']} vs {mine.loc[t, 'count_reference']})"
                          for t in terms if t in mine.index)
        rows.append({"doc_id": doc, "paragraphs": int(n_par[doc]), "key_terms": int((key["group"] == doc).sum()),
                     "cited": cited, "note": note.vocabulary if note else ""})
    return pd.DataFrame(rows, columns=["doc_id", "paragraphs", "key_terms", "cited", "note"])


def profiles_text(profiles: pd.DataFrame) -> str:
    """One paragraph per article (:func:`article_profiles`); the article with fewest paragraphs and key terms is named.

    Examples
    --------
    >>> p = pd.DataFrame({"doc_id": ["a", "b"], "paragraphs": [3, 9], "key_terms": [1, 4],
    ...                   "cited": ["*x* (2 vs 0)", ""], "note": ["is about x", ""]})
    >>> print(profiles_text(p))
    **a** is about x: *x* (2 vs 0). It has 3 paragraphs and 1 key terms, the fewest of the 2 on both counts.
    <BLANKLINE>
    **b**: no key term. It has 9 paragraphs and 4 key terms.
    <BLANKLINE>
    (Counts in brackets: in the article vs in all the others.)
    """
    fewest = profiles[(profiles["paragraphs"] == profiles["paragraphs"].min())
                      & (profiles["key_terms"] == profiles["key_terms"].min())]["doc_id"]
    lines = []
    for r in profiles.itertuples():
        head = f"**{r.doc_id}**" + (f" {r.note}" if r.note else "")
        # the reader's note introduces the cited terms; without one, say what they are
        body = r.cited or "no key term" if r.note or not r.cited else "its strongest key terms are " + r.cited
        lines.append(f"{head}: {body}. It has {r.paragraphs} paragraphs and {r.key_terms} key terms"
                     + (f", the fewest of the {len(profiles)} on both counts." if len(fewest) == 1
                        and r.doc_id == fewest.iloc[0] else "."))
    return "\n\n".join(lines) + "\n\n(Counts in brackets: in the article vs in all the others.)"


def grouping_terms(keyness: pd.DataFrame, target: str, reference: str, n: int = 5) -> pd.DataFrame:
    """The ``n`` terms most over-used on each side of a grouping contrast (by Fightin' Words z).

    Examples
    --------
    >>> k = pd.DataFrame({"group": "g", "reference": "h", "term": ["a", "b", "c"], "fw_z": [2.0, -3.0, 0.5],
    ...                   "count_target": [5, 0, 2], "count_reference": [1, 6, 1]})
    >>> grouping_terms(k, "g", "h", n=1)[["side", "term"]].values.tolist()
    [['g', 'a'], ['h', 'b']]
    """
    part = keyness[(keyness["group"] == target) & (keyness["reference"] == reference)]
    top = part.sort_values(["fw_z", "term"], ascending=[False, True]).head(n).assign(side=target)
    bottom = part.sort_values(["fw_z", "term"], ascending=[True, True]).head(n).assign(side=reference)
    return pd.concat([top, bottom], ignore_index=True)[["side", "term", "count_target", "count_reference", "fw_z"]]


def grouping_text(terms: pd.DataFrame, target: str, reference: str, key_after_bh: Mapping[str, int],
                  note: str = "") -> str:
    """The terms that mark each side of a grouping, with counts (target vs reference), and BH survivors."""
    sides = [f"by {side}: " + ", ".join(f"*{r.term}* ({r.count_target} vs {r.count_reference})"
                                        for r in part.itertuples())
             for side, part in terms.groupby("side", sort=False)]
    n_bh = int(key_after_bh.get(target, 0))
    only = n_bh > 0 and all(v == 0 for k, v in key_after_bh.items() if k != target)
    return (f"**{target} against {reference}** — terms over-used " + "; ".join(sides)
            + f" (counts: {target} vs {reference}). {n_bh} terms over-used by {target} stay key after "
            "Benjamini–Hochberg correction" + (", the only contrast with any such term." if only else ".")
            + (" " + note if note else ""))
