"""The study's run: check every input, execute the notebooks in worker processes, move the outputs into place.

Each notebook is executed by :func:`analysis.kernels.notebook_run` and rendered by
:mod:`analysis.notebook_html`; the parameters it is given are read by
:mod:`analysis.parameters`.

A run is all or nothing. Every input is checked before any kernel starts
(:func:`report_problems`); the notebooks write into a staging folder next to the
destination (:data:`analysis.config.STAGING_ENV`), and their outputs are moved into
place only when every notebook has succeeded (:func:`staging_commit`). A failed or
interrupted run (SIGINT, SIGTERM) stops its worker processes and their kernels, removes
the staging folder and leaves the previous outputs as they were.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from . import config
from .errors import InputError, Problem
from .kernels import (STOP_SECONDS, ReportError, notebook_run, notebook_schedule, notebook_sources,
                      path_shown)
from .outputs import atomic_write
from .overview import overview_page
from .parameters import ROUTED_PARAMETERS, notebook_parameters
from .provenance import manifest, stamp


class Interrupted(KeyboardInterrupt):
    """The run received SIGINT or SIGTERM (``signum``); nothing was moved into place."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def corpus_problems(corpus_dir: str | Path) -> list[Problem]:
    """Every problem ``python -m analysis validate`` reports for a corpus folder (none when sound).

    The texts and metadata first; the codebook once they are sound; the exemplars and the
    hand coding in ``annotations/`` (which need the codebook) once both are.
    """
    from .annotations import annotations_check
    from .codebook import codebook_check
    from .exemplars import exemplars_check
    from .readings import readings_check
    from .sources import corpus_check

    problems = corpus_check(Path(corpus_dir))
    if not problems:
        problems += codebook_check(Path(corpus_dir))
    if not problems:
        problems += exemplars_check(Path(corpus_dir))
        problems += annotations_check(Path(corpus_dir))
        problems += readings_check(Path(corpus_dir))
    return problems


def report_problems(corpus: str | Path | None, out: str | Path | None, only: list[str] | None,
                    parameters: dict[str, object], sources: list[Path]) -> list[Problem]:
    """Every problem that would stop a run, found before anything is written or started.

    ``sources`` are the notebooks the study has; ``only`` must name some of them, and
    every name in ``parameters`` must be declared by a notebook that will run.

    Examples
    --------
    >>> [p.problem for p in report_problems(None, None, ["99-x"], {}, [Path("01-corpus.py")])]
    ["no notebook is named '99-x'"]
    """
    problems = []
    known = [s.stem for s in sources]
    problems += [Problem("--only", f"no notebook is named {name!r}", f"use one of {', '.join(known)}")
                 for name in (only or []) if name not in known]
    if out is not None:
        problems += _out_problems(Path(out))
    elif corpus is not None and Path(corpus).resolve() != config.CORPUS_DIR.resolve():
        problems.append(Problem("--corpus", f"{corpus} is not the study's corpus, and without --out its results "
                                "would overwrite the study's committed results",
                                "pass --out DIR to write them to a folder of your own"))
    selected = {s: notebook_parameters(s) for s in sources if not only or s.stem in only}
    problems += [Problem(path_shown(s), "has no cell tagged 'parameters' assigning corpus_dir and out_dir",
                         "tag the cell holding corpus_dir = None and out_dir = None 'parameters'")
                 for s, names in selected.items() if not set(ROUTED_PARAMETERS) <= set(names)]
    declared = sorted(set().union(*selected.values()) - set(ROUTED_PARAMETERS))
    for name in parameters:
        if name in ROUTED_PARAMETERS:
            problems.append(Problem("-p", f"{name} is set by {ROUTED_PARAMETERS[name]}",
                                    f"use {ROUTED_PARAMETERS[name]} instead of -p {name}=…"))
        elif name not in declared:
            fix = f"use one of {', '.join(declared)}" if declared else "these notebooks take no other parameter"
            problems.append(Problem("-p", f"no notebook run declares a parameter {name!r}", fix))
    if problems:  # the corpus check reads every text: only worth it when the rest is sound
        return problems
    return corpus_problems(corpus if corpus is not None else config.CORPUS_DIR)


def _out_problems(out: Path) -> list[Problem]:
    """Problems of ``--out``: it, or the nearest of its parents that exists, must be a folder."""
    existing = next(p for p in [out, *out.parents] if p.exists() or p == p.parent)
    if existing.is_dir():
        return []
    where = "is a file" if existing == out else f"lies under {existing}, which is a file"
    return [Problem(out, f"--out {where}", "give a folder (new or existing) for --out")]


