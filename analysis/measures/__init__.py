"""The lexicon measures of the framing contrasts, one module each.

Every contrast of the codebook (:mod:`analysis.codebook`) has a negative and a positive
pole. Each measure gives a unit of text a position on each contrast (negative pole <
0 < positive pole) and, where it can, a salience (>= 0: how much the unit speaks to the
contrast at all). All are scikit-learn transformers: ``fit`` learns from the corpus'
paragraphs and, where given, the written training exemplars
(:mod:`analysis.exemplars`; never the texts being validated), ``transform`` scores any
list of texts, so one fitted model scores new text on the study's scale. All read text
through :class:`analysis.lexicon.Lexicon`.

- :mod:`analysis.measures.dictionary` — seed-term rates (prefix ``dict_``);
- :mod:`analysis.measures.prototypes` — TF-IDF pole prototypes (prefix ``tfidf_``);
- :mod:`analysis.measures.lss` — latent semantic scaling (prefix ``lss_``).

The supervised, stance-aware measure is :mod:`analysis.supervised`; their combination
is :class:`analysis.frames.FrameScorer`.
"""
