"""The first sheet of an .xlsx workbook, read as a stream and within limits.

An .xlsx file is a zip of XML parts, and both layers can lie: 1.5 KB can declare (or hold
one value at) XFD1048576, the last cell a sheet has, and 1 MB of zip can unpack to
gigabytes of whitespace. So nothing is sized from what the file declares. Before a part
is unpacked its declared size and compression ratio are checked; it is then unpacked in
chunks that are counted; and the sheet is parsed as a stream (expat) that keeps only the
cells holding a value, stopping at the first one past the row, column or table limit.
Memory follows the cells actually kept, never the ``<dimension>`` the sheet declares.

Cells come back as the text a CSV export would hold: dates ISO (from the cell's number
format, as Excel shows them), whole numbers without ``.0``, booleans ``True``/``False``.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.parsers import expat

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

_CHUNK = 1 << 20
# Below this a part may pack as tightly as it likes (a styles part of repeated empty
# formats packs 200 times); above it, a ratio past ``FileLimits.ratio`` is a zip bomb.
_RATIO_GRACE_BYTES = 1 << 20
_ZIP_ENTRY = b"PK\x01\x02"  # the signature of each central-directory entry
_WORKSHEET = "/worksheet"
_DIGITS = "0123456789"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# The layout ``_fast_cells`` reads: a cell tag as Excel, LibreOffice and openpyxl write it
# (r first, then s and t), with a formula and a value, or an inline string, or nothing.
_CELL_TAG = b'<c r="'
_FAST_CELL = (
    r'^(?P<col>[A-Z]{1,3})(?P<row>[0-9]{1,7})"(?: s="(?P<s>[0-9]+)")?(?: t="(?P<t>[a-zA-Z]+)")?'
    r'(?: [a-zA-Z]+="[^"<>]*")*(?:/>|>(?:<f>[^<]*</f>|<f [^>]*/>|<f [^>]*>[^<]*</f>)?'
    r"(?:<v>(?P<v>[^<]*)</v>|<is>(?P<is>(?s:.*?))</is>)?</c>)"
)
# Comments, CDATA, processing instructions, character references, other cell tags and
# namespace prefixes: all fine XML, all left to expat.
# Left to expat: comments, CDATA and processing instructions (``<!``, ``<?``), character
# references, cell tags without attributes or with a line break, namespace prefixes.
_NOT_ELEMENTS = np.frombuffer(b"!?", dtype=np.uint8)
_OTHER_CELL_TAGS = np.frombuffer(b">/\t\n\r", dtype=np.uint8)
_PREFIXED_TAG = re.compile(rb"</?[A-Za-z_][\w.-]*:")
_UTF8_DECLARATION = re.compile(
    rb"(?:<\?xml[^>]*encoding=[\"'](?i:utf-8)[\"'][^>]*\?>|<\?xml(?:(?!encoding)[^>])*\?>)?"
)
_PHONETIC = r"(?s)<rPh\b.*?</rPh>"
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&"))
_MEMO_SIZE = 100_000  # distinct converted values remembered (numbers and dates repeat)
_PARTS_CHECKED = 8  # text pieces of one cell before its length is checked


class SpreadsheetError(ValueError):
    """The workbook cannot be read, or is past a limit; the message says what to do."""


@dataclass(frozen=True)
class FileLimits:
    """How much of an uploaded file StockDesk reads; past any of these it is refused (a CSV
    is held to ``columns``; its size is Streamlit's upload limit)."""

    rows: int = 1_048_576  # Excel's own last row
    columns: int = 1_000  # at most 65,535: a cell's row and column are packed in one integer
    cells: int = 20_000_000  # data rows × header columns, the table kept in memory
    cell_chars: int = 32_767  # Excel's own limit for one cell
    unpacked_bytes: int = 1 << 30  # the parts read (sheet, shared texts, styles), together
    ratio: int = 100  # unpacked ÷ packed size of one part; Apache POI's zip-bomb default
    parts: int = 10_000  # files inside the zip; Excel writes a few dozen


DEFAULT_LIMITS = FileLimits()


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
    if data.count(_ZIP_ENTRY) > limits.parts:
        raise SpreadsheetError(
            f"The workbook holds more than {limits.parts:,} files; Excel writes a few dozen. "
            "Save it again from Excel, or export the sheet as CSV."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise _damaged(exc) from exc
    with archive:
        return _Package(archive, limits).read_first_sheet()


def _damaged(exc: BaseException) -> SpreadsheetError:
    reason = str(exc) or type(exc).__name__
    return SpreadsheetError(
        f"The file could not be opened as an Excel .xlsx workbook ({reason}). Save it again "
        "from Excel, or export it as CSV."
    )


def _refuse_doctype(*_: object) -> None:
    # Excel never writes a DTD; refusing it rules out entity expansion (billion laughs).
    raise SpreadsheetError(
        "The workbook contains a document type declaration, which Excel never writes, so it "
        "is not a genuine Excel workbook. Save it again from Excel, or export it as CSV."
    )


def _parse(
    chunks: Iterable[bytes],
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None,
    text: Callable[[str], None] | None,
) -> None:
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise _damaged(exc) from exc


class _LocalNames(dict[str, str]):
    """``x:c`` → ``c``: element names without their namespace prefix, computed once each."""

    def __missing__(self, name: str) -> str:
        local = self[name] = name.rpartition(":")[2]
        return local


@dataclass
class _Package:
    """The zip's parts, unpacked within the limits: sizes declared, then sizes counted."""

    archive: zipfile.ZipFile
    limits: FileLimits
    unpacked: int = 0
    names: dict[str, zipfile.ZipInfo] = field(init=False)

    def __post_init__(self) -> None:
        # Part names are case-insensitive in the Open Packaging Conventions.
        self.names = {info.filename.lower(): info for info in self.archive.infolist()}

    def chunks(self, path: str) -> Iterator[bytes] | None:
        """Part ``path`` unpacked in chunks within the limits; None if there is no such part."""
        info = self.names.get(path.lower())
        if info is None:
            return None
        self._check_declared(info)
        return self._unpack(info)

    def _unpack(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        try:
            with self.archive.open(info) as stream:
                # zipfile stops at the declared size and fails the CRC check if there was
                # more, so the counted size cannot pass the declared one; count it anyway.
                while chunk := stream.read(_CHUNK):
                    self.unpacked += len(chunk)
                    if self.unpacked > self.limits.unpacked_bytes:
                        raise self._too_big(info)
                    yield chunk
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            NotImplementedError,  # a compression method zipfile does not know
            RuntimeError,  # an encrypted part
        ) as exc:
            raise _damaged(exc) from exc

    def parse(
        self,
        path: str,
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None] | None = None,
        text: Callable[[str], None] | None = None,
    ) -> bool:
        """Stream part ``path`` through expat with these handlers; False if there is none."""
        chunks = self.chunks(path)
        if chunks is None:
            return False
        _parse(chunks, start, end, text)
        return True

    def _check_declared(self, info: zipfile.ZipInfo) -> None:
        if self.unpacked + info.file_size > self.limits.unpacked_bytes:
            raise self._too_big(info)
        packed = max(info.compress_size, 1)
        if info.file_size > _RATIO_GRACE_BYTES and info.file_size > self.limits.ratio * packed:
            raise SpreadsheetError(
                f"The workbook's part {info.filename} would unpack from {packed:,} to "
                f"{info.file_size:,} bytes, {info.file_size // packed:,} times its packed "
                f"size; genuine sheets pack at most about {self.limits.ratio} times, so this "
                "is a zip bomb or a damaged file. Save it again from Excel, or export it as CSV."
            )

    def _too_big(self, info: zipfile.ZipInfo) -> SpreadsheetError:
        return SpreadsheetError(
            f"The workbook unpacks to more than {self.limits.unpacked_bytes / 2**20:,.0f} MB "
            f"(its part {info.filename} alone to {info.file_size / 2**20:,.0f} MB), more than "
            "StockDesk reads from one file. Split the sales into smaller files, or export the "
            "sheet as CSV."
        )

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Id → (type, absolute part path) of the relationships of ``part``."""
        folder, name = posixpath.split(part)
        found: dict[str, tuple[str, str]] = {}

        def start(element: str, attrs: dict[str, str]) -> None:
            target = attrs.get("Target")
            internal = attrs.get("TargetMode") != "External"
            if element.rpartition(":")[2] == "Relationship" and target and internal:
                found[attrs.get("Id", "")] = (attrs.get("Type", ""), _resolve(folder, target))

        self.parse(posixpath.join(folder, "_rels", f"{name}.rels"), start)
        return found

    def read_first_sheet(self) -> Sheet:
        """Find the workbook, its first worksheet, styles and shared texts; read the sheet."""
        workbook = next(
            (p for t, p in self.relationships("").values() if t.endswith("/officeDocument")),
            "xl/workbook.xml",
        )
        sheet_ids, epoch = self._workbook(workbook)
        related = self.relationships(workbook)
        sheets = [
            related[i][1] for i in sheet_ids if related.get(i, ("", ""))[0].endswith(_WORKSHEET)
        ]
        if not sheets:
            raise SpreadsheetError(
                "The workbook has no worksheet. Save the sales as an Excel .xlsx workbook, "
                "or export them as CSV."
            )
        folder = posixpath.dirname(workbook)
        by_type = {t.rpartition("/")[2]: p for t, p in related.values()}
        dates = self._date_styles(by_type.get("styles", posixpath.join(folder, "styles.xml")))
        texts = self._shared_texts(
            by_type.get("sharedStrings", posixpath.join(folder, "sharedStrings.xml"))
        )
        chunks = self.chunks(sheets[0])
        if chunks is None:
            raise SpreadsheetError(
                f"The workbook names a first sheet ({sheets[0]}) that is not in the file: the "
                "file is damaged. Save it again from Excel, or export it as CSV."
            )
        xml = b"".join(chunks)
        cells = _fast_cells(xml, self.limits, texts, dates, epoch)
        if cells is None:  # a layout the fast reader does not know: read it tag by tag
            reader = _SheetCells(self.limits, texts, dates, epoch)
            _parse(
                (xml[i : i + _CHUNK] for i in range(0, len(xml), _CHUNK)),
                reader.start,
                None,
                reader.text,
            )
            cells = reader.cells()
        return _table(*cells, self.limits)

    def _workbook(self, path: str) -> tuple[list[str], datetime]:
        """The relationship ids of the sheets in workbook order, and the date epoch."""
        ids: list[str] = []
        epoch = [WINDOWS_EPOCH]

        def start(element: str, attrs: dict[str, str]) -> None:
            local = element.rpartition(":")[2]
            if local == "sheet":
                ids.extend(v for k, v in attrs.items() if k.endswith(":id"))
            elif local == "workbookPr" and attrs.get("date1904") in ("1", "true"):
                epoch[0] = MAC_EPOCH

        if not self.parse(path, start):
            raise SpreadsheetError(
                "The file is a zip but not an Excel workbook (it has no workbook part). Save "
                "the sales as an Excel .xlsx workbook, or export them as CSV."
            )
        return ids, epoch[0]

    def _date_styles(self, path: str) -> frozenset[str]:
        """The cell styles (``s="…"``) whose number format shows a date."""
        formats: dict[str, str] = {}
        cell_formats: list[str] = []
        inside = [False]

        def start(element: str, attrs: dict[str, str]) -> None:
            local = element.rpartition(":")[2]
            if local == "numFmt":
                formats[attrs.get("numFmtId", "")] = attrs.get("formatCode", "")
            elif local == "cellXfs":
                inside[0] = True
            elif local == "xf" and inside[0]:
                cell_formats.append(attrs.get("numFmtId", "0"))

        def end(element: str) -> None:
            if element.rpartition(":")[2] == "cellXfs":
                inside[0] = False

        self.parse(path, start, end)
        return frozenset(
            str(style)
            for style, number_format in enumerate(cell_formats)
            if is_date_format(formats.get(number_format) or _builtin_format(number_format))
        )

    def _shared_texts(self, path: str) -> list[str]:
        """The workbook's shared texts, in order (phonetic guides left out, as Excel shows)."""
        texts: list[str] = []
        names = _LocalNames()
        state = _TextState(self.limits)

        def start(element: str, _: dict[str, str]) -> None:
            local = names[element]
            if local == "si":
                state.begin()
            else:
                state.open(local)

        def end(element: str) -> None:
            local = names[element]
            if local == "si":
                if len(texts) >= self.limits.cells:
                    raise SpreadsheetError(
                        f"The workbook holds more than {self.limits.cells:,} texts, more than "
                        "StockDesk reads from one file. Split the sales into smaller files."
                    )
                texts.append(state.finish())
            else:
                state.close(local)

        self.parse(path, start, end, state.add)
        return texts


def _builtin_format(number_format: str) -> str | None:
    return BUILTIN_FORMATS.get(int(number_format)) if number_format.isdigit() else None


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(folder, target))


