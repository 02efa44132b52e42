"""Execute the study's notebooks top to bottom and render them as sanitised HTML.

The notebooks' sources are the paired ``notebooks/NN-name.py`` files (jupytext
``py:percent``). Each is executed in a fresh kernel with a pinned environment
(:data:`analysis.config.DETERMINISTIC_ENV`); execution timing is not recorded and
cell ids are derived from the cell position, so two runs write identical bytes.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import re
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING

from . import config
from .errors import InputError, Problem
from .outputs import _atomic_write
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
#: Cell tag whose code the HTML page leaves out (the .py and .ipynb keep it).
HIDE_INPUT = "hide-input"

#: Seconds each notebook takes on the study corpus (two at a time on the 2-core machine
#: of ``benchmarks/RESULTS.md``, kernel start and HTML included). Only their order
#: matters: :func:`notebook_schedule` starts the longest first.
NOTEBOOK_SECONDS = {"01-corpus": 3, "02-vocabulary": 7, "03-frames": 4, "04-topics": 17,
                    "05-framing-map": 4, "06-validation": 14}


class ReportError(RuntimeError):
    """A notebook failed or produced output that would make the report irreproducible."""


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


def notebook_prepare(source: Path, parameters: dict[str, str]) -> nbformat.NotebookNode:
    """Read a py:percent source, inject ``parameters`` after its ``parameters`` cell, fix ids."""
    import jupytext
    import nbformat

    nb = jupytext.read(source)
    if parameters:
        index = next((i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), None)
        if index is None:
            raise ReportError(f"{source}: no cell tagged 'parameters' — tag the cell holding corpus_dir and out_dir")
        code = "\n".join(f"{name} = {json.dumps(value)}" for name, value in sorted(parameters.items()))
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


def notebook_execute(nb: nbformat.NotebookNode, workdir: Path, timeout: int = 1200) -> nbformat.NotebookNode:
    """Run every cell in order in a fresh kernel; raise :class:`ReportError` on failure."""
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    env_backup = {k: os.environ.get(k) for k in config.DETERMINISTIC_ENV}
    os.environ.update(config.DETERMINISTIC_ENV)
    pythonpath = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(config.ROOT), pythonpath]))
    try:
        # IPC transport: the kernel talks to this process over local sockets, not TCP.
        with tempfile.TemporaryDirectory(prefix="analysis-kernel-") as sockets:
            manager = KernelManager(kernel_name="python3", transport="ipc",
                                    connection_file=str(Path(sockets) / "kernel.json"))
            client = NotebookClient(nb, km=manager, timeout=timeout, kernel_name="python3",
                                    record_timing=False, resources={"metadata": {"path": str(workdir)}})
            client.execute()
    except Exception as exc:  # nbclient raises several types; all mean the notebook failed
        raise ReportError(str(exc)) from exc
    finally:
        for key, value in env_backup.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if pythonpath is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = pythonpath
    notebook_check(nb)
    return nb


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


def notebook_run(source: Path, parameters: dict[str, str], paths: config.StudyPaths) -> tuple[str, str, float]:
    """Prepare, execute and write one notebook and its HTML; return (stem, title, seconds)."""
    import nbformat

    started = time.perf_counter()
    nb = notebook_prepare(source, parameters)
    try:
        notebook_execute(nb, config.NOTEBOOKS_DIR)
    except ReportError as exc:
        raise ReportError(f"{source.relative_to(config.ROOT)}: {exc}") from exc
    _atomic_write(paths.notebooks / f"{source.stem}.ipynb", nbformat.writes(nb).encode("utf-8") + b"\n")
    _atomic_write(paths.reports / f"{source.stem}.html", notebook_html(nb).encode("utf-8"))
    return source.stem, notebook_title(nb, source.stem), time.perf_counter() - started


def report_run(corpus: str | Path | None = None, out: str | Path | None = None,
               only: list[str] | None = None, workers: int | None = None, log=print) -> config.StudyPaths:
    """Execute every notebook and write notebooks, tables, figures and HTML.

    Notebooks are independent of one another (each loads the corpus and computes what it
    shows), so they run in parallel, one kernel per worker process; their outputs do not
    depend on the number of workers.

    Parameters
    ----------
    corpus : path, optional
        Corpus folder (default: the study's ``corpus/``).
    out : path, optional
        Write everything under this folder instead of the repository.
    only : list of str, optional
        Names (stems) of notebooks to run; default all.
    workers : int, optional
        Notebooks executed at once (default: the number of CPUs).
    log : callable
        Receives one progress line per notebook.
    """
    paths = config.study_paths(out)
    parameters = {}
    if corpus is not None:
        parameters["corpus_dir"] = str(Path(corpus).resolve())
    if out is not None:
        parameters["out_dir"] = str(paths.root)
    known = [s.stem for s in notebook_sources()]
    unknown = [name for name in (only or []) if name not in known]
    if unknown:
        raise InputError([Problem("--only", f"no notebook is named {name!r}", f"use one of {', '.join(known)}")
                          for name in unknown])
    sources = [s for s in notebook_sources() if not only or s.stem in only]
    workers = max(1, min(len(sources) or 1, workers or os.cpu_count() or 1))
    titles = {}
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(notebook_run, source, parameters, paths) for source in notebook_schedule(sources)]
        try:
            for future in as_completed(futures):
                stem, title, seconds = future.result()
                titles[stem] = title
                log(f"{stem}: {seconds:.1f} s")
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    if not only:
        entries = [(f"{s.stem}.html", titles[s.stem]) for s in sources]
        results = paths.root / "results"
        sidecar = manifest(results, stamp(corpus))
        _atomic_write(results / "MANIFEST.json", (json.dumps(sidecar, indent=1, sort_keys=True) + "\n").encode())
        log("results/MANIFEST.json: provenance stamp and sha256 of every table and figure")
        # After the manifest: the index shows its stamp.
        _atomic_write(paths.reports / "index.html", overview_page(paths, entries).encode("utf-8"))
    return paths
