"""One place for the study's paths, defaults and seeds.

Every other module and every notebook takes its paths and defaults from here, so a
researcher who points the study at another corpus changes one argument, not many
strings.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "corpus"
NOTEBOOKS_DIR = ROOT / "notebooks"

#: Seed for every random draw in the study (bootstrap, permutation, topic models).
SEED = 20240131
#: Bootstrap replicates for article-level intervals.
N_BOOT = 2000
#: Permutations for paragraph-level permutation tests.
N_PERM = 2000
#: Confidence level of every interval in the study.
CONFIDENCE = 0.95

#: Environment pinned for every process that computes results: one BLAS thread and a
#: fixed hash seed make reruns bit-for-bit identical.
DETERMINISTIC_ENV = {
    "PYTHONHASHSEED": "0",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "SOURCE_DATE_EPOCH": "0",
}


@dataclass(frozen=True)
class StudyPaths:
    """Where one run of the study writes its outputs.

    Parameters
    ----------
    root : Path
        Folder that receives ``results/``, ``notebooks/`` and ``reports/``.

    Examples
    --------
    >>> study_paths("run").tables.relative_to(Path.cwd()).as_posix()
    'run/results/tables'
    """

    root: Path

    @property
    def tables(self) -> Path:
        return self.root / "results" / "tables"

    @property
    def figures(self) -> Path:
        return self.root / "results" / "figures"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def reports(self) -> Path:
        return self.root / "reports"


#: Environment variable that ``python -m analysis report`` sets for each notebook's
#: kernel: the run's staging folder. Outputs go there, whatever ``out`` says, and are moved
#: to ``out`` (or the repository) only once every notebook of the run has succeeded.
STAGING_ENV = "ANALYSIS_STAGING_DIR"


def study_paths(out: str | Path | None = None) -> StudyPaths:
    """Return the output locations: the repository itself, or ``out`` when given.

    While a report runs (:data:`STAGING_ENV` is set), the run's staging folder instead: the
    notebook's parameters, and so its executed cells, stay those of the real destination.
    """
    staging = os.environ.get(STAGING_ENV)
    if staging:
        return StudyPaths(Path(staging))
    return StudyPaths(Path(out).resolve() if out else ROOT)