class _TextState:
    """Text being collected from ``<t>`` runs (of a shared text or an inline string), outside
    phonetic guides (``<rPh>``), refusing a cell longer than Excel allows."""

    def __init__(self, limits: FileLimits) -> None:
        self.limits = limits
        self.parts: list[str] | None = None
        self.collecting = False
        self.phonetic = False
        self.length = 0

    def begin(self) -> None:
        self.parts, self.length = [], 0

    def open(self, local: str) -> None:
        if local == "t":
            self.collecting = self.parts is not None and not self.phonetic
        elif local == "rPh":
            self.phonetic = True

    def close(self, local: str) -> None:
        if local == "t":
            self.collecting = False
        elif local == "rPh":
            self.phonetic = False

    def add(self, data: str) -> None:
        if self.collecting and self.parts is not None:
            self.length += len(data)
            if self.length > self.limits.cell_chars:
                raise _too_long(self.limits)
            self.parts.append(data)

    def finish(self) -> str:
        text = "".join(self.parts or ()).strip()
        self.parts = None
        return text


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
        names = _LocalNames()
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
                    raise _missing_text(raw or "") from None
            elif kind == "n" and raw.isdigit() and style not in dates:  # type: ignore[union-attr]
                text = raw  # type: ignore[assignment]
            else:
                key = (kind, style if style in dates else None, (raw or "").strip())
                found = converted.get(key)
                if found is None:
                    found = _convert(key, epoch)
                    if len(converted) > _MEMO_SIZE:
                        converted.clear()
                    converted[key] = found
                text = found
            if not text:
                return
            if column > max_columns or row > max_rows:
                raise _far_value(row, column, limits)
            if len(values) >= max_cells:
                raise _too_many_cells(limits)
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
                    raise _too_long(limits)

        def flush_last() -> None:
            if value is not None:
                flush()

        return start, text, flush_last

    def cells(self) -> tuple[np.ndarray, np.ndarray]:
        """Each valued cell's key (``row << 16 | column``) and text, once parsing ended."""
        self.flush()
        return np.frombuffer(self.keys, dtype=np.int64), np.array(self.values, dtype=object)


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
        raise _too_many_cells(limits)
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


