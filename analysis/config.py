"""One place for the study's paths, defaults and seeds.

Every other module and every notebook takes its paths and defaults from here, so a
researcher who points the study at another corpus changes one argument, not many
strings.
"""
from __future__ import annotations

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


def study_paths(out: str | Path | None = None) -> StudyPaths:
    """Return the output locations: the repository itself, or ``out`` when given."""
    return StudyPaths(Path(out).resolve() if out else ROOT)
