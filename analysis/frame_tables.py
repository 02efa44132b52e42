"""The study's tables from a fitted scorer: paragraphs, articles, measure tables, concordances.

Articles (:func:`doc_scores`)
    An article's position is the salience-weighted mean of its paragraphs' positions,
    its salience the plain mean; intervals come from bootstrapping paragraphs within the
    article and pairwise differences are tested by permutation with Benjamini–Hochberg
    control (:mod:`analysis.uncertainty`).
"""
from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import config
from .codebook import Codebook
from .frames import MEASURES, TOKENS, FrameScorer
from .lexicon import Lexicon
from .text import stem
from .uncertainty import group_intervals, pairwise_differences
from .words import word_spans


UNIT_KEYS = ("doc_id", "unit_id", "text")


def paragraphs_check(paragraphs: pd.DataFrame, empty_ok: bool = False) -> None:
    """A ValueError that says what to pass, unless ``paragraphs`` has ``doc_id, unit_id, text``
    and unique unit ids (and, unless ``empty_ok``, at least one row)."""
    if not isinstance(paragraphs, pd.DataFrame):
        raise ValueError("paragraphs must be a DataFrame with columns doc_id, unit_id, text")
    missing = [c for c in UNIT_KEYS if c not in paragraphs.columns]
    if missing:
        raise ValueError(f"paragraphs has no column {missing[0]!r} — pass a table with doc_id, unit_id and text "
                         "(e.g. load_corpus().paragraphs)")
    if paragraphs["unit_id"].duplicated().any():
        dup = paragraphs.loc[paragraphs["unit_id"].duplicated(), "unit_id"].iloc[0]
        raise ValueError(f"unit_id {dup!r} occurs twice — give every paragraph its own unit_id")
    if paragraphs.empty and not empty_ok:
        raise ValueError("paragraphs is empty — there is nothing to score")


def unit_scores(paragraphs: pd.DataFrame, scorer: FrameScorer) -> pd.DataFrame:
    """One row per paragraph: ``doc_id, unit_id, text``, the combined scores, then every component."""
    paragraphs_check(paragraphs)
    units = paragraphs[list(UNIT_KEYS)].reset_index(drop=True)
    return pd.concat([units, scorer.transform_frame(units["text"].tolist())], axis=1)


def unit_weights(units: pd.DataFrame, contrasts: Sequence[str]) -> pd.DataFrame:
    """Weights of each paragraph in article means: ``tokens`` and ``<c>_evidence``.

    ``tokens`` is the paragraph's word count; ``<c>_evidence = <c>_salience * tokens``
    is how much framing evidence on ``c`` it holds (for the dictionary, proportional to
    its number of seed matches).

    Examples
    --------
    >>> u = pd.DataFrame({"dict_tokens": [10, 1], "force_salience": [2.0, 0.0]})
    >>> unit_weights(u, ["force"]).to_dict("list")
    {'tokens': [10.0, 1.0], 'force_evidence': [20.0, 0.0]}
    """
    tokens = units[TOKENS].astype(float)
    out = {"tokens": tokens}
    out.update({f"{c}_evidence": units[f"{c}_salience"].astype(float) * tokens for c in contrasts})
    return pd.DataFrame(out, index=units.index)


def column_weights(columns: Sequence[str], contrasts: Sequence[str]) -> dict[str, str]:
    """``{column: weight column}``: positions on ``c`` by ``<c>_evidence``, everything else by ``tokens``.

    Examples
    --------
    >>> column_weights(["force_index", "dict_force", "dict_credibility", "z_lss_force"], ["force"])
    {'force_index': 'force_evidence', 'dict_force': 'force_evidence', 'dict_credibility': 'tokens', 'z_lss_force': 'force_evidence'}
    """
    positions = {f"{c}_index": c for c in contrasts}
    positions.update({f"{m}_{c}": c for c in contrasts for m in MEASURES})
    positions.update({f"z_{m}_{c}": c for c in contrasts for m in MEASURES})
    return {col: f"{positions[col]}_evidence" if col in positions else "tokens" for col in columns}


