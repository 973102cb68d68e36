"""The .xlsx file as a zip of XML parts, unpacked within limits and parsed with expat.

A zip can lie about its parts: 1 MB can unpack to gigabytes of whitespace. So the number
of parts is counted before the zip is opened, and before a part is unpacked its declared
size and compression ratio are checked; it is then unpacked in chunks that are counted.
Every part is parsed by expat with document type declarations refused.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from lib.sales.spreadsheet.limits import FileLimits, SpreadsheetError, damaged

CHUNK = 1 << 20  # bytes unpacked, and handed to expat, at a time
# Below this a part may pack as tightly as it likes (a styles part of repeated empty
# formats packs 200 times); above it, a ratio past ``FileLimits.ratio`` is a zip bomb.
_RATIO_GRACE_BYTES = 1 << 20
_ZIP_ENTRY = b"PK\x01\x02"  # the signature of each central-directory entry


def open_archive(data: bytes, limits: FileLimits) -> zipfile.ZipFile:
    """The zip ``data``, if it holds at most ``limits.parts`` files and opens as a zip."""
    if data.count(_ZIP_ENTRY) > limits.parts:
        raise SpreadsheetError(
            f"The workbook holds more than {limits.parts:,} files; Excel writes a few dozen. "
            "Save it again from Excel, or export the sheet as CSV."
        )
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise damaged(exc) from exc


def _refuse_doctype(*_: object) -> None:
    # Excel never writes a DTD; refusing it rules out entity expansion (billion laughs).
    raise SpreadsheetError(
        "The workbook contains a document type declaration, which Excel never writes, so it "
        "is not a genuine Excel workbook. Save it again from Excel, or export it as CSV."
    )


def parse_xml(
    chunks: Iterable[bytes],
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None,
    text: Callable[[str], None] | None,
) -> None:
    """Stream ``chunks`` of XML through expat with these handlers, refusing a DTD."""
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
        raise damaged(exc) from exc


class LocalNames(dict[str, str]):
    """``x:c`` → ``c``: element names without their namespace prefix, computed once each."""

    def __missing__(self, name: str) -> str:
        local = self[name] = name.rpartition(":")[2]
        return local


@dataclass
class Package:
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
                while chunk := stream.read(CHUNK):
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
            raise damaged(exc) from exc

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
        parse_xml(chunks, start, end, text)
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
