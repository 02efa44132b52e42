"""Toy inputs that several test modules share: a small codebook, rule-heavy texts."""
from __future__ import annotations

import random

import pandas as pd

from analysis.codebook import load_codebook
from analysis.sentences import sentence_spans, sentence_tokenizer

DEFINITION = """
[contrasts.{c}.poles.{p}.definition]
problem = "zq"
cause = "zq"
evaluation = "zq"
remedy = "zq"
"""


def toy_codebook(tmp_path, contrasts=("alliance", "force"), deterrence=("deter",)):
    """A small codebook whose definitions and indicators use only the non-word 'zq'."""
    poles = {"alliance": [("transactional", ["deal"], ["marriage of convenience"]),
                          ("ideological", ["ideology", "resistance"], ["shared values"])],
             "force": [("deterrence", list(deterrence), []), ("credibility", ["credibility"], [])]}
    text = ['schema = 1', 'version = "t"', '[references]', 'r = "R. 2000. Ref."',
            '[negation]', 'cues = ["not", "no", "neither", "nor", "never", "rather than"]',
            'pseudo = ["not only"]', 'terminators = ["but"]', 'window = 5', 'rule = "toy"',
            '[[false_friends]]', 'phrase = "axis of resistance"', 'reason = "name"',
            '[[false_friends]]', 'phrase = "New Deal"', 'reason = "name"', 'case_sensitive = true']
    for c in contrasts:
        (neg, *_), (pos, *_) = poles[c]
        text += [f"[contrasts.{c}]", f'label = "{c}"', 'question = "zq"', f'negative = "{neg}"',
                 f'positive = "{pos}"', 'references = ["r"]']
        for pole, seeds, multi in poles[c]:
            text += [f"[contrasts.{c}.poles.{pole}]", f'label = "{pole}"', 'references = ["r"]',
                     'indicators = ["zq"]', f"seeds = {seeds!r}".replace("'", '"'),
                     f"multiword = {multi!r}".replace("'", '"'), DEFINITION.format(c=c, p=pole)]
    path = tmp_path / "codebook.toml"
    path.write_text("\n".join(text), encoding="utf-8")
    return load_codebook(path)


COMBO = ["deal x zq", "x x", "ideology x", "deter x", "credibility x", "x deter"]


# Every rule of the lexicon at least once: negation (cues, n't, multiword cue, pseudo,
# window, terminator, punctuation), false friends (any case, case-sensitive), multiword
# seeds, stems, apostrophes, acronyms, and texts with no word at all.
RULES = [
    "It is neither recent nor a deal.", "This is not an ideology alliance.", "Not only a deal but an ideology",
    "Not a deal, an ideology", "no doubt about it", "never a deal but ideology", "not a b c d ideology",
    "not a b c d e ideology", "a deal rather than ideology", "Iran doesn't deter; it wants credibility",
    "Iran doesn\u2019t deter \u2014 it wants credibility", "a marriage of convenience and two deals",
    "Marriages of Convenience", "the Axis of Resistance and resistance", "the New Deal, a new deal",
    "The NEW DEAL and the New Deal\u2019s deal", "U.S. deals -- not credibility", "not - a deal", "not -- deal",
    "Deal's deal; not shared values", "not (a deal)", "", "   ", "1999, 2000.", "x", "not", "deal",
    "shared values, shared values and not shared values", "no marriage of convenience here",
    "the axis of resistance's deal", "neither deter nor deterrence nor credibility",
]


def random_texts(n: int, seed: int) -> list[str]:
    """Texts drawn from the toy codebook's rule words and punctuation, so rules collide often."""
    words = ["not", "Not", "no", "neither", "nor", "never", "rather", "than", "only", "doubt", "but", "doesn't",
             "don\u2019t", "deal", "deals", "Deal", "New", "new", "ideology", "resistance", "axis", "of", "Axis",
             "marriage", "convenience", "shared", "values", "deter", "credibility", "a", "the", "x", "U.S."]
    marks = [" ", " ", " ", ", ", "; ", " - ", " -- ", " (", ") ", ". ", " \u2014 "]
    rng = random.Random(seed)
    return ["".join(rng.choice(words) + rng.choice(marks) for _ in range(rng.randint(0, 14))) for _ in range(n)]


#: Three two-paragraph articles with seeds of every pole, negation and false friends.
THREE_ARTICLES = pd.DataFrame({
    "doc_id": ["a", "a", "b", "b", "c", "c"],
    "text": [
        "The pact is a marriage of convenience and a bargain between rivals. Each side seeks leverage.",
        "Their shared ideology and revolutionary solidarity bind the axis. It is a brotherhood of creed.",
        "Missile strikes aim to deter attack through the threat of retaliation and escalation.",
        "The strike was meant to show strength and protect credibility and reputation before audiences.",
        "Officials met in the capital to discuss trade and oil. Nothing else was agreed on the bargain.",
        "Not an ideological alliance but a pragmatic deal, analysts said. Mistrust remains, and resolve too.",
    ]})


def sentences_of(paragraphs):
    """Sentences split as load_corpus splits them (Punkt trained on the paragraphs)."""
    tok = sentence_tokenizer(paragraphs["text"])
    rows = [dict(doc_id=d, text=t[s:e]) for d, t in zip(paragraphs["doc_id"], paragraphs["text"])
            for s, e in sentence_spans(tok, t)]
    return pd.DataFrame(rows)
