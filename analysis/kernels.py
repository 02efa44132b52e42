"""Executing one notebook in a fresh kernel: prepare, execute, check its outputs, write it.

The notebooks' sources are the paired ``notebooks/NN-name.py`` files (jupytext
``py:percent``). Each is executed in a fresh kernel with a pinned environment
(:data:`analysis.config.DETERMINISTIC_ENV`); execution timing is not recorded and
cell ids are derived from the cell position, so two runs write identical bytes. On
Linux the kernels of a worker process are forked from a process that has imported
the scientific stack once (:mod:`analysis.kernel_fork`), which gives the same kernel
(tested) a few seconds sooner.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from . import config
from .notebook_html import notebook_html, notebook_title
from .outputs import atomic_write

if TYPE_CHECKING:
    import nbformat

# jupytext, nbformat, nbclient, nbconvert and bleach are imported where they are used:
# together they take about 1.7 s to import (nbformat's schema validation pulls in
# jsonschema's format checkers), and the process that only schedules the notebooks
# and writes the index never needs them; the worker processes import them once each.

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]{6,}")


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


#: matplotlib's configuration and font-list folder for the kernels (``.cache/`` is not tracked).
MPL_CONFIG_DIR = config.ROOT / ".cache" / "matplotlib"


#: Seconds each notebook takes on the study corpus with an empty ``.cache/`` (two at a time
#: on the 2-core machine of ``benchmarks/RESULTS.md``, kernel start and HTML included) when it
#: computes everything itself: 07 is given its time without waiting for the rule's table,
#: which 06 computes first, so that it starts after 04 and does not wait. Only their order
#: matters: :func:`notebook_schedule` starts the longest first.
NOTEBOOK_SECONDS = {"01-corpus": 4, "02-vocabulary": 11, "03-frames": 6, "04-topics": 21,
                    "05-framing-map": 5, "06-validation": 95, "07-robustness": 20}


#: Seconds a worker process is given to stop its kernel and exit before it is killed.
STOP_SECONDS = 10


class ReportError(RuntimeError):
    """A notebook failed or produced output that would make the report irreproducible.

    ``details`` holds the failing cell and its traceback as plain text, when there is one.
    """

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.details = details

    def __reduce__(self):  # raised in a worker process, re-raised in the scheduling one
        return type(self), (str(self), self.details)


def notebook_sources(notebooks_dir: Path = config.NOTEBOOKS_DIR) -> list[Path]:
    """The paired notebook sources ``NN-name.py``, in numeric order."""
    return sorted(p for p in notebooks_dir.glob("[0-9][0-9]-*.py"))


def notebook_schedule(sources: list[Path]) -> list[Path]:
    """``sources`` in the order to start them: longest first (:data:`NOTEBOOK_SECONDS`).

    With a few workers and notebooks of very different lengths, starting the longest
    first keeps one long notebook from running alone at the end (Graham's LPT rule). A
    notebook without an entry is taken to be as long as the longest, so it is not left
    to the end; ties keep numeric order. The order changes when the notebooks finish,
    never what they write.

    Examples
    --------
    >>> [p.stem for p in notebook_schedule([Path("01-corpus.py"), Path("06-validation.py"), Path("99-new.py")])]
    ['06-validation', '99-new', '01-corpus']
    """
    longest = max(NOTEBOOK_SECONDS.values())
    return sorted(sources, key=lambda p: -NOTEBOOK_SECONDS.get(p.stem, longest))


def _literal(value) -> str:
    # Strings keep the JSON spelling the injected cell has always had (so runs with
    # --corpus or --out write the same bytes as before); other values their repr.
    return json.dumps(value) if isinstance(value, str) else repr(value)


def notebook_prepare(source: Path, parameters: dict[str, object]) -> nbformat.NotebookNode:
    """Read a py:percent source, inject ``parameters`` after its ``parameters`` cell, fix ids."""
    import jupytext
    import nbformat

    nb = jupytext.read(source)
    if parameters:
        index = next((i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), None)
        if index is None:
            raise ReportError(f"{source}: no cell tagged 'parameters' — tag the cell holding corpus_dir and out_dir")
        code = "\n".join(f"{name} = {_literal(value)}" for name, value in sorted(parameters.items()))
        cell = nbformat.v4.new_code_cell("# Parameters injected by `python -m analysis report`\n" + code)
        cell.metadata["tags"] = ["injected-parameters"]
        nb.cells.insert(index + 1, cell)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
    # Keep the pairing (so saving the .ipynb in JupyterLab also updates the .py) but drop
    # the rest of jupytext's metadata, which records the jupytext version.
    nb.metadata["jupytext"] = {"formats": "ipynb,py:percent"}
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    return nb


def notebook_execute(nb: nbformat.NotebookNode, workdir: Path, staging: Path | None = None,
                     timeout: int = 1200) -> nbformat.NotebookNode:
    """Run every cell in order in a fresh kernel; raise :class:`ReportError` on failure.

    The kernel writes its tables and figures under ``staging`` when given
    (:data:`analysis.config.STAGING_ENV`), and is shut down before this returns. On
    SIGTERM the kernel is killed and the process exits with status 143 (see
    :func:`_stoppable`).
    """
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    from .kernel_fork import INLINE_BACKEND, ForkedProvisioner

    env = dict(config.DETERMINISTIC_ENV)
    # matplotlib's font list is built by the project's own kernels and kept with the project's
    # caches, so that a list left in the user's cache by another installation (one that, say,
    # lacked matplotlib's own fonts) cannot change which font the figures are drawn with
    env["MPLCONFIGDIR"] = str(MPL_CONFIG_DIR)
    env["MPLBACKEND"] = INLINE_BACKEND
    if staging is not None:
        env[config.STAGING_ENV] = str(staging)
    env_backup = {k: os.environ.get(k) for k in [*env, "PYTHONPATH"]}
    os.environ.update(env)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(config.ROOT), env_backup["PYTHONPATH"]]))
    try:
        # IPC transport: the kernel talks to this process over local sockets, not TCP.
        with tempfile.TemporaryDirectory(prefix="analysis-kernel-") as sockets:
            manager = KernelManager(kernel_name="python3", transport="ipc",
                                    connection_file=str(Path(sockets) / "kernel.json"))
            manager.kernel_id = str(uuid.uuid4())
            manager.provisioner = ForkedProvisioner(kernel_id=manager.kernel_id, kernel_spec=manager.kernel_spec,
                                                    parent=manager)
            client = NotebookClient(nb, km=manager, timeout=timeout, kernel_name="python3",
                                    record_timing=False, resources={"metadata": {"path": str(workdir)}})
            try:
                _stoppable(client.execute, lambda: (kernel_kill(manager), shutil.rmtree(sockets, True)))
            finally:
                kernel_shutdown(client, manager)
    except CellExecutionError as exc:
        index = next((i for i, cell in enumerate(nb.cells)
                      if any(o.get("output_type") == "error" for o in cell.get("outputs", []))), "?")
        evalue = (exc.evalue.splitlines() or [""])[0]
        raise ReportError(f"cell {index} raised {exc.ename}: {evalue}", _ANSI.sub("", exc.traceback)) from exc
    except Exception as exc:  # nbclient raises several types; all mean the notebook failed
        raise ReportError(str(exc)) from exc
    finally:
        for key, value in env_backup.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    notebook_check(nb)
    return nb


def _stoppable(work, stop) -> None:
    """Call ``work()`` in a thread; on SIGTERM meanwhile, call ``stop()`` and exit with status 143.

    nbclient replaces the SIGINT and SIGTERM handlers of the main thread while it
    executes a notebook, and on SIGTERM only schedules a shutdown while the execution goes
    on; run in another thread it installs none, and this thread answers SIGTERM at once.
    Outside the main thread (where no handler can be set) ``work()`` is simply called.
    """
    if threading.current_thread() is not threading.main_thread():
        work()
        return
    failure = []

    def target():
        try:
            work()
        except BaseException as exc:  # handed back to the calling thread
            failure.append(exc)

    def on_term(signum, frame):
        stop()
        os._exit(128 + signum)

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        thread = threading.Thread(target=target, name="notebook", daemon=True)
        thread.start()
        thread.join()
    finally:
        signal.signal(signal.SIGTERM, previous)
    if failure:
        raise failure[0]


def kernel_kill(manager) -> None:
    """Kill the kernel of ``manager`` and every process it started, and wait for it to end."""
    provisioner = getattr(manager, "provisioner", None)
    process = getattr(provisioner, "process", None)
    if process is None:
        return
    try:
        # The kernel leads its own process group (jupyter_client starts it in a new session,
        # a forked kernel makes one first thing); until it does, it is killed alone.
        try:
            os.killpg(getattr(provisioner, "pgid", None) or process.pid, signal.SIGKILL)
        except ProcessLookupError:
            process.kill()
        process.wait(timeout=STOP_SECONDS)
    except (OSError, subprocess.TimeoutExpired):  # already gone, or unkillable: nothing more to do
        pass


def kernel_shutdown(client, manager) -> None:
    """Close the client's channels and shut the kernel down, asking it first.

    nbclient shuts down only kernels it started itself; a kernel given to it outlives the
    notebook until its parent process exits, then stops with "Parent appears to have
    exited" on the terminal.
    """
    if client.kc is not None:
        client.kc.stop_channels()
    try:
        if manager.has_kernel:
            manager.shutdown_kernel(now=False)
    except RuntimeError:  # the kernel is already gone
        pass


def notebook_check(nb: nbformat.NotebookNode) -> None:
    """Refuse outputs that differ between runs (memory addresses) or report errors."""
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                raise ReportError(f"cell {i} raised {output.get('ename')}: {output.get('evalue')}")
            text = json.dumps({k: v for k, v in output.get("data", {}).items() if k.startswith("text/")})
            text += "".join(output.get("text", ""))
            if str(config.ROOT) in text or tempfile.gettempdir() + os.sep in text:
                raise ReportError(f"cell {i} prints a machine-specific path; outputs must not depend on "
                                  "where the study runs")
            if _ADDRESS.search(text):
                raise ReportError(f"cell {i} prints a memory address ({_ADDRESS.search(text).group(0).strip()}); "
                                  "end the cell with ';' or show a table instead of an object")


def notebook_run(source: Path, parameters: dict[str, object], paths: config.StudyPaths) -> tuple[str, str, float]:
    """Prepare, execute and write one notebook and its HTML under ``paths``; return (stem, title, seconds).

    The notebook's tables and figures go under ``paths`` too, whatever its ``out_dir``
    parameter says (:data:`analysis.config.STAGING_ENV`).
    """
    import nbformat

    started = time.perf_counter()
    nb = notebook_prepare(source, parameters)
    try:
        notebook_execute(nb, config.NOTEBOOKS_DIR, staging=paths.root)
    except ReportError as exc:
        raise ReportError(f"{path_shown(source)}: {exc}", exc.details) from exc
    atomic_write(paths.notebooks / f"{source.stem}.ipynb", nbformat.writes(nb).encode("utf-8") + b"\n")
    atomic_write(paths.reports / f"{source.stem}.html", notebook_html(nb).encode("utf-8"))
    return source.stem, notebook_title(nb, source.stem), time.perf_counter() - started


def path_shown(path: Path) -> str:
    """``path`` relative to the repository when inside it.

    Examples
    --------
    >>> path_shown(config.ROOT / "corpus" / "codebook.toml")
    'corpus/codebook.toml'
    """
    return path.relative_to(config.ROOT).as_posix() if path.is_relative_to(config.ROOT) else str(path)
