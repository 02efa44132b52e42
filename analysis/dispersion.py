"""Where in each article the frame cues and the stance cues fall (a lexical dispersion table).

Every seed term of the codebook that the dictionary finds (:class:`analysis.lexicon.Lexicon`,
negated and off-target matches included and flagged) and every stance cue that opens a
scope (:mod:`analysis.stance`: negation, rejection, attribution) becomes one row, placed
by its word offset in the article: the words of the paragraphs before it, in reading
order, plus its word position in its own paragraph, counted as
:func:`analysis.codebook.word_spans` counts words. Its relative position is that offset
divided by the article's number of words, so 0 is the first word and every position
lies in [0, 1). The figure drawn from it (:func:`analysis.plots.dispersion.plot_dispersion`)
is quanteda's ``textplot_xray`` for the codebook and the stance cues.
"""
from __future__ import annotations

from bisect import bisect_left
from pathlib import Path

import pandas as pd

from .codebook import Codebook, as_codebook
from .frame_tables import paragraphs_check
from .lexicon import lexicon_of
from .stance import cue_matches
from .text import normalize_apostrophes
from .words import word_spans

#: The stance scopes by their tag in ``stance.toml``.
STANCE_NAMES = {"neg": "negation", "rej": "rejection", "att": "attribution"}
COLUMNS = ["doc_id", "unit_id", "kind", "contrast", "pole", "side", "term", "counted", "offset", "position"]


def frame_cues(text: str, codebook: Codebook) -> list[dict]:
    """Seed-term matches of ``text``: ``contrast, pole, side, term, counted, word`` (word position in ``text``).

    Examples
    --------
    >>> from analysis.codebook import load_codebook
    >>> [(c["term"], c["word"], c["counted"]) for c in frame_cues("Not transactional, but a pure bargain.",
    ...                                                           load_codebook())]
    [('transactional', 1, False), ('bargain', 5, True)]
    """
    lexicon = lexicon_of(codebook)
    return [dict(contrast=m.contrast, pole=m.pole, side=lexicon.pole_of[m.pole].sign, term=m.term,
                 counted=m.counted, word=m.first) for m in lexicon.matches(text)]


def stance_cues(text: str, stance_path: str | Path | None = None) -> list[dict]:
    """Stance cues of ``text`` that open a scope: ``pole`` (negation, rejection, attribution), ``term``, ``word``.

    The cues and the scope rule are those of the stance marking (``stance.toml``): a cue
    counts here exactly when it would tag the words after it.

    Examples
    --------
    >>> [(c["pole"], c["term"], c["word"]) for c in stance_cues("Critics call it a bloc, not a deal.")]
    [('attribution', 'critics', 0), ('negation', 'not', 5)]
    """
    starts = [s for s, _, _ in word_spans(normalize_apostrophes(text).lower())]
    return [dict(pole=STANCE_NAMES.get(tag, tag), term=cue, word=bisect_left(starts, start))
            for start, cue, tag in cue_matches(text, stance_path)]


def dispersion_table(paragraphs: pd.DataFrame, codebook: Codebook | str | Path | None = None,
                     stance_path: str | Path | None = None) -> pd.DataFrame:
    """Every frame cue and stance cue of every article, with its word offset and relative position.

    Parameters
    ----------
    paragraphs : DataFrame
        ``doc_id, unit_id, text`` (and ``start``, the character offset, when present), one
        row per paragraph; within an article, paragraphs are read in order of ``start``,
        else in the order given.
    codebook : Codebook or path, optional
        Default: the study's codebook.
    stance_path : path, optional
        Default: the package's ``stance.toml``.

    Returns
    -------
    DataFrame
        ``doc_id, unit_id, kind`` (``frame`` or ``stance``), ``contrast`` (empty for a
        stance cue), ``pole`` (the codebook pole, or negation / rejection / attribution),
        ``side`` (-1 negative pole, +1 positive, 0 stance), ``term``, ``counted`` (a frame
        cue the dictionary counts: not negated, not off target; True for stance cues),
        ``offset`` (words before the cue in its article) and ``position`` (offset divided by
        the article's words), sorted by article, offset, kind and pole.

    Examples
    --------
    >>> p = pd.DataFrame({"doc_id": ["a", "a"], "unit_id": ["a.p1", "a.p2"],
    ...                   "text": ["One two three.", "It is not a bargain."]})
    >>> dispersion_table(p)[["kind", "pole", "term", "offset", "position"]].values.tolist()
    [['stance', 'negation', 'not', 5, 0.625], ['frame', 'transactional', 'bargain', 7, 0.875]]
    """
    paragraphs_check(paragraphs, empty_ok=True)
    codebook = as_codebook(codebook)
    rows = []
    for doc_id, part in paragraphs.groupby("doc_id", sort=True):
        if "start" in part.columns:
            part = part.sort_values("start", kind="stable")
        before, found = 0, []
        for unit_id, text in zip(part["unit_id"], part["text"]):
            for cue in frame_cues(text, codebook):
                word = cue.pop("word")
                found.append(dict(cue, unit_id=unit_id, kind="frame", offset=before + word))
            for cue in stance_cues(text, stance_path):
                word = cue.pop("word")
                found.append(dict(cue, unit_id=unit_id, kind="stance", contrast="", side=0, counted=True,
                                  offset=before + word))
            before += len(word_spans(text))
        for row in found:
            rows.append(dict(row, doc_id=doc_id, position=row["offset"] / before))
    table = pd.DataFrame(rows, columns=COLUMNS)
    table = table.sort_values(["doc_id", "offset", "kind", "pole", "term"], kind="stable").reset_index(drop=True)
    return table.astype({"offset": "int64", "position": "float64", "side": "int64", "counted": "bool"})
