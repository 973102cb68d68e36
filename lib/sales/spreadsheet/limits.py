"""How much of a workbook StockDesk reads, and what it says when a file is past that or
damaged: ``SpreadsheetError`` and each of its messages, worded once for both sheet readers."""

from __future__ import annotations

from dataclasses import dataclass


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


def damaged(exc: BaseException) -> SpreadsheetError:
    """The file is not a readable zip or XML; ``exc`` says where it broke."""
    reason = str(exc) or type(exc).__name__
    return SpreadsheetError(
        f"The file could not be opened as an Excel .xlsx workbook ({reason}). Save it again "
        "from Excel, or export it as CSV."
    )


def missing_text(raw: str) -> SpreadsheetError:
    """A cell refers to shared text number ``raw``, which the workbook does not have."""
    return SpreadsheetError(
        f"A cell refers to shared text {raw[:20]!r}, which the workbook does not have: the "
        "file is damaged. Save it again from Excel, or export it as CSV."
    )


def far_value(row: int, column: int, limits: FileLimits) -> SpreadsheetError:
    """A value at ``row``, ``column``, past the rows or columns StockDesk reads."""
    where = f"row {row:,}" if row > limits.rows else f"column {column:,}"
    return SpreadsheetError(
        f"The first sheet has a value in {where}; StockDesk reads at most {limits.rows:,} "
        f"rows and {limits.columns:,} columns. Delete what is in the far rows and columns "
        "(in Excel, Ctrl+End goes to the last cell), or copy the sales columns into a new "
        "workbook, or export the sheet as CSV."
    )


def too_many_cells(limits: FileLimits) -> SpreadsheetError:
    """The sheet holds more cells than ``limits.cells``."""
    return SpreadsheetError(
        f"The first sheet holds more than {limits.cells:,} cells (rows × columns), more than "
        "StockDesk reads from one file. Split the sales into smaller files, or delete the "
        "columns you do not need."
    )


def too_long(limits: FileLimits) -> SpreadsheetError:
    """One cell holds more characters than ``limits.cell_chars``."""
    return SpreadsheetError(
        f"A cell holds more than {limits.cell_chars:,} characters, Excel's own limit for one "
        "cell: the file is damaged or not a sales export."
    )
