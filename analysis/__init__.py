"""A reproducible framing study: corpus → measures → validation, as an importable package.

What a researcher needs is named here and imported when first used (so that
``python -m analysis`` and the notebooks start without loading every module)::

    import analysis
    corpus = analysis.load_corpus("corpus")
    codebook = analysis.corpus_codebook("corpus")
    scorer = analysis.FrameScorer(codebook, exemplars=analysis.corpus_exemplars("corpus", codebook))
    units, docs = analysis.score_corpus(corpus.paragraphs, scorer=scorer.fit(corpus.paragraphs["text"]))

The modules, grouped from the data to what a reader sees: ``corpus`` and ``sources`` (texts,
metadata, repairs), ``codebook``, ``exemplars`` and ``stance`` (data that define and train
the measures), ``inputs`` (all of these for a notebook), ``text``, ``words``, ``sentences`` and ``dtm`` (tokens and document-term
matrices), ``lexicon``, the lexicon measures of ``measures``, ``supervised``, ``frames``
and ``combination`` (the measures and the index), ``disk_cache`` (results shared by the
processes of a run), ``frame_tables`` (paragraph and
article tables), ``word_codes``, ``streaming`` and ``distributed`` (scoring
at scale), ``keyness_stats``, ``permutation``, ``keyness``, ``collocations``, ``topics``,
``topic_frames`` and ``online_topics`` (context), ``metrics``, ``reliability``,
``annotations`` (the hand coding), ``validation``, ``agreement``, ``target_window``,
``retraining``, ``sampling``, ``uncertainty``, ``describe`` and the multiverse (``claims``,
``spec_grid``, ``spec_units``, ``multiverse``, ``robustness``: how far to trust them),
``readings``, ``narrative``, ``summaries``, ``dispersion``, ``scoring``, ``plots``, ``display``, ``outputs``,
``overview``, ``notebook_html``, ``parameters``,
``kernels``, ``kernel_fork``, ``kernel_zygote`` and ``report`` (what a reader sees), and ``cli`` on top.
"""
from __future__ import annotations

import importlib

#: Public name → the module that defines it.
_HOME = {
    "load_corpus": "corpus", "Corpus": "corpus", "study_inputs": "inputs",
    "load_codebook": "codebook", "corpus_codebook": "codebook", "Codebook": "codebook",
    "load_exemplars": "exemplars", "corpus_exemplars": "exemplars",
    "FrameScorer": "frames",
    "score_corpus": "frame_tables", "unit_scores": "frame_tables", "doc_scores": "frame_tables",
    "SupervisedScorer": "supervised",
    "study_scorer": "scoring", "score_folder": "scoring",
    "load_annotations": "annotations", "validation_table": "validation", "auc": "metrics",
    "learning_curve": "retraining",
    "sheet_write": "sampling",
    "prepare": "spec_units", "multiverse_run": "multiverse",
    "TopicModel": "topics",
    "keyness_table": "keyness",
}
__all__ = sorted(_HOME)


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
