"""Provenance stamps: which code, corpus, codebook, settings and packages made a result.

Hashes are of content, not of version-control state, so a stamp can be recomputed from
any copy of the repository and a committed output can carry the stamp of the code that
made it.
"""
from __future__ import annotations

import hashlib
import json
import sys
from importlib import metadata
from pathlib import Path

from . import config
from .sources import corpus_hash

#: Distributions whose versions are recorded in every stamp.
PACKAGES = ("numpy", "scipy", "pandas", "scikit-learn", "nltk", "matplotlib", "networkx",
            "nbclient", "nbconvert", "jupytext")


def files_hash(paths: list[Path], root: Path) -> str:
    """sha256 over the names (relative to ``root``) and bytes of ``paths``, sorted."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def code_hash(root: Path = config.ROOT) -> str:
    """sha256 of the package and the notebook sources (the code that makes every result)."""
    files = list((root / "analysis").rglob("*.py")) + list((root / "notebooks").glob("[0-9][0-9]-*.py"))
    return files_hash(files, root)


def spec_hash(settings: dict) -> str:
    """sha256 of a settings dictionary (canonical JSON).

    Examples
    --------
    >>> spec_hash({"b": 1, "a": 2}) == spec_hash({"a": 2, "b": 1})
    True
    """
    return hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()


def study_settings() -> dict:
    """The study-wide settings that every result depends on."""
    return {"seed": config.SEED, "n_boot": config.N_BOOT, "n_perm": config.N_PERM,
            "confidence": config.CONFIDENCE, "environment": config.DETERMINISTIC_ENV}


def stamp(corpus_dir: str | Path | None = None, codebook_path: str | Path | None = None) -> dict:
    """The provenance stamp of a run on ``corpus_dir`` (default: the study's corpus)."""
    corpus_dir = Path(corpus_dir) if corpus_dir is not None else config.CORPUS_DIR
    if codebook_path is None:
        own = corpus_dir / "codebook.toml"
        codebook_path = own if own.exists() else config.CORPUS_DIR / "codebook.toml"
    settings = study_settings()
    return {
        "code_sha256": code_hash(),
        "corpus_sha256": corpus_hash(corpus_dir),
        "codebook_sha256": hashlib.sha256(Path(codebook_path).read_bytes()).hexdigest(),
        "spec_sha256": spec_hash(settings),
        "settings": settings,
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
        "packages": {name: metadata.version(name) for name in PACKAGES},
    }


def manifest(results_dir: Path, run_stamp: dict) -> dict:
    """The stamp plus the sha256 of every file under ``results_dir`` (the sidecar)."""
    files = sorted(p for p in results_dir.rglob("*") if p.is_file() and p.name != "MANIFEST.json")
    return {"stamp": run_stamp,
            "files": {p.relative_to(results_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                      for p in files}}


def stamp_table(run_stamp: dict) -> "pd.DataFrame":
    """The stamp as a two-column table (``item``, ``value``) for display in a notebook.

    Examples
    --------
    >>> stamp_table({"a": 1, "b": {"c": 2}}).values.tolist()
    [['a', '1'], ['b.c', '2']]
    """
    import pandas as pd

    rows = []

    def walk(prefix, value):
        if isinstance(value, dict):
            for key in sorted(value):
                walk(f"{prefix}.{key}" if prefix else key, value[key])
        else:
            rows.append((prefix, str(value)))

    walk("", run_stamp)
    return pd.DataFrame(rows, columns=["item", "value"])