def staging_create(root: Path) -> Path:
    """A new empty folder for one run's outputs, on the file system of ``root``.

    It is made in ``root``, or in the nearest parent that exists, so that moving its
    files into place is a rename and a failed run leaves no new folder behind.
    """
    anchor = next(p for p in [root, *root.parents] if p.is_dir())
    return Path(tempfile.mkdtemp(prefix=".report-staging-", dir=anchor))


def staging_commit(staging: Path, root: Path) -> list[Path]:
    """Move every file of ``staging`` to the same place under ``root``; return the files moved.

    Files under ``root`` that the run did not write (other notebooks' outputs after
    ``--only``, anything else) are left alone.
    """
    moved = []
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        target = root / path.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        moved.append(target)
    return moved


def _submit(pool, source: Path, parameters: dict, paths: config.StudyPaths):
    """``pool.submit(notebook_run, …)`` with SIGINT ignored meanwhile.

    A worker process is started by the first submissions; an ignored signal stays
    ignored across ``exec``, so a Ctrl-C while the new worker still imports its modules
    (before :func:`_worker_start` runs) cannot end it with a traceback.
    """
    if threading.current_thread() is not threading.main_thread():
        return pool.submit(notebook_run, source, parameters, paths)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return pool.submit(notebook_run, source, parameters, paths)
    finally:
        signal.signal(signal.SIGINT, previous)


def notebook_pool(workers: int):
    """The executor that runs the notebooks: ``workers`` fresh processes, started by spawn."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_start)


def _worker_start() -> None:
    # Ctrl-C in a terminal reaches every process of the foreground group; the scheduling
    # process alone decides what to stop (it sends SIGTERM to each worker).
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def workers_stop(processes) -> None:
    """Ask each worker process to stop (SIGTERM: it kills its kernel), then kill those that have not."""
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(STOP_SECONDS)
        if process.is_alive():
            process.kill()
            process.join()


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _signals_set(handler) -> dict:
    """Set ``handler`` for SIGINT and SIGTERM (main thread only); return the handlers it replaced."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {signum: signal.signal(signum, handler) for signum in (signal.SIGINT, signal.SIGTERM)}


def _interrupt(signum, frame):
    raise Interrupted(signum)


#: A notebook's line in the report's log, as :func:`notebook_done` writes it: its name and seconds.
NOTEBOOK_DONE = re.compile(r"^(\d\d-[\w-]+): done in ([\d.]+) s\b", re.M)


def notebook_done(stem: str, seconds: float) -> str:
    """The log's line for a finished notebook (read back by ``benchmarks.report``).

    Examples
    --------
    >>> line = notebook_done("04-topics", 16.42)
    >>> line, NOTEBOOK_DONE.findall(line + " (1/7; 19 s in; running: none)")
    ('04-topics: done in 16.4 s', [('04-topics', '16.4')])
    """
    return f"{stem}: done in {seconds:.1f} s"


def notebooks_run(sources: list[Path], parameters: dict[str, dict], paths: config.StudyPaths,
                  workers: int, log) -> dict[str, str]:
    """Run ``sources`` in this order, ``workers`` at a time; return each notebook's title.

    Each notebook is handed to a worker only when one is free, so its "started" line is
    logged when it starts; each line says how many have started (or finished) of all,
    the seconds since the run began and which notebooks are running. The first failure, or an interrupt, stops every worker and its
    kernel before the exception propagates.
    """
    before = set(multiprocessing.active_children())
    pool = notebook_pool(workers)
    pending, running, titles = deque(sources), {}, {}
    start, n = time.monotonic(), len(sources)

    def progress(event: str, count: int) -> str:
        names = ", ".join(sorted(s.stem for s in running.values())) or "none"
        return f"{event} ({count}/{n}; {time.monotonic() - start:.0f} s in; running: {names})"

    try:
        while pending or running:
            while pending and len(running) < workers:
                source = pending.popleft()
                running[_submit(pool, source, parameters[source.stem], paths)] = source
                log(progress(f"{source.stem}: started", n - len(pending)))
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: running[f].stem):
                source = running.pop(future)
                try:
                    stem, title, seconds = future.result()
                except BrokenProcessPool as exc:
                    raise ReportError(f"{path_shown(source)}: its worker process ended unexpectedly ({exc})") from exc
                titles[stem] = title
                log(progress(notebook_done(stem, seconds), len(titles)))
    except BaseException:
        _signals_set(signal.SIG_IGN)  # let the workers and their kernels be stopped
        workers_stop(sorted(set(multiprocessing.active_children()) - before, key=lambda p: p.pid))
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return titles


