"""The one spreadsheet writer every export goes through.

Text that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return: CSV/formula injection, OWASP) is written with a leading
apostrophe, so a resident named ``=HYPERLINK(...)`` stays a name. Numbers, dates and
booleans stay what they are, so officers can sum a column; a ``Formatted`` number keeps
its display format (a rate is the number 0.925 shown as 92.5%, not the text "92.5%").
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN = (int, float, Decimal, dt.date, dt.datetime, dt.time, bool)


PERCENT = "0.0%"


@dataclass(frozen=True)
class Formatted:
    """A number written with a number format (``PERCENT``, ``"0.0"`` …)."""

    value: int | float | Decimal
    number_format: str


def percent(value: float | None, missing: str = "—") -> Formatted | str:
    """A rate (0 to 1) as a number in percent format; ``missing`` when there is none."""
    return missing if value is None else Formatted(value, PERCENT)


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


def _cells(ws: WriteOnlyWorksheet, values: Iterable[Any]) -> list[Any]:
    cells: list[Any] = []
    for value in values:
        if isinstance(value, Formatted):
            cell = WriteOnlyCell(ws, value=value.value)
            cell.number_format = value.number_format
            cells.append(cell)
        else:
            cells.append(safe(value))
    return cells


def workbook_bytes(sheets: Sequence[tuple[str, Iterable[Iterable[Any]]]]) -> bytes:
    """A workbook of the given (title, rows) sheets, streamed (write-only) and defused."""
    wb = Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(str(title)[:31])
        for row in rows:
            ws.append(_cells(ws, row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
