"""Hostile and unusual .xlsx uploads: refused with a message that says what to do, never
sized from what the file declares; Excel's layout and any other read alike."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import openpyxl
import pytest

from lib.sales.reading import SalesFile, SalesFileError, read_sales_file
from lib.sales.spreadsheet import DEFAULT_LIMITS
from tests.support.xlsx import rows_xml, sheet_xml, understate_size, workbook_bytes

HEADER = ["Ürün Kodu", "Tarih", "Adet"]
# Any XML comment inside the sheet data sends the sheet to the tag-by-tag (expat) reader.
EXPAT = "<!-- not Excel's layout -->"


def read(data: bytes, **limits: int) -> SalesFile:
    return read_sales_file("satis.xlsx", data, replace(DEFAULT_LIMITS, **limits))


def workbook(rows_and_more: str, **options: object) -> bytes:
    return workbook_bytes(sheet_xml(rows_and_more), **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("layout", ["", EXPAT], ids=["excel-layout", "other-layout"])
def test_a_value_in_the_last_cell_of_the_sheet_is_refused(layout: str) -> None:
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    sheet = sheet_xml(rows_xml([HEADER, ["SKU-1", "2025-11-03", 5]]) + layout + far,
                      dimension="A1:XFD1048576")  # fmt: skip
    data = workbook_bytes(sheet, level=9)
    assert len(data) < 2500
    with pytest.raises(SalesFileError, match="value in column 16,384; StockDesk reads at most"):
        read(data)


def test_openpyxls_far_cell_file_is_refused_too() -> None:
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active["XFD1048576"] = 1
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(SalesFileError, match="Ctrl\\+End goes to the last cell"):
        read(buffer.getvalue())


def test_the_declared_dimension_is_ignored() -> None:
    sheet = sheet_xml(rows_xml([HEADER, ["SKU-1", "2025-11-03", 5]]), dimension="A1:XFD1048576")
    sales = read(workbook_bytes(sheet))
    assert sales.cells.to_dict("records") == [
        {"Ürün Kodu": "SKU-1", "Tarih": "2025-11-03", "Adet": "5"}
    ]


def whitespace_bomb(spaces: int) -> bytes:
    """A header row, then ``spaces`` spaces in the sheet data: packs about 1,000 times."""
    return workbook(rows_xml([HEADER, ["SKU-1", "2025-11-03", 5]]) + " " * spaces, level=9)


def test_a_zip_bomb_is_refused_from_its_declared_ratio_before_unpacking() -> None:
    with pytest.raises(SalesFileError, match=r"times its packed size.*zip bomb"):
        read(whitespace_bomb(3_000_000))


def test_a_workbook_unpacking_past_the_size_limit_is_refused() -> None:
    with pytest.raises(SalesFileError, match=r"unpacks to more than .* Split the sales"):
        read(whitespace_bomb(200_000), unpacked_bytes=100_000)


def test_a_zip_that_understates_its_sizes_stops_at_the_declared_size() -> None:
    data = understate_size(whitespace_bomb(3_000_000), size=50_000)
    with pytest.raises(SalesFileError, match=r"could not be opened as an Excel \.xlsx workbook"):
        read(data)


def test_row_cell_and_length_limits() -> None:
    rows = rows_xml([HEADER, *[[f"SKU-{n}", "2025-11-03", n] for n in range(5)]])
    data = workbook(rows)
    with pytest.raises(SalesFileError, match="value in row 4; StockDesk reads at most 3 rows"):
        read(data, rows=3)
    with pytest.raises(SalesFileError, match="more than 12 cells"):
        read(data, cells=12)
    with pytest.raises(SalesFileError, match="more than 6 characters"):
        read(data, cell_chars=6)
    with pytest.raises(SalesFileError, match="more than 3 files"):
        read(data, parts=3)


def test_a_document_type_declaration_is_refused() -> None:
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
        + sheet_xml(rows_xml([HEADER])).split(b"?>", 1)[1]
    )
    with pytest.raises(SalesFileError, match="document type declaration"):
        read(workbook_bytes(sheet))


def test_a_header_without_rows_is_refused() -> None:
    with pytest.raises(SalesFileError, match="has a header row but no rows under it"):
        read(workbook(rows_xml([HEADER, [], []])))


RICH = (
    '<c r="C{n}" t="inlineStr"><is><r><t>Kadı</t></r><r><rPr><b/></rPr><t>köy</t></r>'
    "<rPh><t>kana</t></rPh></is></c>"
)


@pytest.mark.parametrize("layout", ["", EXPAT], ids=["excel-layout", "other-layout"])
def test_every_kind_of_cell_reads_as_a_csv_export_would_hold_it(layout: str) -> None:
    header = '<row r="1">' + "".join(
        f'<c r="{c}1" t="s"><v>{n}</v></c>' for n, c in enumerate("ABCDEF")
    )
    sheet = (
        f"{header}</row>"
        '<row r="3"><c r="A3" t="s"><v>6</v></c><c r="B3" s="1"><v>45964</v></c>'
        '<c r="C3"><v>5</v></c><c r="D3"><f>2*3</f><v>6.5</v></c><c r="E3" t="b"><v>1</v></c>'
        '<c r="F3" t="inlineStr"><is><t>Tom &amp; Co</t></is></c><c r="H3"><v>9</v></c></row>'
        f'{layout}<row r="4"><c r="A4" t="s"><v>7</v></c><c r="B4" t="str"><v> 2025-11-04 </v></c>'
        f'<c r="C4" s="1"/><c r="D4" t="e"><v>#N/A</v></c>{RICH.format(n=4).replace("C4", "F4")}'
        "</row>"
        '<row r="6"><c r="H6"><v>1</v></c></row>'  # only past the header: a blank line
    )
    strings = ["SKU", "Date", "Qty", "Stock", "Flag", "Note", "VIB-1", "  LUB-2  "]
    sales = read(workbook_bytes(sheet_xml(sheet), shared_strings=strings))
    assert sales.headers == ["SKU", "Date", "Qty", "Stock", "Flag", "Note"]
    assert sales.lines.tolist() == [3, 4]
    assert sales.blank_lines == 3  # lines 2 and 5, and 6 (a value past the header only)
    assert sales.cells.to_dict("records") == [
        {"SKU": "VIB-1", "Date": "2025-11-03", "Qty": "5", "Stock": "6.5", "Flag": "True",
         "Note": "Tom & Co"},
        {"SKU": "LUB-2", "Date": "2025-11-04", "Qty": "", "Stock": "#N/A", "Flag": "",
         "Note": "Kadıköy"},
    ]  # fmt: skip


def test_a_zip_that_is_not_a_workbook_says_so() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(SalesFileError, match="not an Excel workbook"):
        read(buffer.getvalue())
