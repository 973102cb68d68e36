"""Reading messy sales exports: encodings, delimiters, blank lines, line numbers, Excel."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from lib.sales.reading import (
    SalesFile,
    SalesFileError,
    decode_text,
    read_sales_file,
    sniff_delimiter,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sales"


def read_fixture(name: str) -> SalesFile:
    """A fixture file read as the page reads an upload."""
    return read_sales_file(name, (FIXTURES / name).read_bytes())


def test_utf8_bom_semicolons_blank_lines_and_line_numbers() -> None:
    sales = read_fixture("bom_semicolon_turkish.csv")
    assert sales.headers == ["Ürün Kodu", "Tarih", "Satış Adedi", "Stok", "Depo"]
    assert sales.delimiter == ";"
    assert sales.encoding == "UTF-8 with BOM"
    # Lines 4 and 10 are empty, line 9 holds only separators and spaces.
    assert sales.blank_lines == 3
    assert sales.lines.tolist() == [2, 3, 5, 6, 7, 8, 11, 12, 13, 14, 15]
    assert sales.cells["Depo"].tolist()[:2] == ["Kadıköy", "Beşiktaş"]
    assert sales.cells["Satış Adedi"].tolist()[:3] == ["5", "2,0", "1.250"]
    assert sales.data_rows == 11


def test_windows_1254_tabs() -> None:
    sales = read_fixture("windows1254_tab.txt")
    assert sales.encoding == "Windows-1254"
    assert sales.delimiter == "\t"
    assert sales.headers == ["Stok Kodu", "İşlem Tarihi", "Miktar", "Eldeki Stok", "Şube"]
    assert sales.cells["Şube"].tolist() == ["Üsküdar", "Şişli", "Üsküdar", "Şişli"]
    assert sales.cells["Eldeki Stok"].tolist() == ["60", "40", "", "15"]


def test_leading_blank_lines_quotes_and_a_line_with_too_many_fields() -> None:
    sales = read_fixture("comma_english.csv")
    assert sales.delimiter == ","
    assert sales.lines.tolist() == [4, 5, 7]  # header on line 3; line 6 is malformed
    assert sales.cells["Store"].tolist()[0] == "Main, ground floor"
    [malformed] = sales.malformed
    assert (malformed.line, malformed.fields, malformed.expected) == (6, 6, 5)
    assert malformed.text == "VIB-10000,2025-11-05,2,5,5,Main"
    assert sales.data_rows == 4
    assert sales.blank_lines == 2


def test_a_quoted_cell_spanning_lines_keeps_the_following_line_numbers_right() -> None:
    text = 'sku;date;qty;note\nA;2025-11-03;1;"two\nlines"\nB;2025-11-03;2;x\n'
    sales = read_sales_file("x.csv", text.encode())
    assert sales.lines.tolist() == [2, 4]


def test_utf16_with_bom_from_excel_unicode_text() -> None:
    text = "sku\tdate\tqty\nA\t2025-11-03\t1\n"
    sales = read_sales_file("x.txt", text.encode("utf-16"))
    assert sales.encoding == "UTF-16"
    assert sales.cells["sku"].tolist() == ["A"]


def test_excel_rows_keep_their_sheet_row_numbers_and_cells_read_like_csv() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Ürün Kodu", "Tarih", "Adet", "Stok"])
    sheet.append(["VIB-10000", datetime(2025, 11, 3), 5, 12.0])
    sheet.append([])
    sheet.append(["LUB-10001", date(2025, 11, 4), 2.5, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    sales = read_sales_file("satis.xlsx", buffer.getvalue())
    assert sales.describe() == "Excel sheet"
    assert sales.lines.tolist() == [2, 4]
    assert sales.blank_lines == 1
    assert sales.cells.to_dict("records") == [
        {"Ürün Kodu": "VIB-10000", "Tarih": "2025-11-03", "Adet": "5", "Stok": "12"},
        {"Ürün Kodu": "LUB-10001", "Tarih": "2025-11-04", "Adet": "2.5", "Stok": ""},
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.csv", b"", "empty"),
        ("x.csv", b"\n \n", "empty"),
        ("x.csv", b"just one column\nvalue\n", "no comma, semicolon or tab"),
        ("x.pdf", b"%PDF", "not a CSV or .xlsx file"),
        ("x.xlsx", b"not a zip", "could not be opened as an Excel"),
        ("x.csv", b"a;b\n\x81\x8d;1\n", "neither UTF-8 nor Windows-1254"),
    ],
)
def test_unreadable_files_say_what_to_do(name: str, data: bytes, message: str) -> None:
    with pytest.raises(SalesFileError, match=message):
        read_sales_file(name, data)


def test_decode_prefers_utf8_and_falls_back_to_windows_1254() -> None:
    assert decode_text("Satış".encode()) == ("Satış", "UTF-8")
    assert decode_text("Satış".encode("cp1254")) == ("Satış", "Windows-1254")


def test_sniffing_ignores_decimal_commas_in_a_semicolon_file() -> None:
    assert sniff_delimiter(["a;b;c", "1;2,5;3", "4;5;6,0"]) == ";"
    assert sniff_delimiter(["a,b", "1,2"]) == ","
