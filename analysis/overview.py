"""The page a reviewer opens first: ``reports/index.html``.

It is built from what a run of the study wrote — ``results/tables/*.csv``,
``results/figures/*.png``, ``results/MANIFEST.json`` and the executed notebooks — and
shows on one screen the study's answer (the framing map, each claim with its robustness
verdict), how far each measure agrees with the hand coding, the corpus it ran on and
the provenance stamp, then links to every notebook page, figure and table.

Nothing on the page is typed here: every number is read from a file the notebooks or
the report runner wrote. A table a corpus does not produce (a corpus without hand
coding has no validation table) is named as missing, with the reason. Every piece of
text that comes from data is HTML-escaped; the page fetches and runs nothing (inline
CSS, no ``<script>``), and every link is relative to the page, so the folder can be
moved or opened offline.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

import pandas as pd

from .config import StudyPaths
from .notebook_html import caption_of

#: The headline figure (notebook 05) and the tables the page summarises (claims: notebook 07).
MAP_FIGURE = "framing_map"
CLAIMS_TABLE = "multiverse_claims"
VALIDITY_TABLE = "validation_intervals"
COUNTS_TABLE = "corpus_counts"
PROVENANCE_TABLE = "corpus_provenance"


#: Small inline style sheet: readable on a laptop screen, and in print without colour or links.
CSS = """
body { font: 16px/1.5 Georgia, 'Times New Roman', serif; color: #1d1d1d; background: #fff;
       max-width: 72rem; margin: 0 auto; padding: 1.5rem 1.5rem 3rem; }
