"""Reading messy sales exports: encodings, delimiters, blank lines, line numbers, Excel."""

from __future__ import annotations

import codecs
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


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("sku\tqty\nA\t1\n".encode("utf-16") + b"x", r"UTF-16 .* damaged at byte 26 \(truncated"),
        ("sku\tqty\n".encode("utf-16") + b"\x00\xd8" + "\t1\n".encode("utf-16-le"),
         "illegal UTF-16 surrogate"),
        (codecs.BOM_UTF8 + b"sku;qty\n\xff;1\n", r"UTF-8 \(it starts with a BOM\) but is damaged"),
        ("sku;qty\nA;1\n".encode("utf-32-le"), "NUL characters"),
    ],
    ids=["utf16-odd-byte-count", "utf16-lone-surrogate", "utf8-bom-bad-byte", "utf32-no-bom"],
)  # fmt: skip
def test_damaged_unicode_says_what_to_do(data: bytes, message: str) -> None:
    with pytest.raises(SalesFileError, match=message):
        read_sales_file("x.csv", data)


def test_utf16_without_a_bom_is_read() -> None:
    sales = read_sales_file("x.csv", "Ürün;Adet\nVIB-1;5\n".encode("utf-16-le"))
    assert (sales.encoding, sales.headers) == ("UTF-16 without BOM", ["Ürün", "Adet"])
    assert sales.cells.to_dict("records") == [{"Ürün": "VIB-1", "Adet": "5"}]
    big_endian = read_sales_file("x.csv", "sku;qty\nA;1\n".encode("utf-16-be"))
    assert big_endian.headers == ["sku", "qty"]


def test_a_header_without_rows_is_refused() -> None:
    with pytest.raises(SalesFileError, match="has a header row but no rows under it"):
        read_sales_file("x.csv", b"sku;date;qty\n\n")


def test_a_line_written_with_another_separator_is_malformed() -> None:
    text = "sku;date;qty;stock\nA;2025-11-03;1;2\nA,2025-11-04,1,2\nB\n"
    sales = read_sales_file("x.csv", text.encode())
    assert sales.lines.tolist() == [2]
    assert [(m.line, m.fields, m.expected, m.text) for m in sales.malformed] == [
        (3, 1, 4, "A,2025-11-04,1,2"),
        (4, 1, 4, "B"),
    ]
    assert sales.malformed[0].reason == (
        "1 field where the header has 4: the line has no semicolon between its values; it "
        "looks comma-separated. Write every line with the file's semicolons"
    )
    assert "looks" not in sales.malformed[1].reason


def test_a_header_with_too_many_columns_is_refused() -> None:
    header = ";".join(["x"] * 1_500)
    with pytest.raises(SalesFileError, match="has 1,500 columns; StockDesk reads at most 1,000"):
        read_sales_file("x.csv", f"{header}\n{header}\n".encode())
