"""The first sheet's valued cells read vectorised (numpy and pyarrow) rather than tag by
tag, for sheets laid out as Excel, LibreOffice and openpyxl write them; any other layout
is left to ``cells_xml``, which gives the same cells, texts and messages."""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from openpyxl.utils.cell import column_index_from_string

from lib.sales.spreadsheet.limits import (
    FileLimits,
    far_value,
    missing_text,
    too_long,
    too_many_cells,
)
from lib.sales.spreadsheet.values import convert

# The layout ``fast_cells`` reads: a cell tag as Excel, LibreOffice and openpyxl write it
# (r first, then s and t), with a formula and a value, or an inline string, or nothing.
_CELL_TAG = b'<c r="'
_FAST_CELL = (
    r'^(?P<col>[A-Z]{1,3})(?P<row>[0-9]{1,7})"(?: s="(?P<s>[0-9]+)")?(?: t="(?P<t>[a-zA-Z]+)")?'
    r'(?: [a-zA-Z]+="[^"<>]*")*(?:/>|>(?:<f>[^<]*</f>|<f [^>]*/>|<f [^>]*>[^<]*</f>)?'
    r"(?:<v>(?P<v>[^<]*)</v>|<is>(?P<is>(?s:.*?))</is>)?</c>)"
)
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


def fast_cells(
    xml: bytes, limits: FileLimits, texts: list[str], dates: frozenset[str], epoch: datetime
) -> tuple[np.ndarray, np.ndarray] | None:
    """The sheet's valued cells (as ``cells_xml`` gives them) read vectorised, for sheets laid
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
        raise too_long(limits)
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
        raise far_value(int(rows[first]), int(columns[first]), limits)
    if len(rows) > limits.cells:
        raise too_many_cells(limits)


def _fast_values(
    raw: pa.Array,
    kinds: pa.Array,
    styles: pa.Array,
    texts: list[str],
    dates: frozenset[str],
    epoch: datetime,
) -> np.ndarray:
    """Each cell's text: shared texts looked up, every other distinct (type, date style,
    value) converted once, as ``cells_xml`` does cell by cell."""
    values = np.empty(len(raw), dtype=object)
    shared = pc.equal(kinds, "s").to_numpy(zero_copy_only=False)
    if shared.any():
        try:
            index = pc.cast(raw.filter(pa.array(shared)), pa.int64()).to_numpy()
        except pa.ArrowInvalid:
            index = np.array([-1])
        if index.min() < 0 or index.max() >= len(texts):
            bad = int(np.argmax((index < 0) | (index >= len(texts))))
            raise missing_text(str(index[bad]))
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
        converted = np.array([convert(_fast_key(k), epoch) for k in distinct], dtype=object)
        values[other] = converted[codes]
    return values


def _fast_key(joined: str) -> tuple[str, str | None, str]:
    kind, date_styled, raw = joined.split("\x1f", 2)
    return (kind or "n", "date" if date_styled else None, raw)
