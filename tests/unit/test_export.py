"""CSV and Excel export: formula-injection escaping, BOM, numbers stay numbers."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook

from lib.export import escape_cell, export_csv, export_xlsx

FRAME = pd.DataFrame(
    {
        "Name": ['=HYPERLINK("http://x")', "+90 555", "-2+3", "@SUM(A1)", "Çiğdem şişe", "\tTab"],
        "New TSP": [Decimal("12.50"), Decimal("-5"), None, Decimal("0.99"), Decimal("1000"), None],
        "Count": [1, 2, 3, 4, 5, 6],
    }
)


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("TCC * 2", "TCC * 2"),
        ("", ""),
        (Decimal("-5"), Decimal("-5")),
        (-5, -5),
        (None, None),
    ],
)
def test_escape_cell(value: object, escaped: object) -> None:
    assert escape_cell(value) == escaped


def test_csv_is_utf8_with_bom_and_escaped() -> None:
    data = export_csv(FRAME)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "Name,New TSP,Count"
    assert lines[1] == '"\'=HYPERLINK(""http://x"")",12.50,1'
    assert lines[2] == "'+90 555,-5,2"
    assert lines[3] == "'-2+3,,3"
    assert lines[4].startswith("'@SUM(A1),")
    assert "Çiğdem şişe,1000,5" in text


def test_csv_escapes_headings_too() -> None:
    text = export_csv(pd.DataFrame({"=cmd": ["x"]})).decode("utf-8-sig")
    assert text.splitlines()[0] == "'=cmd"


def test_xlsx_numbers_are_numbers_and_text_is_escaped() -> None:
    frame = FRAME.assign(At=[datetime(2026, 1, 2, 3, 4, tzinfo=UTC)] * len(FRAME))
    book = load_workbook(io.BytesIO(export_xlsx(frame, sheet_name="Version 3")))
    sheet = book["Version 3"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Name", "New TSP", "Count", "At")
    assert [row[0] for row in rows[1:5]] == [
        '\'=HYPERLINK("http://x")',
        "'+90 555",
        "'-2+3",
        "'@SUM(A1)",
    ]
    assert rows[5][0] == "Çiğdem şişe"
    assert rows[1][1] == 12.5 and rows[2][1] == -5 and rows[3][1] is None
    price = sheet.cell(row=2, column=2)
    assert price.data_type == "n" and price.number_format == "#,##0.00"
    assert rows[1][3] == datetime(2026, 1, 2, 3, 4)
    # No cell holds a formula.
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.cell(row=3, column=2).number_format == "#,##0"
