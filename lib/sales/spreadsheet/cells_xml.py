"""The first sheet's valued cells read tag by tag with expat: any layout XML allows
(namespace prefixes, comments, CDATA, character references, cells without ``r``), for
the sheets the vectorised reader (``cells_fast``) does not know. It keeps only the cells
holding a value, stopping at the first one past the row, column or table limit."""

from __future__ import annotations

from array import array
from collections.abc import Callable
from datetime import datetime

import numpy as np
from openpyxl.utils.cell import column_index_from_string

from lib.sales.spreadsheet.limits import (
    FileLimits,
    far_value,
    missing_text,
    too_long,
    too_many_cells,
)
from lib.sales.spreadsheet.package import CHUNK, LocalNames, parse_xml
from lib.sales.spreadsheet.values import convert

_DIGITS = "0123456789"
_MEMO_SIZE = 100_000  # distinct converted values remembered (numbers and dates repeat)


def xml_cells(
    xml: bytes, limits: FileLimits, texts: list[str], dates: frozenset[str], epoch: datetime
) -> tuple[np.ndarray, np.ndarray]:
    """Each valued cell's key (``row << 16 | column``) and text, from the sheet's ``xml``."""
    reader = _SheetCells(limits, texts, dates, epoch)
    parse_xml(
        (xml[i : i + CHUNK] for i in range(0, len(xml), CHUNK)),
        reader.start,
        None,
        reader.text,
    )
    return reader.cells()


class _SheetCells:
    """expat handlers for a worksheet, collecting each valued cell as (row, column, text).

    This is the hot loop (5,000,000 cells for a 1M-row export), so it only handles start
    tags and text: a cell's value is complete when the next cell or row starts, or the
    sheet ends (text between ``</v>`` and ``</c>`` can only be layout whitespace).
    """

    def __init__(
        self, limits: FileLimits, texts: list[str], dates: frozenset[str], epoch: datetime
    ) -> None:
        self.limits = limits
        self.keys = array("q")  # row << 16 | column, columns being at most limits.columns
        self.values: list[str] = []
        self.start, self.text, self.flush = self._handlers(texts, dates, epoch)

    def _handlers(
        self, texts: list[str], dates: frozenset[str], epoch: datetime
    ) -> tuple[Callable[[str, dict[str, str]], None], Callable[[str], None], Callable[[], None]]:
        limits, keys, values = self.limits, self.keys, self.values
        max_rows, max_columns, max_cells = limits.rows, limits.columns, limits.cells
        names = LocalNames()
        column_numbers: dict[str, int] = {}
        converted: dict[tuple[str, str | None, str], str] = {}
        row = column = 0
        kind, style = "n", None
        value: str | None = None  # the text of the cell being read
        collecting = phonetic = False

        def flush() -> None:
            nonlocal value
            raw, value = value, None
            if kind == "s":
                try:
                    text = texts[int(raw)]  # type: ignore[arg-type]
                except (ValueError, IndexError):
                    raise missing_text(raw or "") from None
            elif kind == "n" and raw.isdigit() and style not in dates:  # type: ignore[union-attr]
                text = raw  # type: ignore[assignment]
            else:
                key = (kind, style if style in dates else None, (raw or "").strip())
                found = converted.get(key)
                if found is None:
                    found = convert(key, epoch)
                    if len(converted) > _MEMO_SIZE:
                        converted.clear()
                    converted[key] = found
                text = found
            if not text:
                return
            if column > max_columns or row > max_rows:
                raise far_value(row, column, limits)
            if len(values) >= max_cells:
                raise too_many_cells(limits)
            keys.append(row << 16 | column)
            values.append(text)

        def start(element: str, attrs: dict[str, str]) -> None:
            nonlocal row, column, kind, style, value, collecting, phonetic
            local = element if element == "c" or element == "v" else names[element]
            if local == "c":
                if value is not None:
                    flush()
                ref = attrs.get("r")
                if ref:
                    letters = ref.rstrip(_DIGITS)
                    number = column_numbers.get(letters)
                    column = number if number else _column_number(column_numbers, letters)
                else:
                    column += 1
                kind = attrs.get("t", "n")
                style = attrs.get("s")
                collecting = phonetic = False
            elif local == "v":
                value, collecting = "", True
            elif local == "row":
                if value is not None:
                    flush()
                number = attrs.get("r")
                row = int(number) if number and number.isdigit() else row + 1
                column = 0
            elif local == "is":
                value, collecting = "", False
            elif local == "t":
                collecting = value is not None and not phonetic
            elif local == "rPh":
                phonetic = True
                collecting = False
            elif local != "r":  # <f>, <rPr>… hold no value text; <r> is a run of <t>s
                collecting = False

        def text(data: str) -> None:
            nonlocal value
            if collecting:
                value += data  # type: ignore[operator]
                if len(value) > limits.cell_chars:  # type: ignore[arg-type]
                    raise too_long(limits)

        def flush_last() -> None:
            if value is not None:
                flush()

        return start, text, flush_last

    def cells(self) -> tuple[np.ndarray, np.ndarray]:
        """Each valued cell's key (``row << 16 | column``) and text, once parsing ended."""
        self.flush()
        return np.frombuffer(self.keys, dtype=np.int64), np.array(self.values, dtype=object)


def _column_number(known: dict[str, int], letters: str) -> int:
    try:
        number = column_index_from_string(letters)
    except ValueError:  # past XFD, or not letters: as far as it claims to be
        number = 2**31
    known[letters] = number
    return number
