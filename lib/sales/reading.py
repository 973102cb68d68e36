"""Reading a shop's sales export (CSV or .xlsx) into a table of text cells with line numbers.

Nothing is interpreted here except the file's own structure: the text encoding
(UTF-8 with or without BOM, UTF-16 with or without BOM, Windows-1254), the delimiter
(comma, semicolon or tab), the header row, blank lines (skipped and counted) and lines
with the wrong number of fields (kept as malformed, with their line number). Every cell
stays text, stripped of surrounding spaces; ``formats`` and ``validation`` give it
meaning. Workbooks are read by ``spreadsheet``, streaming and within ``FileLimits``; a
file that cannot be read, or has no rows under its header, raises ``SalesFileError``.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import PurePath

import numpy as np
import pandas as pd

from lib.sales.spreadsheet import DEFAULT_LIMITS, FileLimits, SpreadsheetError, read_first_sheet

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx",)
DELIMITERS = (";", "\t", ",")
DELIMITER_NAMES = {";": "semicolon", "\t": "tab", ",": "comma"}
_SNIFF_LINES = 50
_SNIFF_CHARS = 200_000
_SHOWN_LINE_CHARS = 200
# UTF-16 without a byte-order mark: most characters of a sales file are ASCII, so about
# every other byte is NUL; this share of the first bytes decides it.
_UTF16_SAMPLE_BYTES = 4096
_UTF16_NUL_SHARE = 0.3
_SKIPPED_LINE = re.compile(r"Skipping line (\d+): expected (\d+) fields, saw (\d+)")


class SalesFileError(ValueError):
    """The file cannot be read as a table; the message says what to change."""


@dataclass(frozen=True)
class MalformedLine:
    """A line that cannot be split into the header's columns: more fields than the header,
    or a single field (no separator of the file at all); ``reason`` says which and what to do."""

    line: int
    fields: int
    expected: int
    text: str
    reason: str


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


def read_sales_file(name: str, data: bytes, limits: FileLimits = DEFAULT_LIMITS) -> SalesFile:
    """Read an uploaded CSV or .xlsx file; raises ``SalesFileError`` with what to do."""
    suffix = PurePath(name).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        sales = _read_excel(name, data, limits)
    elif suffix in CSV_SUFFIXES or not suffix:
        sales = _read_csv(name, data, limits)
    else:
        raise SalesFileError(
            f"{name} is not a CSV or .xlsx file. Export the sales as CSV (comma, semicolon or "
            "tab separated) or as an Excel .xlsx workbook."
        )
    if not sales.data_rows:
        raise SalesFileError(
            f"{name} has a header row but no rows under it, so there is nothing to check or "
            "send. Choose the file that holds the sales rows, or export them again."
        )
    return sales


def decode_text(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was in: a BOM decides, else UTF-16 if every other
    byte is NUL, else UTF-8, else Windows-1254."""
    if data.startswith(codecs.BOM_UTF8):
        text = _decode(data[len(codecs.BOM_UTF8) :], "utf-8", "UTF-8 (it starts with a BOM)")
        return _no_nul(text), "UTF-8 with BOM"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _no_nul(_decode(data, "utf-16", "UTF-16 (it starts with a BOM)")), "UTF-16"
    utf16 = _utf16_without_bom(data)
    if utf16:
        text = _decode(data, utf16, "UTF-16 without a byte-order mark (every other byte is 0)")
        return _no_nul(text), "UTF-16 without BOM"
    try:
        return _no_nul(data.decode("utf-8")), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        # Turkish Windows exports: ş, ğ, ı, İ are single bytes that are invalid UTF-8.
        return _no_nul(data.decode("cp1254")), "Windows-1254"
    except UnicodeDecodeError as exc:
        raise SalesFileError(
            "The file's text is neither UTF-8 nor Windows-1254 (Turkish). Save it again as "
            "CSV UTF-8 from Excel or your point-of-sale system."
        ) from exc


