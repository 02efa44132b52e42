"""Tables as a person reads them in the rendered notebooks.

Notebooks show a table with :func:`table_show` instead of a bare ``display(df)``: text
is left-aligned, and long text wraps within a readable width; short text (identifiers,
dates, labels) never breaks over lines; numbers are right-aligned with as many
decimals as their column needs for ``digits`` significant digits; the default row
index (row numbers) is hidden. Only the display changes: the CSV files of
:func:`analysis.outputs.save_table` keep full precision.

The HTML is pandas' :class:`~pandas.io.formats.style.Styler`, with an id derived from
the table's content (so two runs write identical bytes) and only ``<style>`` and
``<table>`` markup, which the report's sanitiser (:func:`analysis.notebook_html.html_clean`)
keeps. Cell text is escaped.
"""
from __future__ import annotations

import hashlib
import html
import math

import numpy as np
import pandas as pd
from pandas.api import types

#: Significant digits shown for a column of real numbers.
DIGITS = 3
#: A text column whose longest value has more characters than this is prose and wraps;
#: shorter text is kept on one line.
WRAP_AT = 24
#: Widths of wrapped text, in ems of the table's font, shared by the prose columns of a
#: table (:func:`prose_widths`). Together they are at most ``PROSE_MAX_SHARE`` wide (no
#: column capped below ``PROSE_MAX_FLOOR``), so a column of paragraphs reads like a page
#: rather than a tall strip; each is at least ``PROSE_MIN_SHARE / n`` (kept within
#: ``PROSE_MIN_RANGE``), so a sentence takes a few lines rather than a column of words.
PROSE_MAX_SHARE, PROSE_MAX_FLOOR = 64, 24
PROSE_MIN_SHARE, PROSE_MIN_RANGE = 48, (8, 14)
#: Ems one character takes, on average, in a proportional font.
EM_PER_CHAR = 0.5
#: Shown for a missing value.
MISSING = "—"


def column_decimals(values: pd.Series, digits: int = DIGITS) -> int | None:
    """Decimals that give the column's largest value ``digits`` significant digits; None for whole numbers.

    Examples
    --------
    >>> column_decimals(pd.Series([0.736667, 0.544958]))
    3
    >>> column_decimals(pd.Series([12.5, 310.25]))
    0
    >>> column_decimals(pd.Series([3.0, float("nan")])) is None
    True
    """
    numbers = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
    finite = numbers[np.isfinite(numbers)]
    if finite.size == 0 or (finite == np.round(finite)).all():
        return None
    largest = np.abs(finite).max()
    order = math.floor(math.log10(largest)) if largest > 0 else 0
    return max(0, min(digits - 1 - order, digits + 3))


def number_text(value, decimals: int | None, digits: int = DIGITS) -> str:
    """``value`` with ``decimals`` decimals; a small value that would show as zero keeps ``digits - 1`` significant digits.

    Examples
    --------
    >>> number_text(0.736667, 3), number_text(0.00012, 3), number_text(4.0, None), number_text(float("nan"), 2)
    ('0.737', '0.00012', '4', '—')
    """
    if value is None or pd.isna(value):
        return MISSING
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    if decimals is None:
        return f"{value:.0f}"
    text = f"{value:.{decimals}f}"
    if value != 0 and float(text) == 0:
        return f"{value:.{max(1, digits - 1)}g}"
    return text


def signed_text(value, decimals: int = 2) -> str:
    """``value`` with its sign and ``decimals`` decimals, widened until a nonzero value no longer shows as zero.

    An interval bound of -0.003 printed as "-0.00" reads as touching zero, though it
    excludes it; here it prints as "-0.003". Exactly zero has no sign, a missing value
    is "—".

    Examples
    --------
    >>> signed_text(0.254), signed_text(-0.0031), signed_text(0.0), signed_text(float("nan"))
    ('+0.25', '-0.003', '0.00', '—')
    """
    if value is None or pd.isna(value):
        return MISSING
    value = float(value)
    if value == 0:
        return f"{0:.{decimals}f}"
    if not math.isfinite(value):
        return f"{value:+}"
    places = decimals
    while float(f"{value:.{places}f}") == 0 and places < 15:
        places += 1
    return f"{value:+.{places}f}"


def prose_widths(needs: list[float], share: float = PROSE_MAX_SHARE, floor: float = PROSE_MAX_FLOOR) -> list[float]:
    """Widest width of each prose column: ``share`` divided so that no column gets more than it needs.

    ``needs`` is the width each column would take on one line. A column that needs less
    than an equal part gets what it needs; the others share the rest equally, and
    never get less than ``floor`` (or their need, if smaller).

    Examples
    --------
    >>> prose_widths([16.5, 300.0])     # short labels keep one line; paragraphs get the rest
    [16.5, 47.5]
    >>> prose_widths([300.0, 300.0, 300.0, 300.0])
    [24, 24, 24, 24]
    """
    widths: dict[int, float] = {}
    left, budget = dict(enumerate(needs)), share
    while left:
        equal = budget / len(left)
        small = {j: need for j, need in left.items() if need <= equal}
        if not small:
            widths.update({j: max(floor, equal) for j in left})
            break
        for j, need in small.items():
            widths[j] = need
            budget -= need
            del left[j]
    return [widths[j] for j in range(len(needs))]


