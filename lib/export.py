"""CSV and Excel files of a DataFrame that a spreadsheet opens safely.

Text cells starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return, which
some spreadsheets skip before reading a formula) get a leading ``'`` so they are shown
as text, never run as formulas (OWASP "CSV injection"). Numbers are written as numbers.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` if it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def export_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV in UTF-8 with a byte-order mark, so Excel reads Turkish text right."""
    escaped = frame.rename(columns=escape_cell).map(escape_cell)
    return escaped.to_csv(index=False).encode("utf-8-sig")


def export_xlsx(frame: pd.DataFrame, *, sheet_name: str) -> bytes:
    """``frame`` as one Excel sheet; Decimal cells are numbers shown with their own places."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_name)
    header = []
    for name in frame.columns:
        cell = WriteOnlyCell(sheet, value=escape_cell(str(name)))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in frame.itertuples(index=False, name=None):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    if isinstance(value, Decimal) and value.is_finite():
        cell = WriteOnlyCell(sheet, value=value)
        places = max(0, -int(value.as_tuple().exponent))
        cell.number_format = "#,##0" + ("." + "0" * places if places else "")
        return cell
    if isinstance(value, datetime) and value.tzinfo is not None:
        # Excel has no time zones: write the UTC wall time.
        return value.astimezone(UTC).replace(tzinfo=None)
    return escape_cell(value)
