"""Descriptive tables of a corpus: provenance, sizes, frequent terms and collocations.

:func:`corpus_size_notes` says, in plain sentences, which results a corpus is too small
to support; its thresholds are the module constants below, each with its reason.
"""
from __future__ import annotations

import math

import pandas as pd
from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder
from nltk.probability import FreqDist
from scipy import stats

from .config import CONFIDENCE
from .sources import BASIS_FIELDS
from .text import STOPWORDS, tokenize

#: Fewest articles whose order (e.g. by date) can be told from chance: a two-sided
#: permutation test of a rank correlation between n articles and any ordering of them
#: has smallest p-value 2/n!, which is 0.017 for 5 articles but 0.083 for 4, so with
#: fewer than 5 no between-article pattern can reach the 5% level.
MIN_ARTICLES = 5
#: Fewest units per article for a bootstrap interval of the article's mean. A
#: percentile interval from n units is narrower than the t interval for the same
#: mean by the factor z·√((n−1)/n) / t(n−1) (normal data, 95%): 0.82 at n = 10,
#: 0.70 at n = 6; below 10 units it understates the uncertainty by a fifth or more.
MIN_UNITS_PER_ARTICLE = 10
#: Fewest units per topic, at the largest K of a sweep, for a topic model to be read:
#: a topic is learnt from the units that use it, and with fewer than about ten units
#: per topic each topic, its coherence and its stability rest on a handful of units.
MIN_UNITS_PER_TOPIC = 10


def documents_provenance(documents: pd.DataFrame) -> pd.DataFrame:
    """One row per (article, descriptive field): the value and where it comes from.

    ``source`` is ``stated``, ``inferred`` or ``absent``; ``basis`` is the explanation.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"], "date": ["2020-01-01"], "date_basis": ["stated: line 1"]})
    >>> documents_provenance(docs).values.tolist()
    [['a', 'date', '2020-01-01', 'stated', 'line 1']]
    """
    rows = []
    for doc in documents.to_dict("records"):
        for field in BASIS_FIELDS:
            if f"{field}_basis" not in doc:
                continue
            label, _, basis = doc[f"{field}_basis"].partition(":")
            rows.append(dict(doc_id=doc["doc_id"], field=field, value=doc.get(field, ""),
                             source=label, basis=basis.strip()))
    return pd.DataFrame(rows, columns=["doc_id", "field", "value", "source", "basis"])