def _fast_cells(
    xml: bytes, limits: FileLimits, texts: list[str], dates: frozenset[str], epoch: datetime
) -> tuple[np.ndarray, np.ndarray] | None:
    """The sheet's valued cells (as ``_SheetCells.cells``) read vectorised, for sheets laid
    out as Excel, LibreOffice and openpyxl write them: UTF-8, no namespace prefixes, no
    comments, CDATA or character references, and every cell ``<c r="…"`` with its value in
    ``<v>`` or ``<is>``. None for any other layout (then expat reads it tag by tag). Memory
    and time follow the file's actual size, never a declared one."""
    begin, end = xml.find(b"<sheetData>"), xml.rfind(b"</sheetData>")
    declaration = xml[: xml.find(b"?>") + 2] if xml.startswith(b"<?xml") else b""
    if begin < 0 or end < begin or not _UTF8_DECLARATION.fullmatch(declaration):
        return None
    region = xml[begin:end]
    if b"<!" in xml[:begin] or (b":" in region and _PREFIXED_TAG.search(region)):
        return None  # a document type declaration (expat refuses it), or prefixed names
    ampersands = region.count(b"&")
    if ampersands and ampersands != sum(region.count(e.encode()) for e, _ in _ENTITIES):
        return None  # character references or entities of a DTD
    buffer = np.frombuffer(region + b"  ", dtype=np.uint8)  # two bytes so lookahead stays inside
    opens = np.flatnonzero(buffer == ord("<"))
    if np.isin(buffer[opens + 1], _NOT_ELEMENTS).any():
        return None
    cells = opens[buffer[opens + 1] == ord("c")]
    following = buffer[cells + 2]
    if np.isin(following, _OTHER_CELL_TAGS).any():
        return None
    cells = cells[following == ord(" ")]
    for k, byte in enumerate(b'r="', start=3):
        if (buffer[np.minimum(cells + k, len(buffer) - 1)] != byte).any():
            return None  # a cell whose first attribute is not r
    starts = cells + len(_CELL_TAG)
    if not len(starts):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object)
    offsets = np.append(starts, len(region)).astype(np.int64)
    pieces = pa.LargeStringArray.from_buffers(
        len(starts), pa.py_buffer(offsets), pa.py_buffer(region)
    )
    cell = pc.extract_regex(pieces, _FAST_CELL)
    if cell.null_count:  # some cell is laid out otherwise
        return None
    kinds = cell.field("t")
    inline = pc.equal(kinds, "inlineStr")
    raw = cell.field("v")
    if pc.any(inline).as_py():
        runs = pc.replace_substring_regex(cell.field("is").filter(inline), _PHONETIC, "")
        raw = pc.replace_with_mask(raw, inline, pc.replace_substring_regex(runs, "<[^>]*>", ""))
    if ampersands:
        for entity, char in _ENTITIES:
            raw = pc.replace_substring(raw, entity, char)
    raw = pc.utf8_trim_whitespace(raw)
    if len(raw) and pc.max(pc.utf8_length(raw)).as_py() > limits.cell_chars:
        raise _too_long(limits)
    valued = pc.not_equal(raw, "")
    rows = pc.cast(cell.field("row").filter(valued), pa.int64()).to_numpy()
    letters = pc.dictionary_encode(cell.field("col").filter(valued))
    numbers = [column_index_from_string(c) for c in letters.dictionary.to_pylist()]
    columns = np.array(numbers, dtype=np.int64)[letters.indices.to_numpy()]
    _check_extent(rows, columns, limits)
    values = _fast_values(
        raw.filter(valued),
        kinds.filter(valued),
        cell.field("s").filter(valued),
        texts,
        dates,
        epoch,
    )
    return rows << 16 | columns, values


