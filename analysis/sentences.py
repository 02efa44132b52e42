"""Sentence splitting with nltk's Punkt, trained on the corpus itself (no downloads).

Punkt learns abbreviations, collocations and sentence starters from the text it is
given. A corpus of a few dozen paragraphs is too small to learn every abbreviation, so
the learned parameters are completed with :data:`ABBREVIATIONS`, a list of common
English abbreviations that end in a period but rarely end a sentence.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer

#: Lowercase, without the final period, as Punkt stores them.
ABBREVIATIONS = frozenset({
    # countries and organisations written with dots
    "u.s", "u.k", "u.n", "e.u", "u.s.s.r",
    # months
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    # U.S. states in AP style
    # (not those that are also common words ending a sentence: "ill", "mass", "miss", "ore",
    # "wash"; nor "no", as in "said no.")
    "ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ind", "kan",
    "ky", "la", "md", "mich", "minn", "mo", "mont", "neb", "nev", "okla",
    "pa", "tenn", "va", "vt", "wis", "wyo",
    # titles and ranks
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm",
    "cmdr", "sen", "rep", "gov", "pres", "rev", "st", "jr", "sr", "amb",
    # Latin and other
    "e.g", "i.e", "etc", "vs", "approx", "inc", "corp", "ltd", "co",
})


#: A text that ends in "No." as the abbreviation of "number" (a whole word, any case).
_NUMBER_SIGN = re.compile(r"(?<![\w'-])[Nn][Oo]\.\s*$")


def sentence_tokenizer(texts: Iterable[str], abbreviations: Iterable[str] = ABBREVIATIONS) -> PunktSentenceTokenizer:
    """Train Punkt on ``texts`` and add ``abbreviations``.

    Parameters
    ----------
    texts : iterable of str
        Training text (e.g. every paragraph of the corpus), in a fixed order.
    abbreviations : iterable of str
        Lowercase abbreviations without their final period.

    Returns
    -------
    PunktSentenceTokenizer

    Examples
    --------
    >>> tok = sentence_tokenizer(["He met Gen. Smith in Monterey, Calif. on Oct. 7. Then he left."])
    >>> tok.tokenize("Gen. Smith flew to the U.S. on Oct. 7. He left.")
    ['Gen. Smith flew to the U.S. on Oct. 7.', 'He left.']
    """
    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = True
    for text in texts:
        trainer.train(text, finalize=False)
    trainer.finalize_training()
    params = trainer.get_params()
    params.abbrev_types.update(abbreviations)
    return PunktSentenceTokenizer(params)


def sentence_spans(tokenizer: PunktSentenceTokenizer, text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``.

    Punkt always ends a sentence at ``?`` or ``!``; a "sentence" that then begins with a
    lowercase letter (``"...favor?" a senior official said.``) is joined to the one
    before it, and so is one that begins with a digit after a sentence ending in "No."
    (``Resolution No. 2231``): "no" is not in :data:`ABBREVIATIONS`, since the word ends
    sentences ("Tehran said no.").

    Examples
    --------
    >>> sentence_spans(sentence_tokenizer([]), "It rained. Then it stopped.")
    [(0, 10), (11, 27)]
    >>> sentence_spans(sentence_tokenizer([]), '"Why?" he asked.')
    [(0, 16)]
    """
    spans: list[tuple[int, int]] = []
    for start, end in tokenizer.span_tokenize(text):
        # Punkt's first span starts at 0, leading whitespace included; the others start at
        # their first character, and so does every span here
        start += len(text[start:end]) - len(text[start:end].lstrip())
        if spans and (text[start:start + 1].islower()
                      or (text[start:start + 1].isdigit()
                          and _NUMBER_SIGN.search(text, max(0, spans[-1][1] - 40), spans[-1][1]))):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans
