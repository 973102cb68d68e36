"""Reading a shop's sales export (CSV or .xlsx) into a table of text cells with line numbers.

Nothing is interpreted here except the file's own structure: the text encoding
(UTF-8 with or without BOM, UTF-16 with BOM, Windows-1254), the delimiter (comma,
semicolon or tab), the header row, blank lines (skipped and counted) and lines with
the wrong number of fields (kept as malformed, with their line number). Every cell
stays text, stripped of surrounding spaces; ``formats`` and ``validation`` give it
meaning.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

import numpy as np
import openpyxl
import pandas as pd

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx",)
DELIMITERS = (";", "\t", ",")
DELIMITER_NAMES = {";": "semicolon", "\t": "tab", ",": "comma"}
_SNIFF_LINES = 50
_SNIFF_CHARS = 200_000
_SHOWN_LINE_CHARS = 200
_SKIPPED_LINE = re.compile(r"Skipping line (\d+): expected (\d+) fields, saw (\d+)")


class SalesFileError(ValueError):
    """The file cannot be read as a table; the message says what to change."""


@dataclass(frozen=True)
class MalformedLine:
    """A line with more fields than the header: it cannot be split into the columns."""

    line: int
    fields: int
    expected: int
    text: str


@dataclass(frozen=True)
class SalesFile:
    """A sales file as text cells: ``cells`` has one str column per header, ``lines`` the
    1-based line (CSV) or sheet row (Excel) of each of its rows."""

    name: str
    cells: pd.DataFrame
    lines: np.ndarray
    encoding: str
    delimiter: str | None
    blank_lines: int
    malformed: tuple[MalformedLine, ...]

    @property
    def headers(self) -> list[str]:
        """The column names, as written in the header row (stripped)."""
        return [str(c) for c in self.cells.columns]

    @property
    def data_rows(self) -> int:
        """Rows under the header that hold data, including malformed ones; blank lines excluded."""
        return len(self.cells) + len(self.malformed)

    def describe(self) -> str:
        """``semicolon-separated, windows-1254`` or ``Excel sheet``: how the file was read."""
        if self.delimiter is None:
            return "Excel sheet"
        return f"{DELIMITER_NAMES[self.delimiter]}-separated, {self.encoding}"


def read_sales_file(name: str, data: bytes) -> SalesFile:
    """Read an uploaded CSV or .xlsx file; raises ``SalesFileError`` with what to do."""
    suffix = PurePath(name).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(name, data)
    if suffix in CSV_SUFFIXES or not suffix:
        return _read_csv(name, data)
    raise SalesFileError(
        f"{name} is not a CSV or .xlsx file. Export the sales as CSV (comma, semicolon or "
        "tab separated) or as an Excel .xlsx workbook."
    )


def decode_text(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was in: a BOM decides, else UTF-8, else Windows-1254."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "UTF-8 with BOM"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        # Turkish Windows exports: ş, ğ, ı, İ are single bytes that are invalid UTF-8.
        return data.decode("cp1254"), "Windows-1254"
    except UnicodeDecodeError as exc:
        raise SalesFileError(
            "The file's text is neither UTF-8 nor Windows-1254 (Turkish). Save it again as "
            "CSV UTF-8 from Excel or your point-of-sale system."
        ) from exc


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the header and the first data lines into the same number
    (≥ 2) of fields, the most fields winning; else the one giving the header most fields."""
    if not lines:
        raise SalesFileError("The file is empty: it needs a header row and at least one row.")
    consistent: dict[str, int] = {}
    header_fields: dict[str, int] = {}
    for delimiter in DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        header_fields[delimiter] = counts[0]
        if counts[0] >= 2 and all(count == counts[0] for count in counts):
            consistent[delimiter] = counts[0]
    chosen = consistent or {d: n for d, n in header_fields.items() if n >= 2}
    if not chosen:
        raise SalesFileError(
            "Could not find the columns: the header row has no comma, semicolon or tab "
            "between its column names. Export the file with one of those separators."
        )
    return max(chosen, key=lambda d: chosen[d])