def _decode(data: bytes, codec: str, described: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise SalesFileError(
            f"The file looks like {described} but is damaged at byte {exc.start:,} "
            f"({exc.reason}). Save it again as CSV UTF-8 from Excel or your point-of-sale "
            "system."
        ) from exc


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when NULs fill one byte of each pair, else None."""
    sample = data[: _UTF16_SAMPLE_BYTES - _UTF16_SAMPLE_BYTES % 2]
    pairs = len(sample) // 2
    if not pairs:
        return None
    even, odd = sample[0::2].count(0) / pairs, sample[1::2].count(0) / pairs
    if odd >= _UTF16_NUL_SHARE and not even:
        return "utf-16-le"
    if even >= _UTF16_NUL_SHARE and not odd:
        return "utf-16-be"
    return None


def _no_nul(text: str) -> str:
    if "\x00" in text:
        raise SalesFileError(
            "The file contains NUL characters, which a text export never has: it is probably "
            "UTF-32 or another Unicode encoding StockDesk does not read, or not a CSV at all. "
            "Save it again as CSV UTF-8 from Excel or your point-of-sale system."
        )
    return text


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


def _read_csv(name: str, data: bytes, limits: FileLimits) -> SalesFile:
    text, encoding = decode_text(data)
    head = [line.rstrip("\r") for line in text[:_SNIFF_CHARS].split("\n")]
    leading_blank = next((i for i, line in enumerate(head) if line.strip()), None)
    if leading_blank is None:
        raise SalesFileError(f"{name} is empty: it needs a header row and at least one row.")
    sample = [line for line in head[leading_blank:] if line.strip()][:_SNIFF_LINES]
    delimiter = sniff_delimiter(sample)
    columns = len(next(csv.reader(sample[:1], delimiter=delimiter)))
    if columns > limits.columns:
        raise SalesFileError(
            f"The header row of {name} has {columns:,} columns; StockDesk reads at most "
            f"{limits.columns:,}. Export only the sales columns (product, date, quantity, "
            "stock, warehouse)."
        )
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
    source = _SourceLines(text)
    malformed = [
        MalformedLine(
            line=line + offset,
            fields=fields,
            expected=expected,
            text=source.shown(line + offset),
            reason=f"{fields} fields where the header has {expected}: check the separator, "
            "or put quotes around values that contain it",
        )
        for line, fields, expected in skipped
    ]
    cells, lines, single = _split_single_fields(cells, lines, source, delimiter)
    malformed.extend(single)
    cells, lines, blank = _drop_blank_rows(cells, lines)
    return SalesFile(
        name=name,
        cells=cells,
        lines=lines,
        encoding=encoding,
        delimiter=delimiter,
        blank_lines=blank + leading_blank,
        malformed=tuple(sorted(malformed, key=lambda m: m.line)),
    )


class _SourceLines:
    """The file's lines by number, split only when a malformed line needs them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[str] | None = None

    def raw(self, line: int) -> str:
        """Line ``line`` (1-based) without its line break."""
        if self.lines is None:
            self.lines = self.text.split("\n")
        return self.lines[line - 1].rstrip("\r")

    def shown(self, line: int) -> str:
        """Line ``line`` cut to a readable length, for the report."""
        return self.raw(line)[:_SHOWN_LINE_CHARS]


def _split_single_fields(
    cells: pd.DataFrame, lines: np.ndarray, source: _SourceLines, delimiter: str
) -> tuple[pd.DataFrame, np.ndarray, list[MalformedLine]]:
    """Take out the lines without a single separator of the file (pandas would put the whole
    line in the first column, as if it were a product code) and report them as malformed."""
    if len(cells.columns) < 2:
        return cells, lines, []
    rest_empty = np.ones(len(cells), dtype=bool)
    for column in cells.columns[1:]:
        rest_empty &= (cells[column] == "").to_numpy()
    candidates = np.flatnonzero(rest_empty & (cells[cells.columns[0]] != "").to_numpy())
    single = [int(i) for i in candidates if delimiter not in source.raw(int(lines[i]))]
    if not single:
        return cells, lines, []
    expected = len(cells.columns)
    malformed = [
        MalformedLine(
            line=int(lines[i]),
            fields=1,
            expected=expected,
            text=source.shown(int(lines[i])),
            reason=_single_field_reason(source.raw(int(lines[i])), delimiter, expected),
        )
        for i in single
    ]
    keep = np.ones(len(cells), dtype=bool)
    keep[single] = False
    return cells[keep].reset_index(drop=True), lines[keep], malformed


def _single_field_reason(line: str, delimiter: str, expected: int) -> str:
    name = DELIMITER_NAMES[delimiter]
    others = [d for d in DELIMITERS if d != delimiter and d in line]
    seems = f"; it looks {DELIMITER_NAMES[others[0]]}-separated" if others else ""
    return (
        f"1 field where the header has {expected}: the line has no {name} between its "
        f"values{seems}. Write every line with the file's {name}s"
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


def _read_excel(name: str, data: bytes, limits: FileLimits) -> SalesFile:
    try:
        sheet = read_first_sheet(data, limits)
    except SpreadsheetError as error:
        raise SalesFileError(str(error)) from error
    if not sheet.header:
        raise SalesFileError(f"The first sheet of {name} is empty.")
    cells = pd.DataFrame(
        {position: pd.Series(column, dtype="str") for position, column in enumerate(sheet.columns)}
    )
    cells.columns = sheet.header
    return SalesFile(
        name=name,
        cells=_clean_headers(cells),
        lines=np.asarray(sheet.lines, dtype=np.int64),
        encoding="Excel",
        delimiter=None,
        blank_lines=sheet.blank_rows,
        malformed=(),
    )
