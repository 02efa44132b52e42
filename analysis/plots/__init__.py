"""Plot layer: functions take ``ax=None``, draw, and return the Axes.

They never load data, never call ``plt.show()`` and never change global rcParams.
Any label drawn from text goes through :func:`safe_label`, so a ``$`` in an article
never switches matplotlib into mathtext.
"""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt


#: Colours for categories (articles, measures, contrasts): Okabe & Ito's palette, told
#: apart under the common colour-vision deficiencies (Okabe & Ito 2008, "Color Universal
#: Design"), without its yellow, which is hard to see on white; then greys.
CATEGORY_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000",
                    "#999999")


def category_colour(k: int) -> str:
    """The colour of the ``k``-th category (cycling after :data:`CATEGORY_COLOURS` runs out).

    Examples
    --------
    >>> category_colour(0), category_colour(8)
    ('#0072B2', '#0072B2')
    """
    return CATEGORY_COLOURS[k % len(CATEGORY_COLOURS)]


def safe_label(text: str, width: int | None = None) -> str:
    """Escape ``$`` (mathtext) and optionally wrap ``text`` to ``width`` characters.

    Examples
    --------
    >>> safe_label("costs $5 and $6")
    'costs \\\\$5 and \\\\$6'
    >>> safe_label("a b c d", width=3)
    'a b\\nc d'
    """
    escaped = str(text).replace("$", r"\$")
    return "\n".join(textwrap.wrap(escaped, width)) if width else escaped


def get_ax(ax=None, figsize=(6.4, 4.0)):
    """Return ``ax`` or a fresh Axes on a new figure of ``figsize``."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax
