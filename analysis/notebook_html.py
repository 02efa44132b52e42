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
