"""CSV cells that a spreadsheet will not run as formulas. Pure: no Django.

A text cell starting with one of FORMULA_START (``= + - @``, tab, carriage return or line feed) is run as a
formula by Excel, LibreOffice and Google Sheets (CSV injection, OWASP). Such text gets a leading apostrophe.
Numbers are never touched: a Decimal, int or float goes out as a plain number, so ``-1234.50`` stays a number
a spreadsheet can sum. Dates and None pass through too. Format numbers as strings only for text columns.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_text(value: str) -> str:
    """Text with a leading apostrophe when a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def safe_cell(value: Any) -> Any:
    """One CSV cell: numbers (Decimal, int, float; not bool), dates and None unchanged; anything else as
    escaped text."""
    if value is None or isinstance(value, Decimal | int | float | dt.date) and not isinstance(value, bool):
        return value
    return safe_text(str(value))


def safe_row(values: Any) -> list[Any]:
    return [safe_cell(v) for v in values]