def doc_scores(units: pd.DataFrame, contrasts: Sequence[str], *, n_boot: int = config.N_BOOT,
               confidence: float = config.CONFIDENCE, seed: int = config.SEED) -> pd.DataFrame:
    """Article scores with paragraph-bootstrap percentile intervals.

    Columns: ``doc_id``, for each contrast ``<c>_index, <c>_low, <c>_high``, then
    ``<c>_salience`` (with ``_low``/``_high``), ``n_units``, then every measure column
    with its ``_low``/``_high``.

    An article is the sum of its paragraphs. Its *position* on a contrast (the combined
    index, each measure's index and its standardised form) is the mean of its
    paragraphs' positions weighted by their evidence on that contrast (salience times
    length), so that paragraphs silent on the contrast do not pull the article towards
    zero and a one-line heading does not outweigh a paragraph. Every other column
    (saliences, pole rates, similarities) is the length-weighted mean, which for the
    dictionary rates is the article's pooled rate.
    """
    skip = set(UNIT_KEYS) | {TOKENS, "lss_terms"}
    columns = [c for c in units.columns if c not in skip and not c.endswith("_se")]
    table = group_intervals(pd.concat([units, unit_weights(units, contrasts)], axis=1), columns, group="doc_id",
                            weights=column_weights(columns, contrasts), n_boot=n_boot, confidence=confidence,
                            seed=seed)
    renamed = {}
    for c in contrasts:
        renamed.update({f"{c}_index_low": f"{c}_low", f"{c}_index_high": f"{c}_high"})
    table = table.rename(columns=renamed)
    first = ["doc_id"] + [x for c in contrasts for x in (f"{c}_index", f"{c}_low", f"{c}_high")]
    first += [f"{c}_salience" for c in contrasts] + [x for c in contrasts
                                                     for x in (f"{c}_salience_low", f"{c}_salience_high")]
    first += ["n_units"]
    return table[first + [c for c in table.columns if c not in first]]


