"""Checks of a rendered page that several test modules share."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path


class _Page(HTMLParser):
    """Every link target, image and tag of a page."""

    def __init__(self):
        super().__init__()
        self.targets, self.images, self.tags = [], [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        for name in ("href", "src"):
            if attrs.get(name):
                self.targets.append(attrs[name])
        if tag == "img":
            self.images.append(attrs)


def page_problems(page: str, reports: Path) -> list[str]:
    """What is wrong with an index page written to ``reports``: dead links, images without alt, scripts."""
    parsed = _Page()
    parsed.feed(page)
    problems = [f"dead link {t}" for t in parsed.targets
                if "://" in t or t.startswith("//") or not (reports / t).resolve().is_file()]
    problems += [f"image without alt text: {img.get('src')}" for img in parsed.images if not img.get("alt", "").strip()]
    problems += ["script element"] if "script" in parsed.tags or "<script" in page.lower() else []
    return problems


def html_cells(page: str) -> dict[str, str]:
    """The HTML of each rendered cell, by cell id."""
    parts = re.split(r'(?=<div class="jp-Cell jp-)', page)
    cells = {}
    for part in parts[1:]:
        match = re.match(r'<div class="[^"]*" id="cell-id=([^"]+)"', part)
        if match:
            cells[match.group(1)] = part
    return cells
