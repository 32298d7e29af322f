"""CSV cells that a spreadsheet shows as text and never runs as a formula: one rule for every export.

Excel and Calc run a cell that starts with = + - @, a tab or a carriage return as a formula (and
importers that trim leading spaces or line breaks run those too); a leading ' keeps it text.

Numbers: a value the export itself writes as a finite number (an int, float or Decimal: a negative
adjustment, points, a position) stays a number, so "-2" stays -2 and sums still work. That is
safe: a number's text is only a sign, digits, a point and an exponent, never a formula. Anything
that arrives as text — a name, a reason, "-2" typed by someone, "-2+3" — is text and gets the quote
when it starts like a formula. Imports nothing of ours: every block's export uses it.
"""
import math
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """`value` as a cell's text: numbers as they are, text quoted when it starts like a formula."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and math.isfinite(value):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS or text.lstrip()[:1] in FORMULA_STARTS else text