def _text(value) -> str:
    """A text cell, escaped: an article's words must never become markup."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return MISSING
    return html.escape(str(value))


def _is_row_number(index: pd.Index) -> bool:
    """Whether the index only numbers the rows (unnamed integers): a reader learns nothing from it."""
    return index.nlevels == 1 and index.name is None and types.is_integer_dtype(index)


def _table_id(table: pd.DataFrame, options: tuple) -> str:
    # From the content, not random: the rendered notebook must not change between runs.
    digest = hashlib.sha256(repr(options).encode())
    digest.update(table.to_csv().encode("utf-8"))
    return digest.hexdigest()[:10]


def column_kind(values: pd.Series, wrap_at: int = WRAP_AT) -> str:
    """How a column is shown: ``number``, ``flag``, ``date``, ``prose`` or ``label``.

    Examples
    --------
    >>> column_kind(pd.Series([1.5])), column_kind(pd.Series(["2024-02-29"])), column_kind(pd.Series(["x " * 20]))
    ('number', 'label', 'prose')
    """
    if types.is_bool_dtype(values):
        return "flag"
    if types.is_numeric_dtype(values):
        return "number"
    if types.is_datetime64_any_dtype(values):
        return "date"
    longest = values.dropna().astype(str).str.len().max()
    return "prose" if longest == longest and longest > wrap_at else "label"


def table_styler(table: pd.DataFrame, digits: int = DIGITS, wrap_at: int = WRAP_AT, index: bool | None = None):
    """``table`` as a :class:`~pandas.io.formats.style.Styler` that reads well in a rendered notebook.

    Parameters
    ----------
    table : DataFrame
        The table to show (not changed).
    digits : int
        Significant digits of the largest value in each column of real numbers.
    wrap_at : int
        Text columns with longer values wrap; shorter ones stay on one line.
    index : bool, optional
        Show the row index; default: unless it is unnamed integers (row numbers, even
        after filtering).

    Returns
    -------
    Styler

    Examples
    --------
    >>> html = table_styler(pd.DataFrame({"term": ["axis"], "auc": [0.736667]})).to_html()
    >>> "0.737" in html and "0.736667" not in html
    True
    """
    if isinstance(table, pd.Series):
        table = table.to_frame()
    show_index = not _is_row_number(table.index) if index is None else index
    rules = [{"selector": "", "props": "table-layout: auto; border-collapse: collapse;"},
             {"selector": "th", "props": "vertical-align: bottom;"},
             {"selector": "td", "props": "vertical-align: top;"}]
    kinds = [column_kind(table.iloc[:, j], wrap_at) for j in range(table.shape[1])]
    prose = [j for j, kind in enumerate(kinds) if kind == "prose"]
    narrowest = max(PROSE_MIN_RANGE[0], min(PROSE_MIN_RANGE[1], PROSE_MIN_SHARE // max(1, len(prose))))
    needs = [EM_PER_CHAR * table.iloc[:, j].dropna().astype(str).str.len().max() for j in prose]
    widest = dict(zip(prose, prose_widths(needs)))
    # Cells are formatted here, column by position, rather than by Styler.format: a
    # column label such as True or a tuple would be read as a selection.
    shown = []
    for j, kind in enumerate(kinds):
        column = table.iloc[:, j]
        if kind == "number":
            decimals = column_decimals(column, digits)
            shown.append(column.map(lambda v, d=decimals: number_text(v, d, digits)))
            cell = "text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums;"
        elif kind == "date":
            shown.append(column.map(lambda v: MISSING if pd.isna(v) else v.strftime("%Y-%m-%d")))
            cell = "text-align: left; white-space: nowrap;"
        elif kind == "prose":
            shown.append(column.map(_text))
            cell = (f"text-align: left; white-space: normal; min-width: {min(narrowest, widest[j]):g}em; "
                    f"max-width: {widest[j]:g}em; overflow-wrap: anywhere;")
        else:
            shown.append(column.map(_text))
            cell = "text-align: left; white-space: nowrap;"
        align = "right" if kind == "number" else "left"
        rules += [{"selector": f"td.col{j}", "props": cell},
                  {"selector": f"th.col_heading.col{j}", "props": f"text-align: {align};"}]
    rules.append({"selector": "th.row_heading", "props": "text-align: left; white-space: nowrap; vertical-align: top;"})
    cells = pd.DataFrame({j: values.to_numpy(dtype=object) for j, values in enumerate(shown)}, index=table.index)
    cells.columns = table.columns
    styler = cells.style
    styler.set_uuid(_table_id(table, (digits, wrap_at, show_index)))
    styler.cell_ids = False
    styler.set_table_styles(rules)
    if not show_index:
        styler.hide(axis="index")
    # Cell text is escaped above; headings are escaped here (a label may come from data).
    styler.format_index(escape="html", axis=0).format_index(escape="html", axis=1)
    return styler


def table_show(table: pd.DataFrame, **options) -> None:
    """Display ``table`` in a notebook as :func:`table_styler` formats it; returns nothing.

    The output holds the styled HTML and, for plain-text readers, pandas' text form.

    Parameters
    ----------
    table : DataFrame or Series
    **options
        Passed to :func:`table_styler` (``digits``, ``wrap_at``, ``index``).
    """
    from IPython.display import display

    # A raw bundle: the Styler's own plain-text form names its memory address, which
    # differs between runs; the table's text form is what a plain-text reader needs.
    display({"text/html": table_styler(table, **options).to_html(), "text/plain": repr(table)}, raw=True)