def _read_csv(name: str, data: bytes) -> SalesFile:
    text, encoding = decode_text(data)
    head = [line.rstrip("\r") for line in text[:_SNIFF_CHARS].split("\n")]
    leading_blank = next((i for i, line in enumerate(head) if line.strip()), None)
    if leading_blank is None:
        raise SalesFileError(f"{name} is empty: it needs a header row and at least one row.")
    sample = [line for line in head[leading_blank:] if line.strip()][:_SNIFF_LINES]
    delimiter = sniff_delimiter(sample)
    body = text if leading_blank == 0 else _drop_first_lines(text, leading_blank)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            cells = pd.read_csv(
                # Bytes parse faster than a str (the C parser works on UTF-8 bytes).
                io.BytesIO(body.encode("utf-8")),
                encoding="utf-8",
                sep=delimiter,
                dtype=str,
                na_filter=False,
                keep_default_na=False,
                skip_blank_lines=False,
                on_bad_lines="warn",
                engine="c",
            )
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise SalesFileError(f"{name} could not be read as CSV: {exc}") from exc
    skipped = [
        (int(m[1]), int(m[3]), int(m[2]))
        for warning in caught
        for m in _SKIPPED_LINE.finditer(str(warning.message))
    ]
    cells = _clean_headers(cells)
    offset = leading_blank
    lines = _record_lines(cells, body, [line for line, _, _ in skipped]) + offset
    malformed: tuple[MalformedLine, ...] = ()
    if skipped:
        source = text.split("\n")
        malformed = tuple(
            MalformedLine(
                line=line + offset,
                fields=fields,
                expected=expected,
                text=source[line + offset - 1].rstrip("\r")[:_SHOWN_LINE_CHARS],
            )
            for line, fields, expected in skipped
        )
    cells, lines, blank = _drop_blank_rows(cells, lines)
    return SalesFile(
        name=name,
        cells=cells,
        lines=lines,
        encoding=encoding,
        delimiter=delimiter,
        blank_lines=blank + leading_blank,
        malformed=malformed,
    )


def _drop_first_lines(text: str, count: int) -> str:
    position = 0
    for _ in range(count):
        position = text.index("\n", position) + 1
    return text[position:]


def _record_lines(cells: pd.DataFrame, body: str, skipped: list[int]) -> np.ndarray:
    """1-based line of each parsed row: the header is line 1, skipped lines leave gaps.

    Quoted cells may span lines; that is rare, so it is only computed when the file has
    more line breaks than rows.
    """
    n = len(cells)
    lines = np.arange(2, n + 2, dtype=np.int64)
    breaks = body.count("\n") + (0 if body.endswith("\n") else 1)
    if breaks != n + 1 + len(skipped) and n:
        inside = np.zeros(n, dtype=np.int64)
        for column in cells.columns:
            inside += cells[column].str.count("\n").to_numpy(dtype=np.int64)
        lines += np.concatenate(([0], np.cumsum(inside)[:-1]))
    for line in sorted(skipped):
        lines[lines >= line] += 1
    return lines


def _clean_headers(cells: pd.DataFrame) -> pd.DataFrame:
    names: list[str] = []
    for position, raw in enumerate(cells.columns):
        name = " ".join(str(raw).split())
        if not name or name.startswith("Unnamed: "):
            name = f"Column {position + 1}"
        while name in names:  # Excel allows the same header twice; pandas mangles CSV ones
            name += " (2)"
        names.append(name)
    cells.columns = names
    for column in cells.columns:
        cells[column] = cells[column].str.strip()
    return cells


def _drop_blank_rows(
    cells: pd.DataFrame, lines: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray, int]:
    blank = np.ones(len(cells), dtype=bool)
    for column in cells.columns:
        blank &= (cells[column] == "").to_numpy()
    if not blank.any():
        return cells, lines, 0
    keep = ~blank
    return cells[keep].reset_index(drop=True), lines[keep], int(blank.sum())


def _read_excel(name: str, data: bytes) -> SalesFile:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise SalesFileError(
            f"{name} could not be opened as an Excel .xlsx workbook ({type(exc).__name__}). "
            "Save it again from Excel, or export it as CSV."
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = [
            [_excel_text(value) for value in row]
            for row in sheet.iter_rows(min_row=1, values_only=True)
        ]
    finally:
        workbook.close()
    header_index = next((i for i, row in enumerate(rows) if any(rows[i])), None)
    if header_index is None:
        raise SalesFileError(f"The first sheet of {name} is empty.")
    header = rows[header_index]
    width = max(i + 1 for i, cell in enumerate(header) if cell)
    body = [(row + [""] * width)[:width] for row in rows[header_index + 1 :]]
    cells = pd.DataFrame(body, columns=header[:width], dtype="str")
    if cells.empty:
        cells = pd.DataFrame({c: pd.Series([], dtype="str") for c in header[:width]})
    cells = _clean_headers(cells)
    lines = np.arange(header_index + 2, header_index + 2 + len(cells), dtype=np.int64)
    cells, lines, blank = _drop_blank_rows(cells, lines)
    return SalesFile(
        name=name,
        cells=cells,
        lines=lines,
        encoding="Excel",
        delimiter=None,
        blank_lines=blank + header_index,
        malformed=(),
    )


def _excel_text(value: object) -> str:
    """A cell as the text a CSV export would hold: dates ISO, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