def _check_extent(rows: np.ndarray, columns: np.ndarray, limits: FileLimits) -> None:
    far = (rows > limits.rows) | (columns > limits.columns)
    if far.any():
        first = int(np.argmax(far))
        raise _far_value(int(rows[first]), int(columns[first]), limits)
    if len(rows) > limits.cells:
        raise _too_many_cells(limits)


def _fast_values(
    raw: pa.Array,
    kinds: pa.Array,
    styles: pa.Array,
    texts: list[str],
    dates: frozenset[str],
    epoch: datetime,
) -> np.ndarray:
    """Each cell's text: shared texts looked up, every other distinct (type, date style,
    value) converted once, as ``_SheetCells`` does cell by cell."""
    values = np.empty(len(raw), dtype=object)
    shared = pc.equal(kinds, "s").to_numpy(zero_copy_only=False)
    if shared.any():
        try:
            index = pc.cast(raw.filter(pa.array(shared)), pa.int64()).to_numpy()
        except pa.ArrowInvalid:
            index = np.array([-1])
        if index.min() < 0 or index.max() >= len(texts):
            bad = int(np.argmax((index < 0) | (index >= len(texts))))
            raise _missing_text(str(index[bad]))
        values[shared] = np.array(texts, dtype=object)[index]
    other = ~shared
    if other.any():
        keep = pa.array(other)
        date_styled = pc.is_in(styles.filter(keep), value_set=pa.array(sorted(dates), pa.string()))
        text = pa.large_string()
        flag = pc.if_else(date_styled, pa.scalar("d", text), pa.scalar("", text))
        key = pc.binary_join_element_wise(
            kinds.filter(keep), flag, raw.filter(keep), pa.scalar("\x1f", text)
        )
        codes, distinct = pd.factorize(pd.Series(key, dtype=pd.ArrowDtype(pa.large_string())))
        converted = np.array([_convert(_fast_key(k), epoch) for k in distinct], dtype=object)
        values[other] = converted[codes]
    return values


