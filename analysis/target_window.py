"""What counting a contrast's seeds only near a target word changes (:func:`target_window_effect`)."""
from __future__ import annotations

import pandas as pd

from .codebook import Codebook
from .validation import hand_positions, validation_table


def target_window_effect(paragraphs: pd.DataFrame, units: pd.DataFrame, codes: pd.DataFrame, codebook: Codebook,
                         contrast: str, window: int, scorer=None,
                         fit=None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """What counting ``contrast``'s seeds only within ``window`` words of a target changes.

    The study's scorer is refitted on ``paragraphs`` with the codebook's target window
    for ``contrast`` set to ``window`` (:func:`analysis.codebook.with_target_window`) and
    compared with ``units``, the study's unit scores (window as in ``codebook``).

    Parameters
    ----------
    paragraphs : DataFrame
        ``doc_id, unit_id, text``.
    units : DataFrame
        :func:`analysis.frame_tables.unit_scores` of ``paragraphs`` with ``codebook``.
    codes : DataFrame
        ``unit_id`` and the hand codes (e.g. the reconciled ones).
    codebook : Codebook
    contrast : str
    window : int
    scorer : FrameScorer, optional
        The study's scorer, whose settings (exemplars included) and, when fitted, index
        measures the refit keeps; default: a :class:`~analysis.frames.FrameScorer`
        without exemplars.
    fit : callable ``(scorer, texts) -> fitted scorer``, optional
        How the refit is fitted; default ``scorer.fit(texts)``. The notebooks pass
        :func:`analysis.disk_cache.scorer_fitted`, which keeps it for the next run.

    Returns
    -------
    positions : DataFrame
        Per article: ``contrast, doc_id, hand_index`` (:func:`analysis.validation.hand_positions`),
        ``measured_index`` (the combined index of ``units``) and ``window_index,
        window_low, window_high`` (with the window, and its bootstrap interval).
    seeds : DataFrame
        Per article and pole: ``contrast, doc_id, pole, seeds`` (matches not negated) and
        ``kept`` (of those, the ones near a target).
    auc : DataFrame
        Per measure (those of ``units``, and the combined index): ``contrast, measure``,
        ``auc_all`` and ``auc_window``, the polarity AUC against the hand codes.
    """
    from sklearn.base import clone

    from .codebook import with_target_window
    from .frame_tables import UNIT_KEYS, doc_scores, measures_in, unit_scores
    from .frames import TOKENS, FrameScorer
    from .measures.dictionary import DictionaryScorer

    variant = with_target_window(codebook, contrast, window)
    texts = paragraphs["text"].tolist()
    # the index keeps the study's measures: what changes is the window, not the rule that chose them
    chosen = getattr(scorer, "index_measures_", None)
    refit = clone(scorer).set_params(codebook=variant, **({"index_measures": chosen} if chosen else {})) \
        if scorer is not None else FrameScorer(variant)
    windowed = unit_scores(paragraphs, fit(refit, texts) if fit is not None else refit.fit(texts))
    measures = (*measures_in(units, contrast), "combined")
    aucs = []
    for name, table, cb in (("auc_all", units, codebook), ("auc_window", windowed, variant)):
        v = validation_table(table, codes, cb, measures)
        v = v[(v["contrast"] == contrast) & (v["task"] == "polarity")].drop_duplicates("measure")
        aucs.append(v.set_index("measure")["auc"].rename(name))
    auc = pd.concat(aucs, axis=1).rename_axis("measure").reset_index()
    auc.insert(0, "contrast", contrast)

    needed = [*UNIT_KEYS, TOKENS, f"{contrast}_index", f"{contrast}_salience"]
    study = doc_scores(units[needed], [contrast])[["doc_id", f"{contrast}_index"]]
    window_docs = doc_scores(windowed[needed], [contrast])
    doc_of = paragraphs.set_index("unit_id")["doc_id"]
    positions = (hand_positions(codes, doc_of.loc[codes["unit_id"]].to_numpy(), codebook, contrast)
                 [["contrast", "doc_id", "hand_index"]]
                 .merge(study.rename(columns={f"{contrast}_index": "measured_index"}), on="doc_id")
                 .merge(window_docs[["doc_id", f"{contrast}_index", f"{contrast}_low", f"{contrast}_high"]].rename(
                     columns={f"{contrast}_index": "window_index", f"{contrast}_low": "window_low",
                              f"{contrast}_high": "window_high"}), on="doc_id"))

    found = DictionaryScorer(variant).fit().match_table(texts, paragraphs["unit_id"].tolist())
    found = found[(found["contrast"] == contrast) & ~found["negated"]].assign(
        doc_id=lambda t: t["unit_id"].map(doc_of))
    seeds = (found.groupby(["doc_id", "pole"])["off_target"]
             .agg(seeds="size", kept=lambda x: int((~x).sum())).reset_index())
    seeds.insert(0, "contrast", contrast)
    return positions, seeds, auc
