"""Execute the study's notebooks top to bottom and render them as sanitised HTML.

The notebooks' sources are the paired ``notebooks/NN-name.py`` files (jupytext
``py:percent``). Each is executed in a fresh kernel with a pinned environment
(:data:`analysis.config.DETERMINISTIC_ENV`); execution timing is not recorded and
cell ids are derived from the cell position, so two runs write identical bytes.

A run is all or nothing. Every input is checked before any kernel starts
(:func:`report_problems`); the notebooks write into a staging folder next to the
destination (:data:`analysis.config.STAGING_ENV`), and their outputs are moved into
place only when every notebook has succeeded (:func:`staging_commit`). A failed or
interrupted run (SIGINT, SIGTERM) stops its worker processes and their kernels, removes
the staging folder and leaves the previous outputs as they were.
"""
from __future__ import annotations

import ast
import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING

from . import config
from .errors import InputError, Problem
from .outputs import atomic_write
from .overview import overview_page
from .provenance import manifest, stamp

if TYPE_CHECKING:
    import nbformat

# jupytext, nbformat, nbclient, nbconvert and bleach are imported where they are used:
# together they take about 1.7 s to import (nbformat's schema validation pulls in
# jsonschema's format checkers), and the process that only schedules the notebooks
# and writes the index never needs them; the worker processes import them once each.

#: Tags and attributes kept in rendered Markdown and HTML outputs; any other tag is escaped
#: (shown as text), any other attribute dropped. No script, no event handlers, no iframes.
#: ``style`` is kept for the scoped CSS pandas puts before its tables; article text never
#: reaches it unescaped because pandas escapes cell values.
SAFE_TAGS = ["a", "abbr", "b", "blockquote", "br", "caption", "code", "del", "div", "em", "h1", "h2",
             "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "span", "strong", "style", "sub",
             "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"]
SAFE_ATTRIBUTES = {"*": ["class", "id"], "a": ["href", "title"], "th": ["colspan", "rowspan"],
                   "td": ["colspan", "rowspan"], "style": ["scoped"]}
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]{6,}")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: Cell tag whose code the HTML page leaves out (the .py and .ipynb keep it).
HIDE_INPUT = "hide-input"

#: Seconds each notebook takes on the study corpus (two at a time on the 2-core machine
#: of ``benchmarks/RESULTS.md``, kernel start and HTML included). Only their order
#: matters: :func:`notebook_schedule` starts the longest first.
NOTEBOOK_SECONDS = {"01-corpus": 3, "02-vocabulary": 7, "03-frames": 4, "04-topics": 17,
                    "05-framing-map": 4, "06-validation": 14}


#: Parameters that ``--corpus`` and ``--out`` set; ``-p`` may not set them.
ROUTED_PARAMETERS = {"corpus_dir": "--corpus", "out_dir": "--out"}

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


class Interrupted(KeyboardInterrupt):
    """The run received SIGINT or SIGTERM (``signum``); nothing was moved into place."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


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
    >>> [p.stem for p in notebook_schedule([Path("01-corpus.py"), Path("04-topics.py"), Path("99-new.py")])]
    ['04-topics', '99-new', '01-corpus']
    """
    longest = max(NOTEBOOK_SECONDS.values())
    return sorted(sources, key=lambda p: -NOTEBOOK_SECONDS.get(p.stem, longest))


_CELL = re.compile(r"^# %%(.*)$", re.MULTILINE)


def notebook_parameters(source: Path) -> list[str]:
    """Names assigned in the cell of the py:percent ``source`` tagged ``parameters`` (:func:`parameters_declared`)."""
    return parameters_declared(source.read_text(encoding="utf-8"))


def parameters_declared(text: str) -> list[str]:
    """Names assigned in the cell of a py:percent ``text`` tagged ``parameters`` (none without one).

    The text is read directly: the scheduling process never imports jupytext (see the
    note on imports above).

    Examples
    --------
    >>> parameters_declared('# %% tags=["parameters"]\\nk = 3  # topics\\nname = None\\n\\n# %%\\nz = 1\\n')
    ['k', 'name']
    """
    headers = list(_CELL.finditer(text))
    for header, following in zip(headers, headers[1:] + [None]):
        if re.search(r"""\btags=\[[^\]]*["']parameters["']""", header.group(1)):
            body = text[header.end():following.start() if following else len(text)]
            names = set()
            for node in ast.parse(body).body:
                targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
                names.update(t.id for t in targets if isinstance(t, ast.Name))
            return sorted(names)
    return []


def parameter_parse(text: str) -> tuple[str, object]:
    """``name=value`` as given to ``-p``: the value is a Python literal if it reads as one, else a string.

    Examples
    --------
    >>> parameter_parse("topic_k=6"), parameter_parse("progress=True"), parameter_parse("label=two words")
    (('topic_k', 6), ('progress', True), ('label', 'two words'))
    >>> parameter_parse("claims=[]"), parameter_parse("when=2020-01-01")
    (('claims', []), ('when', '2020-01-01'))
    """
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise InputError(Problem("-p", f"{text!r} is not name=value",
                                 "write -p name=value, e.g. -p topic_k=6 (a Python literal, else a string)"))
    try:
        return name, ast.literal_eval(value.strip())
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return name, value