def _fast_key(joined: str) -> tuple[str, str | None, str]:
    kind, date_styled, raw = joined.split("\x1f", 2)
    return (kind or "n", "date" if date_styled else None, raw)


def _column_number(known: dict[str, int], letters: str) -> int:
    try:
        number = column_index_from_string(letters)
    except ValueError:  # past XFD, or not letters: as far as it claims to be
        number = 2**31
    known[letters] = number
    return number


def _missing_text(raw: str) -> SpreadsheetError:
    return SpreadsheetError(
        f"A cell refers to shared text {raw[:20]!r}, which the workbook does not have: the "
        "file is damaged. Save it again from Excel, or export it as CSV."
    )


def _convert(key: tuple[str, str | None, str], epoch: datetime) -> str:
    """A cell's text from its type (``t``), date style (if its format shows a date) and raw
    value, as a CSV export would hold it."""
    kind, date_style, raw = key
    if kind == "n":
        if date_style is not None:
            try:
                return _day_text(from_excel(float(raw), epoch))
            except (ValueError, OverflowError):
                return raw  # not a date Excel could show; validation says so
        return raw if raw.isdigit() else _number(raw)
    if kind == "b":
        return {"1": "True", "0": "False"}.get(raw, raw)
    if kind == "d" and _ISO_DAY.match(raw):
        return raw[:10]
    return raw  # "str" (a formula's text), "e" (#N/A…)


