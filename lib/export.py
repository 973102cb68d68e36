"""Export a table to CSV or Excel (.xlsx) bytes, safe to open in a spreadsheet.

A text cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return)
would run as a formula in Excel or LibreOffice (CSV injection, e.g.
``=HYPERLINK("http://evil", "click")``), so such text gets a leading apostrophe and
stays text. Numbers are never escaped: a negative margin stays a number.
Money keeps every digit of its ``Decimal``.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Excel's limit on a sheet name's length.
_SHEET_NAME_MAX = 31


def escape_cell(value: Any) -> Any:
    """``value`` with a leading apostrophe if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def escaped(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and heading) passed through ``escape_cell``."""
    safe = frame.map(escape_cell)
    safe.columns = [escape_cell(str(column)) for column in frame.columns]
    return safe


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel reads Turkish and Cyrillic text), no index."""
    return escaped(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, *, sheet_name: str = "Export") -> bytes:
    """An .xlsx workbook with one sheet: headings in row 1, then one row per frame row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_name[:_SHEET_NAME_MAX])
    safe = escaped(frame)
    sheet.append([_xlsx_value(column) for column in safe.columns])
    for row in safe.itertuples(index=False, name=None):
        sheet.append([_xlsx_value(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any) -> Any:
    """A cell value openpyxl accepts: no NaN or NA (an empty cell), no time zone, no
    control characters."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, datetime) and value.tzinfo is not None:
        # Excel has no time zones: write the UTC wall time.
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, str):
        # openpyxl refuses control characters; show where one was instead of failing.
        return ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
    return value
