"""Tests for analysis.inputs: what every notebook starts from."""
from __future__ import annotations

import pytest

from analysis import config
from analysis.errors import InputError
from analysis.inputs import study_inputs

DEMO = config.ROOT / "examples" / "demo-corpus"


def test_study_inputs_read_the_corpus_folder_and_its_own_codebook(tmp_path):
    study = study_inputs(DEMO, tmp_path)
    assert study.paths.root == tmp_path.resolve()
    assert set(study.corpus.paragraphs["doc_id"]) == set(study.corpus.documents["doc_id"])
    assert study.contrasts == list(study.codebook.contrasts)
    assert study.poles == {c: (k.negative.name, k.positive.name) for c, k in study.codebook.contrasts.items()}
    assert {"writer", "text", *study.contrasts} <= set(study.exemplars.columns)
    paths, corpus, *_ = study  # notebooks unpack it
    assert paths is study.paths and corpus is study.corpus


def test_study_inputs_name_a_missing_corpus(tmp_path):
    with pytest.raises(InputError, match="metadata.csv"):
        study_inputs(tmp_path / "nothing-here")
