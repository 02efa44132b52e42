"""Descriptive tables of a corpus: provenance, sizes, frequent terms and collocations."""
from __future__ import annotations

import pandas as pd
from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder
from nltk.probability import FreqDist

from .sources import BASIS_FIELDS
from .text import STOPWORDS, tokenize


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
