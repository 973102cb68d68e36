"""The workbook's parts that say how to read its first sheet: which part that sheet is,
its date epoch, which cell styles show dates, and the shared texts cells refer to."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import datetime

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

from lib.sales.spreadsheet.limits import FileLimits, SpreadsheetError, too_long
from lib.sales.spreadsheet.package import LocalNames, Package

_WORKSHEET = "/worksheet"


@dataclass(frozen=True)
class FirstSheet:
    """The first worksheet's XML and what its cells need to be read: the shared texts, the
    styles (``s="…"``) whose number format shows a date, and the workbook's date epoch."""

    xml: bytes
    texts: list[str]
    dates: frozenset[str]
    epoch: datetime


def first_sheet(package: Package) -> FirstSheet:
    """Find the workbook, its first worksheet, styles and shared texts; unpack the sheet."""
    workbook = next(
        (p for t, p in relationships(package, "").values() if t.endswith("/officeDocument")),
        "xl/workbook.xml",
    )
    sheet_ids, epoch = _workbook(package, workbook)
    related = relationships(package, workbook)
    sheets = [related[i][1] for i in sheet_ids if related.get(i, ("", ""))[0].endswith(_WORKSHEET)]
    if not sheets:
        raise SpreadsheetError(
            "The workbook has no worksheet. Save the sales as an Excel .xlsx workbook, "
            "or export them as CSV."
        )
    folder = posixpath.dirname(workbook)
    by_type = {t.rpartition("/")[2]: p for t, p in related.values()}
    dates = _date_styles(package, by_type.get("styles", posixpath.join(folder, "styles.xml")))
    texts = _shared_texts(
        package, by_type.get("sharedStrings", posixpath.join(folder, "sharedStrings.xml"))
    )
    chunks = package.chunks(sheets[0])
    if chunks is None:
        raise SpreadsheetError(
            f"The workbook names a first sheet ({sheets[0]}) that is not in the file: the "
            "file is damaged. Save it again from Excel, or export it as CSV."
        )
    return FirstSheet(xml=b"".join(chunks), texts=texts, dates=dates, epoch=epoch)


def relationships(package: Package, part: str) -> dict[str, tuple[str, str]]:
    """Id → (type, absolute part path) of the relationships of ``part``."""
    folder, name = posixpath.split(part)
    found: dict[str, tuple[str, str]] = {}

    def start(element: str, attrs: dict[str, str]) -> None:
        target = attrs.get("Target")
        internal = attrs.get("TargetMode") != "External"
        if element.rpartition(":")[2] == "Relationship" and target and internal:
            found[attrs.get("Id", "")] = (attrs.get("Type", ""), _resolve(folder, target))

    package.parse(posixpath.join(folder, "_rels", f"{name}.rels"), start)
    return found


def _workbook(package: Package, path: str) -> tuple[list[str], datetime]:
    """The relationship ids of the sheets in workbook order, and the date epoch."""
    ids: list[str] = []
    epoch = [WINDOWS_EPOCH]

    def start(element: str, attrs: dict[str, str]) -> None:
        local = element.rpartition(":")[2]
        if local == "sheet":
            ids.extend(v for k, v in attrs.items() if k.endswith(":id"))
        elif local == "workbookPr" and attrs.get("date1904") in ("1", "true"):
            epoch[0] = MAC_EPOCH

    if not package.parse(path, start):
        raise SpreadsheetError(
            "The file is a zip but not an Excel workbook (it has no workbook part). Save "
            "the sales as an Excel .xlsx workbook, or export them as CSV."
        )
    return ids, epoch[0]


def _date_styles(package: Package, path: str) -> frozenset[str]:
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

    package.parse(path, start, end)
    return frozenset(
        str(style)
        for style, number_format in enumerate(cell_formats)
        if is_date_format(formats.get(number_format) or _builtin_format(number_format))
    )


def _shared_texts(package: Package, path: str) -> list[str]:
    """The workbook's shared texts, in order (phonetic guides left out, as Excel shows)."""
    limits = package.limits
    texts: list[str] = []
    names = LocalNames()
    state = _TextState(limits)

    def start(element: str, _: dict[str, str]) -> None:
        local = names[element]
        if local == "si":
            state.begin()
        else:
            state.open(local)

    def end(element: str) -> None:
        local = names[element]
        if local == "si":
            if len(texts) >= limits.cells:
                raise SpreadsheetError(
                    f"The workbook holds more than {limits.cells:,} texts, more than "
                    "StockDesk reads from one file. Split the sales into smaller files."
                )
            texts.append(state.finish())
        else:
            state.close(local)

    package.parse(path, start, end, state.add)
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
                raise too_long(self.limits)
            self.parts.append(data)

    def finish(self) -> str:
        text = "".join(self.parts or ()).strip()
        self.parts = None
        return text
