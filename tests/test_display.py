"""Tables in the rendered notebooks: text left and wrapped, numbers to meaningful digits, escaped."""
import re

import pandas as pd
import pytest

from analysis.display import column_decimals, column_kind, number_text, signed_text, table_styler
from analysis.notebook_html import html_clean

TOY = pd.DataFrame({
    "claim": ["<b>bpj-2015</b> leans furthest to transactional of all articles", "wsj-2024 leans to deterrence"],
    "date": ["2015-06-01", "2024-10-26"],
    "auc": [0.736667, 0.0001234],
    "chi2": [153.2871, 12.5],
    "n": [40, 106],
})


def _rule(html: str, selector: str) -> str:
    """The declarations of one CSS rule of the Styler's ``<style>``."""
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", html)
    assert match, selector
    return " ".join(match.group(1).split())


def test_text_columns_are_left_aligned_prose_wraps_and_labels_stay_on_one_line():
    html = table_styler(TOY).to_html()
    claim, date, auc = _rule(html, "td.col0"), _rule(html, "td.col1"), _rule(html, "td.col2")
    assert "text-align: left" in claim and "white-space: normal" in claim and "max-width" in claim
    assert "text-align: left" in date and "white-space: nowrap" in date
    assert "text-align: right" in auc and "white-space: nowrap" in auc
    assert "text-align: left" in _rule(html, "th.col_heading.col0")
    assert "text-align: right" in _rule(html, "th.col_heading.col2")


def test_numbers_are_shown_to_meaningful_digits():
    html = table_styler(TOY).to_html()
    cells = re.findall(r'<td class="data row\d col(\d)" >([^<]*)</td>', html)
    shown = {(col, text) for col, text in cells}
    # three significant digits for the column's largest value: 0.737, and 153 (so 12.5 shows as 12)
    assert {("2", "0.737"), ("2", "0.00012"), ("3", "153"), ("3", "12")} <= shown
    assert ("4", "40") in shown and ("4", "106") in shown
    assert "0.736667" not in html and "153.2871" not in html


@pytest.mark.parametrize("values, decimals", [
    ([0.736667, 0.5], 3),      # AUCs: three decimals
    ([153.2871, 12.5], 0),     # statistics in the hundreds: whole numbers
    ([12.3456, 1.5], 1),
    ([-0.39, 0.34], 3),
    ([2.0, 3.0], None),        # whole numbers stored as floats
])
def test_column_decimals(values, decimals):
    assert column_decimals(pd.Series(values)) == decimals


def test_a_small_value_keeps_significant_digits_rather_than_showing_zero():
    assert number_text(0.0001234, 3) == "0.00012"
    assert number_text(0.0, 3) == "0.000"
    assert number_text(float("nan"), 3) == "—"


def test_the_table_itself_is_not_changed():
    before = TOY.copy()
    table_styler(TOY).to_html()
    pd.testing.assert_frame_equal(TOY, before)


def test_text_and_labels_from_data_are_escaped():
    table = pd.DataFrame({"<i>col</i>": ["<script>x</script>"]}, index=pd.Index(["<b>row</b>"]))
    html = table_styler(table).to_html()
    assert "<script>" not in html and "<b>row" not in html and "<i>col" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_row_numbers_are_hidden_and_a_named_index_shown():
    for rows in (TOY, TOY[TOY["n"] > 50]):  # filtered: 1, not 0, 1, 2, …
        assert "row_heading" not in re.sub(r"<style.*?</style>", "", table_styler(rows).to_html(), flags=re.S)
    named = table_styler(TOY.set_index("date")).to_html()
    assert '<th class="row_heading level0 row0" >2015-06-01</th>' in named


def test_same_table_gives_same_bytes_and_another_table_another_id():
    first, second = table_styler(TOY).to_html(), table_styler(TOY.copy()).to_html()
    assert first == second
    ids = {re.search(r'<table id="(T_\w+)"', h).group(1) for h in (first, table_styler(TOY.head(1)).to_html())}
    assert len(ids) == 2


def test_the_report_sanitiser_keeps_the_styling():
    html = table_styler(TOY).to_html()
    clean = html_clean(html)
    assert "<style>" in clean and "&lt;style" not in clean and "&lt;table" not in clean
    assert _rule(clean, "td.col0") == _rule(html, "td.col0")
    assert '<table id="T_' in clean


@pytest.mark.parametrize("values, kind", [
    (pd.Series([1.5, 2.0]), "number"),
    (pd.Series([True, False]), "flag"),
    (pd.Series(pd.to_datetime(["2024-02-29"])), "date"),
    (pd.Series(["2024-02-29", None]), "label"),
    (pd.Series(["a long sentence of prose that must wrap somewhere", "x"]), "prose"),
])
def test_column_kind(values, kind):
    assert column_kind(values) == kind


def test_boolean_and_nested_column_labels():
    counts = pd.DataFrame({False: [1, 2], True: [3, 4]}, index=pd.Index(["a", "b"], name="pole"))
    html = table_styler(counts).to_html()
    assert '<td class="data row1 col1" >4</td>' in html
    nested = pd.concat({"lda": pd.DataFrame({"FREX": ["x"]}), "nmf": pd.DataFrame({"FREX": ["y"]})}, axis=1)
    assert '<td class="data row0 col1" >y</td>' in table_styler(nested).to_html()


def test_an_empty_table_shows_its_columns():
    html = table_styler(pd.DataFrame(columns=["expectation", "met", "evidence"])).to_html()
    assert "expectation" in html and "<td" not in html


def test_many_prose_columns_share_the_width():
    one = _rule(table_styler(TOY).to_html(), "td.col0")
    assert "min-width: 14em" in one and "max-width: 31.5em" in one  # its longest value, on one line
    page = _rule(table_styler(pd.DataFrame({"text": ["word " * 120]})).to_html(), "td.col0")
    assert "max-width: 64em" in page  # a lone column of paragraphs reads like a page
    wide = pd.DataFrame({f"field{i}": ["a sentence long enough to be prose and to wrap " * 3] for i in range(6)})
    six = _rule(table_styler(wide).to_html(), "td.col5")
    assert "min-width: 8em" in six and "max-width: 24em" in six


def test_a_short_prose_column_leaves_the_width_to_a_long_one():
    errors = pd.DataFrame({"measures": ["dict, tfidf, sup, topic, combined"], "text": ["word " * 120]})
    html = table_styler(errors).to_html()
    assert "max-width: 16.5em" in _rule(html, "td.col0") and "max-width: 47.5em" in _rule(html, "td.col1")


def test_nullable_and_infinite_numbers():
    table = pd.DataFrame({"n": pd.array([1, None], dtype="Int64"), "x": [float("inf"), 0.25]})
    html = table_styler(table).to_html()
    assert ">—</td>" in html and ">inf</td>" in html and ">0.250</td>" in html


@pytest.mark.parametrize("value, text", [
    (0.254, "+0.25"), (-0.62, "-0.62"), (-0.0031, "-0.003"), (0.00049, "+0.0005"),
    (-0.004999, "-0.005"), (0.0, "0.00"), (-0.0, "0.00"), (float("nan"), "—"), (None, "—"),
    (float("-inf"), "-inf"),
])
def test_signed_text_never_shows_a_nonzero_value_as_zero(value, text):
    assert signed_text(value) == text