def report_plan(corpus: str | Path | None, out: str | Path | None, only: list[str] | None,
                parameters: dict[str, object]) -> tuple[config.StudyPaths, dict[str, dict[str, object]]]:
    """Check a run's inputs (:func:`report_problems`) and say what it will do.

    Returns where the outputs go, and for each notebook to run (by stem) the parameters
    to inject: ``corpus_dir`` and ``out_dir`` from ``corpus`` and ``out``, and those of
    ``parameters`` it declares. Raises :class:`InputError` listing every problem.
    """
    paths = config.study_paths(out)
    problems = report_problems(corpus, out, only, parameters, notebook_sources())
    if problems:
        raise InputError(problems)
    parameters = dict(parameters)
    if corpus is not None:
        parameters["corpus_dir"] = str(Path(corpus).resolve())
    if out is not None:
        parameters["out_dir"] = str(paths.root)
    return paths, {s.stem: {k: v for k, v in parameters.items() if k in notebook_parameters(s)}
                   for s in notebook_sources() if not only or s.stem in only}


def report_run(corpus: str | Path | None = None, out: str | Path | None = None,
               only: list[str] | None = None, workers: int | None = None,
               parameters: dict[str, object] | None = None, log=_progress) -> config.StudyPaths:
    """Check every input, execute the notebooks, then move notebooks, tables, figures and HTML into place.

    Notebooks are independent of one another (each loads the corpus and computes what it
    shows), so they run in parallel, one kernel per worker process; their outputs do not
    depend on the number of workers. Everything is written to a staging folder first and
    moved into place only when every notebook has succeeded; a failure or an interrupt
    leaves the previous outputs as they were and no staging folder.

    Parameters
    ----------
    corpus : path, optional
        Corpus folder (default: the study's ``corpus/``). Another corpus needs ``out``.
    out : path, optional
        Write everything under this folder instead of the repository.
    only : list of str, optional
        Names (stems) of notebooks to run; default all. Only their outputs are replaced:
        the other notebooks' outputs, ``reports/index.html`` and ``results/MANIFEST.json``
        stay as they were.
    workers : int, optional
        Notebooks executed at once (default: the number of CPUs).
    parameters : dict, optional
        Values for the ``parameters`` cells, each given to every notebook that declares it.
    log : callable
        Receives the progress lines (default: printed on stderr).

    Raises
    ------
    InputError
        Bad input (corpus, codebook, exemplars, ``out``, ``only``, ``parameters``), before
        anything is written or any kernel started.
    ReportError
        A notebook failed.
    Interrupted
        SIGINT or SIGTERM arrived before the outputs were moved into place.
    """
    previous = _signals_set(_interrupt)  # from the start, so that the message is the same during the checks
    try:
        paths, injected = report_plan(corpus, out, only, parameters or {})
        sources = [s for s in notebook_sources() if s.stem in injected]
        workers = max(1, min(len(sources) or 1, workers or os.cpu_count() or 1))
        staging = None
        try:
            staging = staging_create(paths.root)
            staged = config.StudyPaths(staging)
            titles = notebooks_run(notebook_schedule(sources), injected, staged, workers, log)
            if not only:
                entries = [(f"{s.stem}.html", titles[s.stem]) for s in sources]
                results = staged.root / "results"
                sidecar = manifest(results, stamp(corpus))
                atomic_write(results / "MANIFEST.json",
                              (json.dumps(sidecar, indent=1, sort_keys=True) + "\n").encode())
                # after the manifest: the index shows its stamp
                atomic_write(staged.reports / "index.html", overview_page(staged, entries).encode("utf-8"))
            # From here on the run has succeeded: a signal waits until every file is in place.
            late = []
            _signals_set(lambda signum, frame: late.append(signum))
            staging_commit(staging, paths.root)
            if late:
                log(f"{signal.Signals(late[0]).name} received while the outputs were moved into place; "
                    "the run is complete")
        finally:
            _signals_set(signal.SIG_IGN)  # a second Ctrl-C must not leave the staging folder half removed
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if not only:
        log("results/MANIFEST.json: provenance stamp and sha256 of every table and figure")
    return paths