def parameters_parse(texts: list[str]) -> dict[str, object]:
    """``-p`` arguments as a dictionary; raise :class:`InputError` listing every malformed or repeated one.

    Examples
    --------
    >>> parameters_parse(["topic_k=6", "target_window=0"])
    {'topic_k': 6, 'target_window': 0}
    """
    parameters, problems = {}, []
    for text in texts:
        try:
            name, value = parameter_parse(text)
        except InputError as exc:
            problems += exc.problems
            continue
        if name in parameters:
            problems.append(Problem("-p", f"{name} is given twice", "give each parameter once"))
        parameters[name] = value
    if problems:
        raise InputError(problems)
    return parameters


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

    env = dict(config.DETERMINISTIC_ENV)
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
        # The kernel leads its own process group (jupyter_client starts it in a new session).
        os.killpg(getattr(provisioner, "pgid", None) or process.pid, signal.SIGKILL)
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


def html_clean(html_text) -> str:
    """Sanitise an HTML fragment: keep :data:`SAFE_TAGS` and :data:`SAFE_ATTRIBUTES`, escape the rest.

    Examples
    --------
    >>> html_clean('<h2 id="x">Title</h2><script>alert(1)</script><img src=x onerror=alert(1)>')
    '<h2 id="x">Title</h2>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;'
    >>> html_clean('<p onclick="f()">a</p><a href="javascript:f()">link</a>')
    '<p>a</p><a>link</a>'
    """
    import bleach

    text = html_text.decode() if isinstance(html_text, bytes) else str(html_text)
    return bleach.clean(text, tags=SAFE_TAGS, attributes=SAFE_ATTRIBUTES, strip=False)


def notebook_html(nb: nbformat.NotebookNode) -> str:
    """Render ``nb`` as HTML with every Markdown cell and HTML output sanitised by :func:`html_clean`.

    nbconvert's own sanitiser escapes headings, paragraphs and table headers, which
    makes the rendered notebooks unreadable; the exporter's ``clean_html`` filter is
    replaced by :func:`html_clean`, which keeps those and still refuses scripts.
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="lab")
    exporter.sanitize_html = True
    exporter.register_filter("clean_html", html_clean)
    # Cells that only assemble prose or set up the run show their output, not their code.
    exporter.register_preprocessor(TagRemovePreprocessor(remove_input_tags={HIDE_INPUT}), enabled=True)
    body, _ = exporter.from_notebook_node(nb)
    return scripts_removed(body)


_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>\s*", re.IGNORECASE | re.DOTALL)


def scripts_removed(page: str) -> str:
    """``page`` without its ``<script>`` elements.

    The exporter's template loads require.js and MathJax from a CDN and adds a module
    script; a rendered study needs none of them, and a page that runs or fetches
    nothing leaks nothing and works offline. Notebook content cannot add a script: it
    is escaped by :func:`html_clean` before it reaches the page.

    Examples
    --------
    >>> scripts_removed('<head><script src="https://x/y.js"></script> <title>t</title></head>')
    '<head><title>t</title></head>'
    """
    return _SCRIPT.sub("", page)


def notebook_title(nb: nbformat.NotebookNode, fallback: str) -> str:
    """The first Markdown heading of ``nb``, or ``fallback``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return fallback


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
        raise ReportError(f"{_shown(source)}: {exc}", exc.details) from exc
    atomic_write(paths.notebooks / f"{source.stem}.ipynb", nbformat.writes(nb).encode("utf-8") + b"\n")
    atomic_write(paths.reports / f"{source.stem}.html", notebook_html(nb).encode("utf-8"))
    return source.stem, notebook_title(nb, source.stem), time.perf_counter() - started


def _shown(path: Path) -> str:
    """``path`` relative to the repository when inside it."""
    return path.relative_to(config.ROOT).as_posix() if path.is_relative_to(config.ROOT) else str(path)


def corpus_problems(corpus_dir: str | Path) -> list[Problem]:
    """Every problem ``python -m analysis validate`` reports for a corpus folder (none when sound).

    The texts and metadata first; the codebook once they are sound; the exemplars and the
    hand coding in ``annotations/`` (which need the codebook) once both are.
    """
    from .codebook import codebook_check
    from .exemplars import exemplars_check
    from .sources import corpus_check
    from .annotations import annotations_check

    problems = corpus_check(Path(corpus_dir))
    if not problems:
        problems += codebook_check(Path(corpus_dir))
    if not problems:
        problems += exemplars_check(Path(corpus_dir))
        problems += annotations_check(Path(corpus_dir))
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
    problems += [Problem(_shown(s), "has no cell tagged 'parameters' assigning corpus_dir and out_dir",
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


def notebooks_run(sources: list[Path], parameters: dict[str, dict], paths: config.StudyPaths,
                  workers: int, log) -> dict[str, str]:
    """Run ``sources`` in this order, ``workers`` at a time; return each notebook's title.

    Each notebook is handed to a worker only when one is free, so its "started" line is
    logged when it starts. The first failure, or an interrupt, stops every worker and its
    kernel before the exception propagates.
    """
    before = set(multiprocessing.active_children())
    pool = notebook_pool(workers)
    pending, running, titles = deque(sources), {}, {}
    try:
        while pending or running:
            while pending and len(running) < workers:
                source = pending.popleft()
                running[_submit(pool, source, parameters[source.stem], paths)] = source
                log(f"{source.stem}: started")
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: running[f].stem):
                source = running.pop(future)
                try:
                    stem, title, seconds = future.result()
                except BrokenProcessPool as exc:
                    raise ReportError(f"{_shown(source)}: its worker process ended unexpectedly ({exc})") from exc
                titles[stem] = title
                log(f"{stem}: done in {seconds:.1f} s")
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
