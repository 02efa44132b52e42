"""An executed notebook as sanitised HTML: allowed tags only, no script, hidden-input cells without code."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

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


#: Cell tag whose code the HTML page leaves out (the .py and .ipynb keep it).
HIDE_INPUT = "hide-input"

#: A figure caption in a notebook's Markdown: an italic paragraph opening "Figure N." or "Figures N–M.".
CAPTION = re.compile(r"^\*(Figures?\s[^*]+)\*", re.MULTILINE)
#: The alternative text nbconvert gives an image it has none for.
_NO_ALT = 'alt="No description has been provided for this image"'
#: An output nbconvert renders as one of these types becomes an ``<img>`` on the sanitised page
#: (SVG included); an output with HTML as well is shown as HTML.
_IMAGE_TYPES = (["image/svg+xml"], ["image/png"], ["image/jpeg"])


def caption_of(markdown: str) -> str:
    """The figure caption in a Markdown cell's text, on one line; empty when it holds none.

    Examples
    --------
    >>> caption_of("*Figure 2.  The index,   by article.* More text.")
    'Figure 2. The index, by article.'
    >>> caption_of("A paragraph.")
    ''
    """
    match = CAPTION.search(markdown)
    return " ".join(match.group(1).split()) if match else ""


def image_alts(nb) -> list[str]:
    """The alternative text of each image output of ``nb``, in page order.

    An image takes the caption (:func:`caption_of`) of the first Markdown cell after
    its cell, as a reader finds it below the figure; an image with no caption there
    is named as such, so that a screen reader never meets a silent image.
    """
    from nbconvert.filters import DataTypeFilter

    shown = DataTypeFilter()  # the types of an output in nbconvert's order: the first is rendered
    alts: list[str] = []
    pending = 0
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            # streams and errors carry no data (and the filter warns about an empty one)
            pending += sum(1 for out in cell.get("outputs", [])
                           if out.get("data") and shown(out["data"])[:1] in _IMAGE_TYPES)
        elif cell["cell_type"] == "markdown" and pending:
            alts += [caption_of("".join(cell["source"])) or "A figure without a caption"] * pending
            pending = 0
    return alts + ["A figure without a caption"] * pending


def alts_set(page: str, alts: list[str]) -> str:
    """``page`` with nbconvert's placeholder alternative texts replaced, in order, by ``alts`` (escaped).

    Examples
    --------
    >>> alts_set('<img alt="No description has been provided for this image" src="a">', ['Figure 1. <b>'])
    '<img alt="Figure 1. &lt;b&gt;" src="a">'
    """
    import html

    parts = page.split(_NO_ALT)
    if len(parts) - 1 != len(alts):
        raise ValueError(f"the page has {len(parts) - 1} images without alternative text but the notebook "
                         f"{len(alts)} image outputs — report this as a bug of analysis.notebook_html")
    out = [parts[0]]
    for alt, rest in zip(alts, parts[1:]):
        out += [f'alt="{html.escape(alt, quote=True)}"', rest]
    return "".join(out)


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
    replaced by :func:`html_clean`, which keeps those and still refuses scripts. Each
    image's alternative text is its caption (:func:`image_alts`).
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="lab")
    exporter.sanitize_html = True
    exporter.register_filter("clean_html", html_clean)
    # Cells that only assemble prose or set up the run show their output, not their code.
    exporter.register_preprocessor(TagRemovePreprocessor(remove_input_tags={HIDE_INPUT}), enabled=True)
    body, _ = exporter.from_notebook_node(nb)
    return scripts_removed(alts_set(body, image_alts(nb)))


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
