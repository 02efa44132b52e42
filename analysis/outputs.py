"""Writing tables and figures so that two runs give identical bytes.

Tables are CSV with a fixed float format and ``\\n`` line endings; figures are PNG and
SVG with the metadata dates removed and a fixed SVG hash salt. Nothing is written
half-way: each file is written to a temporary name and renamed into place.
"""
from __future__ import annotations

import io
import os
import sys
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
#: Resolution of the saved PNG, and the pixels per inch at which a notebook shows it
#: (matplotlib's default ``figure.dpi``, which the inline backend uses).
SAVE_DPI = 150
SHOW_DPI = 100


def file_mode() -> int:
    """The mode a new file gets under the process' umask (``tempfile.mkstemp`` always uses 0600).

    Examples
    --------
    >>> old = os.umask(0o022); mode = file_mode(); _ = os.umask(old)
    >>> oct(mode)
    '0o644'
    """
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, file_mode())
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
    atomic_write(paths.tables / f"{name}.csv", table_to_csv(table).encode("utf-8"))


def save_figure(fig, paths: StudyPaths, name: str, show: bool = True) -> None:
    """Write ``fig`` as ``<figures>/<name>.png`` and ``.svg`` with reproducible bytes.

    In a notebook (an IPython kernel) and with ``show``, the PNG just written is also
    displayed, at the size the inline backend would use (:data:`SHOW_DPI` per inch), and
    the figure is closed: the notebook shows exactly the saved file, and the figure is
    not drawn a third time for the inline display. Returns nothing, so a notebook cell
    ending with this call shows no (machine-specific) path.
    """
    files = {}
    with mpl.rc_context(SAVE_RC):
        # Lay the figure out once (layout engine, tight bounding box) for both files,
        # rather than once more for each format.
        fig.draw_without_rendering()
        bbox = fig.get_tightbbox().padded(mpl.rcParams["savefig.pad_inches"])
        layout = fig.get_layout_engine()
        if layout is not None:
            fig.set_layout_engine("none")
        try:
            for ext, metadata in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
                buffer = io.BytesIO()
                fig.savefig(buffer, format=ext, dpi=SAVE_DPI, metadata=metadata, bbox_inches=bbox)
                files[ext] = buffer.getvalue()
        finally:
            if layout is not None:
                fig.set_layout_engine(layout)
    for ext, data in files.items():  # both rendered before either is written
        atomic_write(paths.figures / f"{name}.{ext}", data)
    png = files["png"]
    if show and _in_kernel():
        import matplotlib.pyplot as plt
        from IPython.display import Image, display

        width = round(int.from_bytes(png[16:20], "big") * SHOW_DPI / SAVE_DPI)  # IHDR: pixel width
        display(Image(data=png, format="png", width=width))
        plt.close(fig)


def _in_kernel() -> bool:
    """Whether this code runs in an IPython kernel (a notebook), without importing IPython."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "kernel", None) is not None
