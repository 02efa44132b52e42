"""What every study notebook starts from: output paths, corpus, codebook, exemplars.

Examples
--------
>>> from analysis import config
>>> study = study_inputs(config.ROOT / "examples" / "demo-corpus")
>>> study.contrasts, study.poles["force"]
(['alliance', 'force'], ('deterrence', 'credibility'))
"""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pandas as pd

from . import config
from .codebook import Codebook, corpus_codebook
from .corpus import Corpus, load_corpus
from .exemplars import corpus_exemplars


class StudyInputs(NamedTuple):
    """The inputs of a study run, in the order a notebook unpacks them."""

    paths: config.StudyPaths
    corpus: Corpus
    codebook: Codebook
    exemplars: pd.DataFrame
    contrasts: list[str]
    poles: dict[str, tuple[str, str]]


def study_inputs(corpus_dir: str | Path | None = None, out_dir: str | Path | None = None) -> StudyInputs:
    """Read a corpus folder (default: the study's ``corpus/``) with its codebook and exemplars.

    Parameters
    ----------
    corpus_dir : path, optional
        A corpus folder (:func:`analysis.corpus.load_corpus`).
    out_dir : path, optional
        Where tables and figures go (:func:`analysis.config.study_paths`).

    Raises
    ------
    InputError
        When the corpus, its codebook or its exemplars cannot be used (each problem named).
    """
    corpus = load_corpus(corpus_dir)
    codebook = corpus_codebook(corpus_dir)
    return StudyInputs(paths=config.study_paths(out_dir), corpus=corpus, codebook=codebook,
                       exemplars=corpus_exemplars(corpus_dir, codebook), contrasts=list(codebook.contrasts),
                       poles=codebook.pole_names())
