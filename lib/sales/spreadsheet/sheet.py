"""The first sheet's table: its valued cells, read by the vectorised reader or else by
expat, laid out under the header row (the first row holding a value)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.sales.spreadsheet.cells_fast import fast_cells
from lib.sales.spreadsheet.cells_xml import xml_cells
from lib.sales.spreadsheet.limits import FileLimits, too_many_cells
from lib.sales.spreadsheet.package import Package, open_archive
from lib.sales.spreadsheet.workbook import first_sheet


@dataclass
class Sheet:
    """The first sheet's table: its header row (sheet row ``header_row``), one list of texts
    per header column with one entry per data row, each data row's sheet row in ``lines``,
    and ``blank_rows`` (empty rows above the header and between data rows)."""

    header_row: int
    header: list[str]
    columns: list[np.ndarray]
    lines: np.ndarray
    blank_rows: int


def read_first_sheet(data: bytes, limits: FileLimits) -> Sheet:
    """The first worksheet of the .xlsx ``data``; raises ``SpreadsheetError`` saying why not."""
    with open_archive(data, limits) as archive:
        found = first_sheet(Package(archive, limits))
        cells = fast_cells(found.xml, limits, found.texts, found.dates, found.epoch)
        if cells is None:  # a layout the fast reader does not know: read it tag by tag
            cells = xml_cells(found.xml, limits, found.texts, found.dates, found.epoch)
        return _table(*cells, limits)


def _table(keys: np.ndarray, values: np.ndarray, limits: FileLimits) -> Sheet:
    """The sheet's table from its valued cells: the first valued row is the header."""
    rows, columns = keys >> 16, keys & 0xFFFF
    if not len(rows):
        return Sheet(header_row=0, header=[], columns=[], lines=np.array([]), blank_rows=0)
    header_row = int(rows.min())
    in_header = rows == header_row
    width = int(columns[in_header].max())
    header = np.full(width, "", dtype=object)
    header[columns[in_header] - 1] = values[in_header]
    data = (rows > header_row) & (columns <= width)
    lines = np.unique(rows[data])
    if len(lines) * width > limits.cells:
        raise too_many_cells(limits)
    table = np.full((len(lines), width), "", dtype=object)
    table[np.searchsorted(lines, rows[data]), columns[data] - 1] = values[data]
    last = int(rows.max())  # rows holding values only past the header's columns are blank
    return Sheet(
        header_row=header_row,
        header=header.tolist(),
        columns=[table[:, c] for c in range(width)],
        lines=lines,
        blank_rows=last - 1 - len(lines),
    )
