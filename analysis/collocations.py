"""Multiword expressions and keyword-in-context views.

:func:`collocations` ranks the bigrams or trigrams of a set of texts with nltk's
collocation finders: pointwise mutual information (Church & Hanks 1990; binary log of
the observed over the expected co-occurrence) and Dunning's (1993) log-likelihood ratio.
Each text is its own document for the finder, so no n-gram crosses a paragraph break;
n-grams rarer than ``min_count`` are dropped before scoring (PMI is unreliable for rare
pairs), and so are n-grams that begin or end with a stopword — ``axis of resistance``
survives, ``of the`` does not.

:func:`kwic` finds a term or phrase in each unit with nltk's ``ConcordanceIndex`` and
returns its context cut from the unit's own text, with the unit's id and character
offsets so that every line can be traced to its source.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from nltk.collocations import (BigramAssocMeasures, BigramCollocationFinder,
                               TrigramAssocMeasures, TrigramCollocationFinder)
from nltk.text import ConcordanceIndex

from .text import STOPWORDS, tokenize, tokenize_spans

#: Columns of a collocation table.
COLLOCATION_COLUMNS = ["ngram", "count", "pmi", "likelihood_ratio"]
#: Columns of a concordance.
KWIC_COLUMNS = ["doc_id", "unit_id", "start", "end", "left", "match", "right"]

_FINDERS = {2: (BigramCollocationFinder, BigramAssocMeasures),
            3: (TrigramCollocationFinder, TrigramAssocMeasures)}


def _texts(texts) -> list[str]:
    if isinstance(texts, str):
        raise ValueError("texts must be a collection of texts (e.g. corpus.paragraphs.text), "
                         "not a single string")
    out = list(texts)
    bad = [i for i, t in enumerate(out) if not isinstance(t, str)]
    if bad:
        raise ValueError(f"texts must all be strings; entries {bad[:5]} are not — drop "
                         f"missing paragraphs first")
    return out


def collocations(texts: Iterable[str], n: int = 2, min_count: int = 3,
                 stopwords: frozenset[str] | None = STOPWORDS) -> pd.DataFrame:
    """Bigram or trigram collocations scored by PMI and log-likelihood ratio.

    Parameters
    ----------
    texts : iterable of str
        One text per unit (paragraph); n-grams never span two units.
    n : {2, 3}
        Bigrams or trigrams.
    min_count : int, default 3
        Frequency floor applied before scoring.
    stopwords : frozenset of str or None
        N-grams whose first or last token is in this set are dropped; ``None`` keeps all.

    Returns
    -------
    DataFrame
        ``ngram`` (tokens joined by spaces), ``count``, ``pmi`` and ``likelihood_ratio``,
        sorted by likelihood ratio (then n-gram).

    Examples
    --------
    >>> texts = ["the axis of resistance met", "an axis of resistance", "axis of resistance"]
    >>> collocations(texts, n=3, min_count=2)[["ngram", "count"]].values.tolist()
    [['axis of resistance', 3]]
    """
    if n not in _FINDERS:
        raise ValueError(f"n must be 2 (bigrams) or 3 (trigrams), not {n!r}")
    if not (isinstance(min_count, int) and min_count >= 1):
        raise ValueError(f"min_count must be a positive integer, not {min_count!r}")
    finder_cls, measures = _FINDERS[n]
    documents = [tokenize(t) for t in _texts(texts)]
    finder = finder_cls.from_documents(documents)
    finder.apply_freq_filter(min_count)
    if stopwords is not None:
        finder.apply_ngram_filter(lambda *gram: gram[0] in stopwords or gram[-1] in stopwords)
    if not finder.ngram_fd:
        return pd.DataFrame({"ngram": pd.Series(dtype=str), "count": pd.Series(dtype="int64"),
                             "pmi": pd.Series(dtype=float),
                             "likelihood_ratio": pd.Series(dtype=float)})
    pmi = dict(finder.score_ngrams(measures.pmi))
    llr = dict(finder.score_ngrams(measures.likelihood_ratio))
    grams = sorted(finder.ngram_fd)
    table = pd.DataFrame({
        "ngram": [" ".join(g) for g in grams],
        "count": [int(finder.ngram_fd[g]) for g in grams],
        "pmi": [pmi[g] for g in grams],
        "likelihood_ratio": [llr[g] for g in grams],
    })
    return table.sort_values(["likelihood_ratio", "ngram"], ascending=[False, True],
                             kind="mergesort").reset_index(drop=True)


def collocations_by(units: pd.DataFrame, by: str = "doc_id", **settings) -> pd.DataFrame:
    """:func:`collocations` for each group of ``units`` (e.g. each document).

    Returns the tables stacked, with the group in a first column named ``by``.

    Examples
    --------
    >>> units = pd.DataFrame({"doc_id": ["a", "a", "b"],
    ...                       "text": ["axis of resistance", "axis of resistance", "war"]})
    >>> collocations_by(units, n=3, min_count=2)[["doc_id", "ngram"]].values.tolist()
    [['a', 'axis of resistance']]
    """
    _check_units(units, (by, "text"))
    frames = [collocations(group["text"], **settings).assign(**{by: key})
              for key, group in units.groupby(by, sort=True)]
    table = pd.concat(frames, ignore_index=True)
    return table[[by] + COLLOCATION_COLUMNS]


def _check_units(units, columns) -> None:
    if not isinstance(units, pd.DataFrame):
        raise ValueError(f"units must be a DataFrame with columns {list(columns)}, "
                         f"not {type(units).__name__}")
    missing = [c for c in columns if c not in units.columns]
    if missing:
        raise ValueError(f"units lacks column(s) {missing}; pass a units table such as "
                         f"corpus.paragraphs or corpus.sentences")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def kwic(units: pd.DataFrame, query: str, width: int = 60) -> pd.DataFrame:
    """Keyword in context: every occurrence of a term or phrase, traceable to its unit.

    The query is tokenised like the texts (case-insensitive, possessive ``'s`` dropped),
    so ``"Iran's allies"`` finds ``Iran’s allies`` and ``IRAN'S ALLIES``. Matching uses
    nltk's ``ConcordanceIndex`` on each unit's tokens; ``left``, ``match`` and ``right``
    are cut from the unit's original text (whitespace collapsed), ``start`` and ``end``
    are the match's character offsets in that text.

    Parameters
    ----------
    units : DataFrame
        Columns ``unit_id`` and ``text`` (``doc_id`` is carried over when present).
    query : str
        A word or a phrase.
    width : int, default 60
        Characters of context on each side.

    Returns
    -------
    DataFrame with columns :data:`KWIC_COLUMNS`, in the order of ``units``.

    Examples
    --------
    >>> units = pd.DataFrame({"unit_id": ["d.p01"],
    ...                       "text": ["Tehran calls it the Axis of Resistance, not an alliance."]})
    >>> kwic(units, "axis of resistance", width=13)[["unit_id", "left", "match", "right"]].values.tolist()
    [['d.p01', 'calls it the', 'Axis of Resistance', ', not an alli']]
    """
    _check_units(units, ("unit_id", "text"))
    if not isinstance(query, str):
        raise ValueError(f"query must be a string, not {type(query).__name__}")
    wanted = tokenize(query)
    if not wanted:
        raise ValueError(f"query {query!r} has no word tokens; give a word or phrase")
    if not (isinstance(width, int) and width >= 0):
        raise ValueError(f"width must be a non-negative integer, not {width!r}")
    doc_ids = units["doc_id"] if "doc_id" in units.columns else pd.Series([None] * len(units))
    rows = []
    for doc_id, unit_id, text in zip(doc_ids, units["unit_id"], units["text"]):
        if not isinstance(text, str):
            continue
        tokens = tokenize(text)
        spans = tokenize_spans(text)
        index = ConcordanceIndex(tokens)
        for offset in index.offsets(wanted[0]):
            if tokens[offset:offset + len(wanted)] != wanted:
                continue
            start, end = spans[offset][0], spans[offset + len(wanted) - 1][1]
            rows.append({"doc_id": doc_id, "unit_id": unit_id, "start": start, "end": end,
                         "left": _one_line(text[max(0, start - width):start]),
                         "match": _one_line(text[start:end]),
                         "right": _one_line(text[end:end + width])})
    return pd.DataFrame(rows, columns=KWIC_COLUMNS).astype({"start": "int64", "end": "int64"})