def score_corpus(paragraphs: pd.DataFrame, codebook=None, *, scorer: FrameScorer | None = None,
                 n_boot: int = config.N_BOOT, confidence: float = config.CONFIDENCE,
                 seed: int = config.SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score paragraphs and articles: the study's ``unit_scores`` and ``doc_scores`` tables.

    Parameters
    ----------
    paragraphs : DataFrame
        ``doc_id, unit_id, text``, one row per paragraph.
    codebook : Codebook, path or None
        Used when ``scorer`` is None to fit a :class:`analysis.frames.FrameScorer` on ``paragraphs``.
    scorer : FrameScorer, optional
        An already fitted scorer (e.g. fitted on the study corpus, to score new text).
    n_boot, confidence, seed
        Paragraph bootstrap within each article (:func:`analysis.uncertainty.group_intervals`).

    Returns
    -------
    unit_scores, doc_scores : DataFrame
    """
    paragraphs_check(paragraphs)
    if scorer is None:
        scorer = FrameScorer(codebook).fit(paragraphs["text"].tolist())
    units = unit_scores(paragraphs, scorer)
    docs = doc_scores(units, list(scorer.codebook_.contrasts), n_boot=n_boot, confidence=confidence, seed=seed)
    return units, docs


def doc_differences(units: pd.DataFrame, contrasts: Sequence[str], *, n_perm: int = config.N_PERM,
                    n_boot: int = config.N_BOOT, confidence: float = config.CONFIDENCE,
                    seed: int = config.SEED) -> pd.DataFrame:
    """Every pairwise article difference on each combined index, with interval, p and BH q.

    Positions are evidence-weighted as in :func:`doc_scores`; q-values control the false
    discovery rate across every row of the table (all contrasts together).
    """
    columns = [f"{c}_index" for c in contrasts]
    table = pd.concat([units, unit_weights(units, contrasts)], axis=1)
    return pairwise_differences(table, columns, group="doc_id", weights=column_weights(columns, contrasts),
                                n_perm=n_perm, n_boot=n_boot, confidence=confidence, seed=seed)


def measures_in(table: pd.DataFrame, contrast: str) -> list[str]:
    """The measures of :data:`MEASURES` whose scores on ``contrast`` are columns of ``table``.

    Examples
    --------
    >>> measures_in(pd.DataFrame(columns=["dict_force", "lss_force"]), "force")
    ['dict', 'lss']
    """
    return [m for m in MEASURES if f"{m}_{contrast}" in table.columns]


def measure_agreement(units: pd.DataFrame, contrast: str) -> tuple[pd.DataFrame, pd.Series]:
    """Do the measures agree on the side of a *framed* paragraph?

    A paragraph is framed on ``contrast`` when the dictionary finds at least one
    (non-negated) seed of either pole in it (``dict_<c>_salience > 0``). The side each
    measure gives is the sign of its index (the LSS score centred on the corpus mean,
    i.e. the sign of ``z_lss_<c>``).

    Returns
    -------
    table : DataFrame
        The framed paragraphs with each measure's sign and ``agree`` (all the same
        non-zero sign).
    summary : Series
        ``framed``, ``agree`` (count), ``share`` and the pairwise agreement shares.
    """
    framed = units[units[f"dict_{contrast}_salience"] > 0]
    measures = measures_in(units, contrast)
    signs = pd.DataFrame({m: np.sign(framed[f"z_{m}_{contrast}"]) for m in measures}, index=framed.index)
    agree = (signs.nunique(axis=1) == 1) & (signs["dict"] != 0) & signs.notna().all(axis=1)
    table = pd.concat([framed[["doc_id", "unit_id", "text"]], signs.add_prefix("sign_"),
                       agree.rename("agree")], axis=1)
    n = len(framed)
    summary = {"framed": n, "agree": int(agree.sum()), "share": agree.mean() if n else np.nan}
    for a, b in itertools.combinations(measures, 2):
        summary[f"{a}_{b}"] = (signs[a] == signs[b]).mean() if n else np.nan
    return table, pd.Series(summary, name=contrast)


def pole_classes(units: pd.DataFrame, codebook: Codebook, contrast: str) -> pd.Series:
    """Label each framed paragraph with the pole its combined index leans to ("" when unframed)."""
    c = codebook.contrasts[contrast]
    framed = units[f"dict_{contrast}_salience"] > 0
    side = np.where(units[f"{contrast}_index"] >= 0, c.positive.name, c.negative.name)
    return pd.Series(np.where(framed, side, ""), index=units.index, name=f"{contrast}_pole")


def measure_table(docs: pd.DataFrame, contrast: str, standardised: bool = False) -> pd.DataFrame:
    """Each measure's article position on ``contrast`` with its interval, one row per article.

    Columns ``doc_id`` and, per measure ``m``, ``m``, ``m_low``, ``m_high`` (the raw index,
    or its standardised form ``z_<m>_<c>`` when ``standardised``), then the combined index.

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a"], "force_index": [1.0], "force_low": [0.0], "force_high": [2.0],
    ...                   **{f"{m}_force{s}": [0.5] for m in MEASURES for s in ("", "_low", "_high")}})
    >>> measure_table(d, "force").columns.tolist()[:4]
    ['doc_id', 'dict', 'dict_low', 'dict_high']
    """
    out = {"doc_id": docs["doc_id"]}
    for m in measures_in(docs, contrast):
        col = f"z_{m}_{contrast}" if standardised else f"{m}_{contrast}"
        out.update({m: docs[col], f"{m}_low": docs[f"{col}_low"], f"{m}_high": docs[f"{col}_high"]})
    out.update({"combined": docs[f"{contrast}_index"], "combined_low": docs[f"{contrast}_low"],
                "combined_high": docs[f"{contrast}_high"]})
    return pd.DataFrame(out).reset_index(drop=True)


def seed_concordance(units: pd.DataFrame, codebook: Codebook, pole: str, width: int = 90) -> pd.DataFrame:
    """Keyword-in-context lines of a pole's seed terms (nltk's concordance, matched on stems).

    Each line says whether the dictionary counted the occurrence: ``counted``, ``negated``,
    ``off target`` (no target word near it, when the contrast has a target window),
    ``false friend`` (inside a masked phrase) or ``within a longer term``.

    Parameters
    ----------
    units : DataFrame with ``unit_id`` and ``text``
    codebook : Codebook
    pole : str
    width : int
        Characters per concordance line.

    Returns
    -------
    DataFrame
        ``unit_id, term, line, status``.
    """
    from nltk.text import ConcordanceIndex

    lexicon = Lexicon(codebook)
    terms = codebook.pole(pole).terms
    rows = []
    for unit_id, text in zip(units["unit_id"], units["text"]):
        spans, masked, matches = lexicon.analyse(text)
        words = [w for _, _, w in spans]
        if not words:
            continue
        index = ConcordanceIndex(words, key=stem)
        by_first = {m.first: m for m in matches}
        for term in terms:
            for line in index.find_concordance([w for _, _, w in word_spans(term)], width=width):
                hit = by_first.get(line.offset)
                if masked[line.offset]:
                    status = "false friend"
                elif hit is None or hit.term != term:
                    status = "within a longer term"
                else:
                    status = "negated" if hit.negated else "off target" if hit.off_target else "counted"
                rows.append(dict(unit_id=unit_id, term=term, line=line.line, status=status))
    return pd.DataFrame(rows, columns=["unit_id", "term", "line", "status"])


def top_units(units: pd.DataFrame, codebook: Codebook, n: int = 3) -> pd.DataFrame:
    """The ``n`` paragraphs scoring furthest towards each pole (combined index)."""
    rows = []
    for c in codebook.contrasts.values():
        for pole in c.poles:
            order = units.sort_values([f"{c.name}_index", "unit_id"], ascending=[pole.sign < 0, True]).head(n)
            rows.append(order.assign(pole=pole.name)[["pole", "unit_id", f"{c.name}_index",
                                                      f"{c.name}_salience", "text"]]
                        .rename(columns={f"{c.name}_index": "index", f"{c.name}_salience": "salience"}))
    return pd.concat(rows, ignore_index=True)
