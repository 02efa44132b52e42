"""Writing tables and figures so that two runs give identical bytes.

Tables are CSV with a fixed float format and ``\\n`` line endings; figures are PNG and
SVG with the metadata dates removed and a fixed SVG hash salt. Nothing is written
half-way: each file is written to a temporary name and renamed into place.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import matplotlib as mpl
import pandas as pd

from .config import StudyPaths

#: Significant digits kept in CSV output; enough for every statistic reported and
#: few enough that the last bit of floating-point noise never reaches the file.
FLOAT_FORMAT = "%.6g"

#: rcParams applied (in a context, never globally) while a figure is saved.
SAVE_RC = {"svg.hashsalt": "analysis", "svg.fonttype": "path", "pdf.fonttype": 42}


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def table_to_csv(table: pd.DataFrame) -> str:
    """The CSV text written for ``table`` (no index, fixed float format).

    Examples
    --------
    >>> print(table_to_csv(pd.DataFrame({"x": [1.0 / 3]})), end="")
    x
    0.333333
    """
    return table.to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n")


def save_table(table: pd.DataFrame, paths: StudyPaths, name: str) -> None:
    """Write ``table`` to ``<tables>/<name>.csv``.

    Returns nothing, so a notebook cell ending with this call shows no (machine-specific) path.
    """
    _atomic_write(paths.tables / f"{name}.csv", table_to_csv(table).encode("utf-8"))


def save_figure(fig, paths: StudyPaths, name: str) -> None:
    """Write ``fig`` as ``<figures>/<name>.png`` and ``.svg`` with reproducible bytes.

    Returns nothing, so a notebook cell ending with this call shows no (machine-specific) path.
    """
    for ext, metadata in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        path = paths.figures / f"{name}.{ext}"
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=f".{ext}")
        os.close(fd)
        try:
            with mpl.rc_context(SAVE_RC):
                fig.savefig(tmp, format=ext, dpi=150, metadata=metadata, bbox_inches="tight")
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
