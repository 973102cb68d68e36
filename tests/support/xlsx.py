"""Hand-made .xlsx workbooks, byte by byte as Excel lays them out, for hostile-file tests and
the spreadsheet benchmark: any sheet XML (a false ``<dimension>``, a far cell, padding)
with shared strings and a date style (``s="1"``, number format 14)."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"

_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    + "".join(
        f'<Override PartName="/xl/{part}" ContentType="{_OFFICE}.{kind}+xml"/>'
        for part, kind in (
            ("workbook.xml", "sheet.main"),
            ("worksheets/sheet1.xml", "worksheet"),
            ("styles.xml", "styles"),
            ("sharedStrings.xml", "sharedStrings"),
        )
    )
    + "</Types>"
)
_ROOT_RELS = (
    f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" Type="{RELATIONSHIPS}/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
    '<sheet name="Satış" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'<Relationships xmlns="{PACKAGE}">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_STYLES = (
    f'<styleSheet xmlns="{MAIN}"><cellXfs count="2"><xf numFmtId="0"/>'
    '<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>'
)


def sheet_xml(sheet_data: bytes | str, *, dimension: str | None = None) -> bytes:
    """A worksheet part around ``sheet_data`` (the ``<row>`` elements)."""
    data = sheet_data.encode() if isinstance(sheet_data, str) else sheet_data
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{declared}'
        "<sheetData>".encode()
        + data
        + b"</sheetData></worksheet>"
    )


def shared_strings_xml(strings: Sequence[str]) -> bytes:
    """The shared strings part: ``<v>n</v>`` in a ``t="s"`` cell means ``strings[n]``."""
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    return f'<sst xmlns="{MAIN}" uniqueCount="{len(strings)}">{items}</sst>'.encode()


def workbook_bytes(
    sheet: bytes | Iterable[bytes],
    *,
    shared_strings: Sequence[str] = (),
    level: int = 6,
    extra_parts: dict[str, bytes] | None = None,
) -> bytes:
    """A complete workbook whose first sheet is ``sheet`` (see ``sheet_xml``), given whole or
    as chunks (streamed into the zip, for a sheet too big to hold)."""
    parts: dict[str, bytes | Iterable[bytes]] = {
        "[Content_Types].xml": _CONTENT_TYPES.encode(),
        "_rels/.rels": _ROOT_RELS.encode(),
        "xl/workbook.xml": _WORKBOOK.encode(),
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS.encode(),
        "xl/styles.xml": _STYLES.encode(),
        "xl/sharedStrings.xml": shared_strings_xml(shared_strings),
        "xl/worksheets/sheet1.xml": sheet,
        **(extra_parts or {}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, content in parts.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            with archive.open(name, "w") as part:
                for chunk in content:
                    part.write(chunk)
    return buffer.getvalue()


def understate_size(data: bytes, part: str = "xl/worksheets/sheet1.xml", size: int = 1000) -> bytes:
    """``data`` with the central directory declaring ``size`` unpacked bytes for ``part``, as
    a zip bomb that lies about its sizes does."""
    name = part.encode()
    entry = data.find(b"PK\x01\x02")
    while entry >= 0:
        name_length = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46 : entry + 46 + name_length] == name:
            return data[: entry + 24] + struct.pack("<I", size) + data[entry + 28 :]
        entry = data.find(b"PK\x01\x02", entry + 4)
    raise ValueError(f"{part} is not in the zip")


def rows_xml(rows: Sequence[Sequence[str | int | None]], *, first_row: int = 1) -> str:
    """``<row>`` elements for literal rows: str as inline strings, int as numbers, None empty."""
    out = []
    for number, row in enumerate(rows, start=first_row):
        cells = []
        for column, value in enumerate(row):
            ref = f"{get_column_letter(column + 1)}{number}"
            if isinstance(value, str):
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
            elif value is not None:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        out.append(f'<row r="{number}">{"".join(cells)}</row>')
    return "".join(out)