h1 { font-size: 1.7rem; margin: 0 0 .2rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
p, li { max-width: 46rem; }
.lead { color: #444; margin-top: 0; }
.note { color: #555; font-size: .9rem; }
.missing { color: #7a4b00; background: #fff6e5; border-left: 3px solid #e0a030; padding: .3rem .6rem; }
code, .hash { font-family: Menlo, Consolas, monospace; font-size: .85em; }
.hash { word-break: break-all; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { padding: .25rem .6rem; border-bottom: 1px solid #e2e2e2; vertical-align: top; }
th { text-align: left; border-bottom: 2px solid #999; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num { text-align: right; }
td.text { text-align: left; }
td.verdict { white-space: nowrap; }
.robust { color: #14622d; font-weight: bold; }
.fragile { color: #8a5a00; font-weight: bold; }
.not-supported { color: #9b1c1c; font-weight: bold; }
figure { margin: .5rem 0 1rem; }
figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { font-size: .9rem; color: #444; max-width: 46rem; }
.answer { display: grid; grid-template-columns: minmax(0, 5fr) minmax(0, 6fr); gap: 1.5rem; align-items: start; }
@media (max-width: 60rem) { .answer { grid-template-columns: minmax(0, 1fr); } }
table.stamp th { border-bottom: 1px solid #e2e2e2; white-space: nowrap; }
ul.files { columns: 2; column-gap: 2rem; padding-left: 1.2rem; }
ul.files li { break-inside: avoid; }
a { color: #1a4f8b; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  a { color: inherit; text-decoration: none; }
  .answer { grid-template-columns: minmax(0, 1fr); }
  h2 { break-after: avoid; }
  table, figure { break-inside: avoid; }
  .robust, .fragile, .not-supported { color: #000; }
}
""".strip()


def _e(value) -> str:
    """``value`` as escaped HTML text (quotes too, so it is safe in an attribute)."""
    return html.escape(str(value), quote=True)


def table_read(tables: Path, name: str, columns: tuple[str, ...] = ()) -> tuple[pd.DataFrame | None, str]:
    """Read ``<tables>/<name>.csv``; return ``(table, "")`` or ``(None, why it cannot be shown)``.

    Examples
    --------
    >>> table_read(Path("nowhere"), "claims")
    (None, 'results/tables/claims.csv was not written by this run')
    """
    path = tables / f"{name}.csv"
    if not path.is_file():
        return None, f"results/tables/{name}.csv was not written by this run"
    try:
        table = pd.read_csv(path, keep_default_na=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        return None, f"results/tables/{name}.csv cannot be read ({type(exc).__name__})"
    absent = [c for c in columns if c not in table.columns]
    if absent:
        return None, f"results/tables/{name}.csv has no column {', '.join(absent)}"
    return table, ""


def figure_captions(notebooks: Path, figures: Path) -> dict[str, tuple[str, str]]:
    """The notebook that shows each figure file (by stem), and the figure's caption there.

    A notebook shows exactly the PNG it saved (:func:`analysis.outputs.save_figure`), so
    an image output is matched to its file by its bytes, and takes the caption of the
    first Markdown cell after it when that cell holds one (``*Figure N. …*``; empty
    when it does not).
    """
    by_hash = {hashlib.sha256(p.read_bytes()).hexdigest(): p.stem for p in sorted(figures.glob("*.png"))}
    captions: dict[str, tuple[str, str]] = {}
    for path in sorted(notebooks.glob("[0-9][0-9]-*.ipynb")):
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue  # an unreadable notebook only costs its captions
        pending: list[str] = []
        for cell in cells:
            if cell.get("cell_type") == "code":
                for output in cell.get("outputs", []):
                    png = output.get("data", {}).get("image/png")
                    if png:
                        digest = hashlib.sha256(base64.b64decode("".join(png))).hexdigest()
                        if digest in by_hash:
                            pending.append(by_hash[digest])
            elif cell.get("cell_type") == "markdown" and pending:
                text = caption_of("".join(cell.get("source", "")))
                captions.update({stem: (path.stem, text) for stem in pending if stem not in captions})
                pending = []
        captions.update({stem: (path.stem, "") for stem in pending if stem not in captions})
    return captions


def figure_alt(stem: str, captions: dict[str, tuple[str, str]]) -> str:
    """The figure's caption, or its file name in words when no notebook captions it.

    Examples
    --------
    >>> figure_alt("framing_map", {})
    'Figure: framing map'
    """
    return captions.get(stem, ("", ""))[1] or "Figure: " + stem.replace("_", " ")


def notebook_ref(entries: list[tuple[str, str]], number: str, where: str = "") -> str:
    """``notebook NN`` (and ``where`` in it), linked to its page when the run wrote one.

    Examples
    --------
    >>> notebook_ref([("07-robustness.html", "07 — Robustness")], "07", "section 3")
    '<a href="07-robustness.html">notebook 07, section 3</a>'
    >>> notebook_ref([], "01")
    'notebook 01'
    """
    text = _e(f"notebook {number}" + (f", {where}" if where else ""))
    href = next((h for h, _ in entries if Path(h).name.startswith(f"{number}-")), None)
    return f'<a href="{_e(href)}">{text}</a>' if href else text


def _missing(reason: str, consequence: str) -> str:
    return f'<p class="missing">{_e(consequence)} ({_e(reason)}).</p>'


def _percent(value) -> str:
    return "—" if pd.isna(value) else f"{float(value):.0%}"


def _number(value, decimals: int = 2) -> str:
    return "—" if pd.isna(value) else f"{float(value):.{decimals}f}"


def _integer(value) -> str:
    return "—" if pd.isna(value) else f"{int(value):,}"


def claims_section(tables: Path, entries: list[tuple[str, str]]) -> str:
    """The claims of notebook 07 with their shares and robustness verdicts."""
    claims, why = table_read(tables, CLAIMS_TABLE, ("claim", "share", "verdict"))
    if claims is None:
        return _missing(why, "No claim was tested on this corpus")
    valid = "share_valid_measures" in claims.columns
    head = ["claim", "holds in"] + (["valid measures"] if valid else []) + ["refits", "verdict"]
    rows = []
    for r in claims.itertuples(index=False):
        loo = (f"{_integer(r.loo_held)} of {_integer(r.loo_evaluated)}"
               if hasattr(r, "loo_held") and hasattr(r, "loo_evaluated") and not pd.isna(r.loo_evaluated) else "—")
        verdict = "" if pd.isna(r.verdict) else str(r.verdict)
        cells = [f'<td class="text">{_e(r.claim)}</td>', f'<td class="num">{_percent(r.share)}</td>']
        cells += [f'<td class="num">{_percent(r.share_valid_measures)}</td>'] if valid else []
        cells += [f'<td class="num">{_e(loo)}</td>',
                  f'<td class="verdict {_e(re.sub(r"[^a-z]+", "-", verdict.lower()))}">{_e(verdict or "—")}</td>']
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (_table(head, rows, numeric=set(range(1, len(head) - 1)))
            + '<p class="note"><em>Holds in</em>: the share of the specifications (a grid of reasonable analysis '
            'choices) in which the claim holds'
            + ('; <em>valid measures</em>: the same share among the measures that beat chance on the hand coding'
               if valid else "")
            + '; <em>refits</em>: how many leave-one-article-out refits of the combined index keep it. The verdict '
            'rule is fixed in <code>analysis/robustness.py</code> and stated in '
            + notebook_ref(entries, "07", "section 3") + ".</p>")


def validity_section(tables: Path, entries: list[tuple[str, str]]) -> str:
    """AUC of each measure against the hand coding, with its bootstrap interval."""
    auc, why = table_read(tables, VALIDITY_TABLE, ("contrast", "measure", "task", "auc", "auc_low", "auc_high", "n"))
    if auc is None:
        return _missing(why, "No validity table: this corpus has no hand coding (annotations/), so the measures "
                             "are not checked against human reading here")
    labels = _measure_labels()
    tasks = sorted(auc["task"].dropna().unique())
    head = ["contrast", "measure"] + [f"{t} AUC [95% interval] (paragraphs)" for t in tasks]
    rows = []
    for (contrast, measure), part in auc.groupby(["contrast", "measure"], sort=False):
        by_task = part.set_index("task")
        cells = [f'<td class="text">{_e(contrast)}</td>', f'<td class="text">{_e(labels.get(measure, measure))}</td>']
        for task in tasks:
            if task in by_task.index:
                r = by_task.loc[task]
                cells.append(f'<td class="num">{_number(r.auc)} [{_number(r.auc_low)}, {_number(r.auc_high)}] '
                             f'({_integer(r.n)})</td>')
            else:
                cells.append('<td class="num">—</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (_table(head, rows, numeric=set(range(2, len(head))))
            + '<p class="note">AUC 0.5 is chance. Polarity: among paragraphs hand-coded with a pole, how often a '
            'paragraph of the positive pole scores above one of the negative pole. Salience: framed against '
            'unframed paragraphs. Intervals are paragraph-bootstrap intervals ('
            + notebook_ref(entries, "06", "section 3") + ").</p>")


def _measure_labels() -> dict[str, str]:
    # Imported here: the validation module pulls in the measures (about 3 s), which the
    # page needs only when there is a validity table to label.
    from .validation import MEASURE_LABELS

    return MEASURE_LABELS


def corpus_section(tables: Path, entries: list[tuple[str, str]]) -> str:
    """Articles, paragraphs, sentences and words of the corpus, and its publication dates."""
    counts, why = table_read(tables, COUNTS_TABLE, ("doc_id", "paragraphs", "tokens"))
    if counts is None:
        return _missing(why, "The corpus' size is not known")
    parts = [f"{_integer(len(counts))} articles", f"{_integer(counts['paragraphs'].sum())} paragraphs"]
    if "sentences" in counts.columns:
        parts.append(f"{_integer(counts['sentences'].sum())} sentences")
    parts.append(f"{_integer(counts['tokens'].sum())} word tokens")
    text = ", ".join(parts)
    provenance, _ = table_read(tables, PROVENANCE_TABLE, ("field", "value"))
    if provenance is not None:
        dates = sorted(provenance.loc[provenance["field"] == "date", "value"].dropna().astype(str))
        if dates:
            text += f", published {dates[0]} to {dates[-1]}"
    return f"<p>{_e(text)} ({notebook_ref(entries, '01')}).</p>"


def stamp_section(results: Path) -> str:
    """The provenance stamp of ``results/MANIFEST.json``: hashes, date and versions."""
    path = results / "MANIFEST.json"
    try:
        run_stamp = json.loads(path.read_text(encoding="utf-8"))["stamp"]
    except FileNotFoundError:
        return _missing("results/MANIFEST.json was not written by this run", "No provenance stamp")
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError):
        return _missing("results/MANIFEST.json has no readable 'stamp'", "No provenance stamp")
    rows = []
    for key, label in (("code_sha256", "code (package and notebooks), sha256"),
                       ("corpus_sha256", "corpus, sha256"), ("codebook_sha256", "codebook, sha256"),
                       ("spec_sha256", "study-wide settings, sha256")):
        if key in run_stamp:
            rows.append(f'<tr><th>{_e(label)}</th><td class="hash">{_e(run_stamp[key])}</td></tr>')
    date = run_stamp.get("date")
    rows.append("<tr><th>date</th><td>" + (_e(date) if date else
                "not recorded: the stamp names a run by the content of its inputs, so the same code "
                "on the same corpus writes the same bytes whenever it runs") + "</td></tr>")
    if "python" in run_stamp:
        rows.append(f'<tr><th>Python</th><td>{_e(run_stamp["python"])}</td></tr>')
    packages = run_stamp.get("packages") or {}
    if packages:
        versions = ", ".join(f"{name} {version}" for name, version in sorted(packages.items()))
        rows.append(f"<tr><th>packages</th><td>{_e(versions)}</td></tr>")
    settings = run_stamp.get("settings") or {}
    shown = {k: v for k, v in sorted(settings.items()) if not isinstance(v, dict)}
    if shown:
        rows.append("<tr><th>settings</th><td>" + _e(", ".join(f"{k} {v}" for k, v in shown.items()))
                    + "</td></tr>")
    return ('<table class="stamp">' + "".join(rows) + "</table>"
            '<p class="note">The same stamp, with the sha256 of every table and figure, is in '
            f'{_link("../results/MANIFEST.json", "results/MANIFEST.json")}.</p>')


def _table(head: list[str], rows: list[str], numeric: set[int] = frozenset()) -> str:
    cells = "".join(f'<th class="num">{_e(h)}</th>' if i in numeric else f"<th>{_e(h)}</th>"
                    for i, h in enumerate(head))
    return f"<table><thead><tr>{cells}</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"


def _link(href: str, text: str) -> str:
    return f'<a href="{_e(href)}">{_e(text)}</a>'


def map_section(figures: Path, captions: dict[str, tuple[str, str]], entries: list[tuple[str, str]]) -> str:
    """The framing map, embedded from its PNG file, with its caption."""
    if not (figures / f"{MAP_FIGURE}.png").is_file():
        return _missing(f"results/figures/{MAP_FIGURE}.png was not written by this run",
                        "No framing map: notebook 05 draws it only when the codebook has the two contrasts it "
                        "plots")
    alt = figure_alt(MAP_FIGURE, captions)
    src = f"../results/figures/{MAP_FIGURE}.png"
    notebook = captions.get(MAP_FIGURE, ("", ""))[0]
    where = f" ({notebook_ref(entries, notebook[:2])})" if notebook else ""
    return (f'<figure><a href="{_e(src)}"><img src="{_e(src)}" alt="{_e(alt)}"></a>'
            f"<figcaption>{_e(alt)}{where}</figcaption></figure>")


def links_section(paths: StudyPaths, entries: list[tuple[str, str]], captions: dict[str, tuple[str, str]]) -> str:
    """Links to every notebook page (and its executed notebook), figure and table."""
    items = []
    for href, title in entries:
        item = _link(href, title)
        ipynb = paths.notebooks / (Path(href).stem + ".ipynb")
        if ipynb.is_file():
            item += " · " + _link(f"../notebooks/{ipynb.name}", "executed notebook")
        items.append(f"<li>{item}</li>")
    notebooks = "<ol>" + "".join(items) + "</ol>" if items else "<p>No notebook page was written.</p>"
    # Figures under the notebook that shows them, in the order it shows them; any other last.
    titles = {Path(href).stem: title for href, title in entries}
    files = {p.stem: p for p in sorted(paths.figures.glob("*.png"))}
    groups: dict[str, list[str]] = {}
    for stem in [s for s in captions if s in files] + [s for s in files if s not in captions]:
        png = files[stem]
        notebook, caption = captions.get(png.stem, ("", ""))
        item = _link(f"../results/figures/{png.name}", png.stem)
        if png.with_suffix(".svg").is_file():
            item += " (" + _link(f"../results/figures/{png.stem}.svg", "SVG") + ")"
        if caption:
            item += f' — <span class="note">{_e(caption)}</span>'
        groups.setdefault(notebook, []).append(f"<li>{item}</li>")
    figures = [f"<li>{_e(titles.get(notebook, notebook) or 'shown in no notebook')}<ul>{''.join(items)}</ul></li>"
               for notebook, items in sorted(groups.items(), key=lambda kv: (kv[0] == "", kv[0]))]
    tables = [f"<li>{_link(f'../results/tables/{p.name}', p.name)}</li>" for p in sorted(paths.tables.glob("*.csv"))]
    return ("<h3>Notebooks, executed top to bottom</h3>" + notebooks
            + "<h3>Figures</h3>" + ("<ul>" + "".join(figures) + "</ul>" if figures else "<p>No figure.</p>")
            + "<h3>Tables (full precision)</h3>"
            + ('<ul class="files">' + "".join(tables) + "</ul>" if tables else "<p>No table.</p>"))


def heldout_line(paths: StudyPaths) -> str:
    """Where the held-out test of real articles is reported (it is run outside the project)."""
    readme = paths.root / "README.md"
    where = (_link("../README.md", "README.md") + " (“What the study finds”)" if readme.is_file()
             else "the project's <code>README.md</code>")
    return ("<p><strong>Real articles the project never sees.</strong> The study's codebook and index are also "
            "put to a held-out test of real articles, coded blind, that is run outside the project; only its "
            "figures come back, so they cannot be recomputed from these results. They are quoted, with the "
            f"version of the index they apply to, in {where}.</p>")


def overview_page(paths: StudyPaths, entries: list[tuple[str, str]] | None = None) -> str:
    """The reviewer's index page for the run under ``paths`` (written to ``reports/index.html``).

    Parameters
    ----------
    paths : StudyPaths
        Where the run wrote ``results/``, ``notebooks/`` and ``reports/``.
    entries : list of (href, title), optional
        Notebook pages, relative to ``reports/``, in reading order; default: every
        ``reports/NN-*.html``, titled by its name.

    Returns
    -------
    str
        A complete HTML document: inline CSS, no script, links relative to ``reports/``.

    Examples
    --------
    >>> from analysis.config import study_paths
    >>> page = overview_page(study_paths("nowhere"), [("01-corpus.html", "01 — <The corpus>")])
    >>> "&lt;The corpus&gt;" in page and "<script" not in page
    True
    """
    if entries is None:
        entries = [(p.name, p.stem) for p in sorted(paths.reports.glob("[0-9][0-9]-*.html"))]
    captions = figure_captions(paths.notebooks, paths.figures) if paths.notebooks.is_dir() else {}
    results = paths.root / "results"
    body = [
        "<h1>Framing study — what it finds, and how far to trust it</h1>",
        '<p class="lead">Every number on this page is read from the tables and the provenance stamp that this run '
        "wrote; each section links to the notebook page that computes and discusses it.</p>",
        "<h2>The answer</h2>",
        '<div class="answer"><div>', map_section(paths.figures, captions, entries), "</div><div>",
        "<h3>Claims, and how robust they are</h3>", claims_section(paths.tables, entries), "</div></div>",
        "<h2>How far the measures agree with human reading</h2>", validity_section(paths.tables, entries),
        heldout_line(paths),
        "<h2>The corpus</h2>", corpus_section(paths.tables, entries),
        "<h2>Provenance</h2>", stamp_section(results),
        "<h2>Everything, page by page</h2>", links_section(paths, entries, captions),
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>Framing study — overview</title>\n"
            f"<style>\n{CSS}\n</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")
