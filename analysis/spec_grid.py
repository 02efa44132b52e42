"""The multiverse's grid of specifications: settings, their values and the study's baseline.

Specifications (:func:`spec_grid`; after Simonsohn, Simmons & Nelson's 2020
specification curve and Denny & Spirling's 2018 analysis of preprocessing choices)
    A specification is one measure with one value of each setting that applies to it.
    Settings (:data:`VALUES`): ``lowercase``; ``stem`` (Snowball); ``stopwords``
    (scikit-learn's English list or none); ``min_df`` (terms in fewer units are
    dropped); ``ngram`` (unigrams, or unigrams and bigrams); ``unit`` (the measure is
    fitted on and scores paragraphs or sentences, and an article is the sum of them);
    and each measure's own parameter: the dictionary's smoothing, the LSS context and
    number of dimensions, the topic model's number of topics. A setting that does not
    change a measure is left empty for it (:data:`MEASURE_SETTINGS`): the dictionary
    has no vocabulary, so stopwords, ``min_df`` and n-grams do not touch it; LSS term
    vectors are unigrams and its article score is the same whatever unit sums to the
    article (it varies its SVD context instead); the topic model always lowercases and
    removes stopwords. Because the Snowball stemmer lowercases, "no lowercasing with
    stemming" is the same as "lowercasing with stemming" for the bag-of-words measures
    and is not counted twice.
"""
from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import pandas as pd


MEASURES = ("dict", "tfidf", "lss", "sup", "topic", "combined")


#: Every setting, in the column order of the results.
SETTINGS = ("lowercase", "stem", "stopwords", "min_df", "ngram", "unit", "smoothing", "lss_context", "lss_k",
            "topic_k", "sup_c", "sup_stance", "sup_writers")


#: The values each setting takes in the default grid.
VALUES = {"lowercase": (True, False), "stem": (True, False), "stopwords": ("scikit-learn", "none"),
          "min_df": (1, 2), "ngram": ("1-1", "1-2"), "unit": ("paragraph", "sentence"), "smoothing": (0.5, 1.0),
          "lss_context": ("sentence", "paragraph"), "lss_k": (50, 100), "topic_k": (5, 8, 11),
          "sup_c": (0.25, 1.0, 4.0), "sup_stance": (True, False), "sup_writers": ("all", "odd", "even")}


#: The settings that change each measure.
MEASURE_SETTINGS = {"dict": ("lowercase", "stem", "unit", "smoothing"),
                    "tfidf": ("lowercase", "stem", "stopwords", "min_df", "ngram", "unit"),
                    "lss": ("lowercase", "stem", "stopwords", "min_df", "lss_context", "lss_k"),
                    "topic": ("stem", "min_df", "unit", "topic_k"),
                    "sup": ("ngram", "sup_c", "sup_stance", "sup_writers"),
                    "combined": ("unit",)}


#: The study's own settings (those of analysis.frames and of the topic notebook).
BASELINE = {"lowercase": True, "stem": True, "stopwords": "scikit-learn", "min_df": 1, "ngram": "1-1",
            "unit": "paragraph", "smoothing": 0.5, "lss_context": "sentence", "lss_k": 100, "topic_k": 8,
            "sup_c": 1.0, "sup_stance": True, "sup_writers": "all"}


#: Where a measure's baseline differs from :data:`BASELINE`.
BASELINE_OVERRIDES = {"topic": {"stem": False, "min_df": 2}, "sup": {"ngram": "1-2"}}


#: Measures whose bag of words the Snowball stemmer lowercases.
BAG_OF_WORDS = ("tfidf", "lss")


def spec_grid(values: Mapping[str, Sequence] | None = None, measures: Sequence[str] = MEASURES,
              baseline: Mapping | None = None) -> pd.DataFrame:
    """Every specification: ``spec_id``, ``measure``, one column per setting, ``baseline``.

    Parameters
    ----------
    values : mapping, optional
        Replaces the values of some settings of :data:`VALUES`.
    measures : sequence of str
    baseline : mapping, optional
        Replaces some of the :data:`BASELINE` settings; a baseline value is always
        added to its setting's values.

    Examples
    --------
    >>> g = spec_grid()
    >>> len(g), g.groupby("measure", sort=False).size().to_dict()
    (174, {'dict': 16, 'tfidf': 48, 'lss': 48, 'sup': 36, 'topic': 24, 'combined': 2})
    >>> int(g["baseline"].sum())
    6
    """
    grid = {k: tuple(v) for k, v in VALUES.items()}
    grid.update({k: tuple(v) for k, v in (values or {}).items()})
    base = {**BASELINE, **(baseline or {})}
    rows = []
    for m in measures:
        if m not in MEASURE_SETTINGS:
            raise ValueError(f"measure must be one of {', '.join(MEASURES)}, not {m!r}")
        own = {**base, **BASELINE_OVERRIDES.get(m, {})}
        names = MEASURE_SETTINGS[m]
        options = [grid[s] + tuple(v for v in (own[s],) if v not in grid[s]) for s in names]
        for combo in itertools.product(*options):
            spec = dict(zip(names, combo))
            if m in BAG_OF_WORDS and spec.get("stem") and not spec.get("lowercase"):
                continue
            row = {"measure": m, **{s: spec.get(s) for s in SETTINGS}}
            row["baseline"] = all(spec[s] == own[s] for s in names)
            rows.append(row)
    # object columns keep integers integral where other measures leave the setting empty
    table = pd.DataFrame(rows, columns=["measure", *SETTINGS, "baseline"], dtype=object)
    table["baseline"] = table["baseline"].astype(bool)
    table.insert(0, "spec_id", [f"s{i + 1:03d}" for i in range(len(table))])
    return table


def grid_summary(specs: pd.DataFrame) -> pd.DataFrame:
    """Specifications per measure and the settings each varies (with their values).

    Examples
    --------
    >>> grid_summary(spec_grid(measures=["dict"])).values.tolist()
    [['dict', 16, 'lowercase (True, False); stem (True, False); unit (paragraph, sentence); smoothing (0.5, 1.0)']]
    """
    rows = []
    for m, part in specs.groupby("measure", sort=False):
        varied = []
        for s in MEASURE_SETTINGS[m]:
            values = list(dict.fromkeys(part[s].tolist()))
            varied.append(f"{s} ({', '.join(str(v) for v in values)})")
        rows.append(dict(measure=m, specifications=len(part), settings="; ".join(varied)))
    return pd.DataFrame(rows, columns=["measure", "specifications", "settings"])
