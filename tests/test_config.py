"""Tests for analysis.config: the study paths (and the staging folder), seeds, the pinned environment."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.utils import check_random_state

from analysis import config
from analysis.config import (CORPUS_DIR, DETERMINISTIC_ENV, NOTEBOOKS_DIR, ROOT, STAGING_ENV, StudyPaths,
                             study_paths)


@pytest.fixture
def no_staging(monkeypatch):
    monkeypatch.delenv(STAGING_ENV, raising=False)


def test_root_is_the_repository():
    assert (ROOT / "analysis" / "config.py").is_file()
    assert CORPUS_DIR == ROOT / "corpus" and (CORPUS_DIR / "metadata.csv").is_file()
    assert NOTEBOOKS_DIR == ROOT / "notebooks" and NOTEBOOKS_DIR.is_dir()
    assert ROOT.is_absolute()


def test_paths_of_a_run():
    paths = StudyPaths(Path("/x/run"))
    assert (paths.tables, paths.figures, paths.notebooks, paths.reports) == (
        Path("/x/run/results/tables"), Path("/x/run/results/figures"), Path("/x/run/notebooks"),
        Path("/x/run/reports"))


def test_study_paths_default_to_the_repository(no_staging):
    assert study_paths() == StudyPaths(ROOT)
    assert study_paths(None).tables == ROOT / "results" / "tables"


@pytest.mark.parametrize("out", ["run", Path("run"), "./run/", "sub/../run"])
def test_study_paths_resolve_a_relative_out_against_the_working_folder(no_staging, monkeypatch, tmp_path, out):
    monkeypatch.chdir(tmp_path)
    paths = study_paths(out)
    assert paths.root == tmp_path.resolve() / "run"
    assert paths.reports == tmp_path.resolve() / "run" / "reports"


def test_study_paths_keep_an_absolute_out(no_staging, tmp_path):
    assert study_paths(tmp_path / "elsewhere").root == tmp_path.resolve() / "elsewhere"


@pytest.mark.parametrize("out", [None, "run"])
def test_staging_folder_wins_while_a_report_runs(monkeypatch, tmp_path, out):
    monkeypatch.setenv(STAGING_ENV, str(tmp_path / "stage"))
    # whatever the notebook's parameter says, outputs go to the staging folder
    assert study_paths(out) == StudyPaths(tmp_path / "stage")
    assert study_paths(out).figures == tmp_path / "stage" / "results" / "figures"


def test_an_empty_staging_variable_is_ignored(monkeypatch, tmp_path):
    monkeypatch.setenv(STAGING_ENV, "")
    monkeypatch.chdir(tmp_path)
    assert study_paths("run").root == tmp_path.resolve() / "run"


def test_staging_variable_name():
    # analysis.report sets it for every kernel; notebooks read it through study_paths
    assert STAGING_ENV == "ANALYSIS_STAGING_DIR"


def test_study_paths_are_frozen():
    paths = StudyPaths(Path("a"))
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'root'"):
        paths.root = Path("b")
    assert {paths, StudyPaths(Path("a"))} == {paths}


def test_seed_is_accepted_by_every_generator():
    # scikit-learn and numpy's legacy RandomState take seeds below 2**32 only
    assert isinstance(config.SEED, int) and 0 <= config.SEED < 2 ** 32
    check_random_state(config.SEED)
    assert np.random.default_rng(config.SEED).integers(1 << 30) == np.random.default_rng(config.SEED).integers(1 << 30)


def test_defaults_are_those_the_readme_states():
    # README: "2,000 paragraph permutations per contrast", "95% bootstrap intervals"
    assert config.N_PERM == 2000
    assert config.CONFIDENCE == 0.95
    assert isinstance(config.N_BOOT, int) and config.N_BOOT >= 1000


def test_deterministic_env_is_a_valid_process_environment():
    # subprocess and os.environ accept only strings
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in DETERMINISTIC_ENV.items())
    assert DETERMINISTIC_ENV["PYTHONHASHSEED"] == "0"


PROBE = """
import json
from threadpoolctl import threadpool_info
import numpy  # loads its BLAS
print(json.dumps({"hash": hash("alliance"), "threads": sorted({p["num_threads"] for p in threadpool_info()})}))
"""


def run_probe():
    env = {**os.environ, **DETERMINISTIC_ENV}
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_deterministic_env_fixes_string_hashes_and_blas_threads():
    first, second = run_probe(), run_probe()
    # string hashes (and so set iteration order) are the same in every process
    assert first["hash"] == second["hash"]
    # every BLAS and OpenMP pool numpy loads runs on one thread
    assert first["threads"] == [1]