def _far_value(row: int, column: int, limits: FileLimits) -> SpreadsheetError:
    where = f"row {row:,}" if row > limits.rows else f"column {column:,}"
    return SpreadsheetError(
        f"The first sheet has a value in {where}; StockDesk reads at most {limits.rows:,} "
        f"rows and {limits.columns:,} columns. Delete what is in the far rows and columns "
        "(in Excel, Ctrl+End goes to the last cell), or copy the sales columns into a new "
        "workbook, or export the sheet as CSV."
    )


def _too_many_cells(limits: FileLimits) -> SpreadsheetError:
    return SpreadsheetError(
        f"The first sheet holds more than {limits.cells:,} cells (rows × columns), more than "
        "StockDesk reads from one file. Split the sales into smaller files, or delete the "
        "columns you do not need."
    )


def _too_long(limits: FileLimits) -> SpreadsheetError:
    return SpreadsheetError(
        f"A cell holds more than {limits.cell_chars:,} characters, Excel's own limit for one "
        "cell: the file is damaged or not a sales export."
    )


def _number(raw: str) -> str:
    """A number cell's text as a CSV would hold it: ``5`` for 5.0, ``2.5`` for 2.5."""
    try:
        number = float(raw)
    except ValueError:
        return raw
    return str(int(number)) if number.is_integer() else str(number)


def _day_text(value: object) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
