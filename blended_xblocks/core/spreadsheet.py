"""CSV cells that a spreadsheet shows as text and never runs as a formula: one rule for every export.

Excel and Calc run a cell that starts with = + - @, a tab or a carriage return as a formula (and
importers that trim leading spaces or line breaks run those too); a leading ' keeps it text.
Numbers the export itself writes (a negative adjustment, a position) are not text and stay numbers;
text that merely looks like a number ("-2" typed by someone) is text and gets the quote.
Imports nothing of ours: every block's export uses it.
"""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS or text.lstrip()[:1] in FORMULA_STARTS else text
