"""The one spreadsheet writer every export goes through.

Text that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return: CSV/formula injection, OWASP) is written with a leading
apostrophe, so a resident named ``=HYPERLINK(...)`` stays a name. Numbers, dates and
booleans stay what they are, so officers can sum a column.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN = (int, float, Decimal, dt.date, dt.datetime, dt.time, bool)


def safe(value: Any) -> Any:
    """A cell value that cannot run: numbers and dates as they are, text defused."""
    if value is None or isinstance(value, _PLAIN):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe(v) for v in values]


def workbook_bytes(sheets: Sequence[tuple[str, Iterable[Iterable[Any]]]]) -> bytes:
    """A workbook of the given (title, rows) sheets, streamed (write-only) and defused."""
    wb = Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(str(title)[:31])
        for row in rows:
            ws.append(safe_row(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