def units_count(paragraphs: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Paragraphs, sentences, tokens and distinct tokens per article (reading order kept).

    Examples
    --------
    >>> p = pd.DataFrame({"doc_id": ["a", "a"], "text": ["One two.", "Three."]})
    >>> s = pd.DataFrame({"doc_id": ["a", "a"], "text": ["One two.", "Three."]})
    >>> units_count(p, s).values.tolist()
    [['a', 2, 2, 3, 3]]
    """
    order = list(dict.fromkeys(paragraphs["doc_id"]))
    tokens = paragraphs.assign(tokens=paragraphs["text"].map(tokenize))
    out = pd.DataFrame({
        "paragraphs": paragraphs.groupby("doc_id").size(),
        "sentences": sentences.groupby("doc_id").size(),
        "tokens": tokens.groupby("doc_id")["tokens"].sum().map(len),
        "types": tokens.groupby("doc_id")["tokens"].sum().map(lambda t: len(set(t))),
    }).reindex(order).fillna(0).astype(int)
    return out.rename_axis("doc_id").reset_index()


def terms_top(paragraphs: pd.DataFrame, n: int = 10, stopwords: frozenset[str] = STOPWORDS) -> pd.DataFrame:
    """The ``n`` most frequent non-stopword tokens per article (nltk ``FreqDist``).

    Ties are broken alphabetically so the table is stable.

    Examples
    --------
    >>> p = pd.DataFrame({"doc_id": ["a"], "text": ["axis axis alliance the"]})
    >>> terms_top(p, n=2).values.tolist()
    [['a', 1, 'axis', 2], ['a', 2, 'alliance', 1]]
    """
    rows = []
    for doc_id, group in paragraphs.groupby("doc_id", sort=False):
        freq = FreqDist(t for text in group["text"] for t in tokenize(text) if t not in stopwords)
        ranked = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
        rows += [dict(doc_id=doc_id, rank=i, term=term, count=count) for i, (term, count) in enumerate(ranked, 1)]
    return pd.DataFrame(rows, columns=["doc_id", "rank", "term", "count"])


def bigrams_top(paragraphs: pd.DataFrame, n: int = 5, min_count: int = 2,
                stopwords: frozenset[str] = STOPWORDS) -> pd.DataFrame:
    """Top bigram collocations per article by Dunning's log-likelihood ratio (nltk).

    Bigrams are formed from adjacent tokens within a paragraph; bigrams containing a
    stopword, and those seen fewer than ``min_count`` times, are then dropped.
    """
    measures = BigramAssocMeasures()
    rows = []
    for doc_id, group in paragraphs.groupby("doc_id", sort=False):
        finder = BigramCollocationFinder.from_documents(tokenize(text) for text in group["text"])
        finder.apply_freq_filter(min_count)
        finder.apply_word_filter(lambda w: w in stopwords)
        scored = sorted(finder.score_ngrams(measures.likelihood_ratio), key=lambda x: (-x[1], x[0]))[:n]
        rows += [dict(doc_id=doc_id, rank=i, bigram=" ".join(gram), count=finder.ngram_fd[gram], llr=score)
                 for i, (gram, score) in enumerate(scored, 1)]
    return pd.DataFrame(rows, columns=["doc_id", "rank", "bigram", "count", "llr"])


def _interval_ratio(n: int, confidence: float = CONFIDENCE) -> float:
    """Width of a percentile bootstrap interval of a mean over that of the t interval.

    Examples
    --------
    >>> round(_interval_ratio(10), 2)
    0.82
    """
    if n < 2:
        return 0.0  # one unit: every resample is that unit, the interval has no width
    q = 1 - (1 - confidence) / 2
    return float(stats.norm.ppf(q) * math.sqrt((n - 1) / n) / stats.t.ppf(q, n - 1))


def corpus_size_notes(units: pd.DataFrame, *, max_k: int | None = 10, n_terms: int = 10,
                      vocabulary_size: int | None = None, group: str = "doc_id",
                      unit_name: str = "paragraphs") -> list[str]:
    """Plain warnings for a corpus too small for some of the study's results.

    Four checks, each against a threshold documented in this module:

    * fewer than :data:`MIN_ARTICLES` articles: a pattern across articles (by date,
      by outlet) cannot be told from chance;
    * fewer than :data:`MIN_UNITS_PER_TOPIC` × ``max_k`` units: a K sweep up to
      ``max_k`` has too few units per topic at its larger K;
    * a vocabulary smaller than ``n_terms`` × ``max_k``: the topics' top-term lists
      must overlap at the larger K, so exclusivity and coherence compare shared terms;
    * articles with fewer than :data:`MIN_UNITS_PER_ARTICLE` units: their bootstrap
      intervals are too narrow.

    Parameters
    ----------
    units : DataFrame
        One row per unit, with the article in column ``group``.
    max_k : int or None, default 10
        Largest number of topics of the sweep; None for a notebook without topic models
        (the two topic checks are then skipped).
    n_terms : int, default 10
        Top terms per topic used by the topic diagnostics.
    vocabulary_size : int, optional
        Terms a topic model keeps (e.g. ``len(model.terms_)``); without it the
        vocabulary check is skipped.
    group : str, default "doc_id"
    unit_name : str, default "paragraphs"
        What the units are called in the notes.

    Returns
    -------
    list of str
        One sentence per check that fails, in the order above; empty when none does.

    Examples
    --------
    >>> u = pd.DataFrame({"doc_id": ["a"] * 12 + ["b"] * 12})
    >>> [note.split(":")[0] for note in corpus_size_notes(u, max_k=2, vocabulary_size=40)]
    ['Only 2 articles']
    """
    if group not in units.columns:
        raise ValueError(f"units has no column {group!r}: pass one row per unit with its article "
                         f"in {group!r}, or name the column with group=")
    if units.empty:
        raise ValueError("units is empty: pass one row per unit")
    if (max_k is not None and max_k < 1) or n_terms < 1:
        raise ValueError(f"max_k and n_terms must be at least 1, not {max_k} and {n_terms}")
    sizes = units.groupby(group, sort=True).size()
    n_articles, n_units = len(sizes), len(units)
    notes = []
    if n_articles < MIN_ARTICLES:
        notes.append(
            f"Only {n_articles} article{'s' if n_articles != 1 else ''}: a pattern across "
            "articles (a trend by date, a contrast of outlets) cannot be told from chance, "
            + (f"since with fewer than {MIN_ARTICLES} articles even a perfect ordering has a "
               f"two-sided permutation p-value of at least 2/{n_articles}! = "
               f"{2 / math.factorial(n_articles):.2f}" if n_articles > 2 else
               "since with one or two articles no ordering can be tested at all")
            + "; differences between articles describe these texts only.")
    if max_k is not None and n_units < MIN_UNITS_PER_TOPIC * max_k:
        notes.append(
            f"Only {n_units} {unit_name} for topic models of up to K = {max_k}: fewer than "
            f"{MIN_UNITS_PER_TOPIC} per topic at the largest K "
            f"({n_units / max_k:.1f}), so the larger K's topics, coherence and stability rest "
            f"on a handful of {unit_name} each; the K the rule picks is fragile.")
    if max_k is not None and vocabulary_size is not None and vocabulary_size < n_terms * max_k:
        notes.append(
            f"A vocabulary of {vocabulary_size} terms for {n_terms} top terms per topic up to "
            f"K = {max_k}: with fewer than {n_terms * max_k} terms the topics' top terms must "
            "overlap at the larger K, so exclusivity and coherence compare shared terms.")
    small = sizes[sizes < MIN_UNITS_PER_ARTICLE]
    if len(small):
        smallest = int(small.min())
        notes.append(
            f"{len(small)} of {n_articles} articles have fewer than {MIN_UNITS_PER_ARTICLE} "
            f"{unit_name} ({', '.join(f'{doc}: {n}' for doc, n in small.items())}): a bootstrap "
            f"interval that resamples an article's {unit_name} understates its uncertainty; "
            f"with {smallest} it is about {1 - _interval_ratio(smallest):.0%} narrower than a "
            "t interval for the same mean.")
    return notes


def size_warning(notes: list[str], read: str) -> str:
    """The warning a notebook shows above results that :func:`corpus_size_notes` limits, or
    ``""`` when there is no note (a corpus large enough shows nothing).

    Examples
    --------
    >>> size_warning(["Only 2 articles."], "the positions below")
    '**Warning: a small corpus.** Only 2 articles. Read the positions below with these limits in mind.'
    >>> size_warning([], "the positions below")
    ''
    """
    if not notes:
        return ""
    return f"**Warning: a small corpus.** {' '.join(notes)} Read {read} with these limits in mind."
