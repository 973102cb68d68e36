"""Validating a sales file, vectorised: every bad row with its line, column, value and reason.

The API's rules (a known product, a real date, a whole quantity ≥ 0, an optional whole
stock ≥ 0) plus ours: no date in the future or older than a limit, and no product,
date and warehouse twice in one file (the first is kept, the repeats are bad rows).
Each rule is one pass over a column, so a 1,000,000-row file takes seconds. Rows are
good or bad, never dropped: the bad ones go in a report the user can download.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pandas as pd

from lib.sales.formats import (
    DATE_FORMATS_TEXT,
    DateOrder,
    DecimalMark,
    parse_counts,
    parse_dates,
)
from lib.sales.mapping import ColumnMapping
from lib.sales.products import ProductIndex
from lib.sales.reading import SalesFile

# Turkey keeps UTC+3 all year (no daylight saving since 2016): "today" is the shop's today.
SHOP_TIMEZONE = timezone(timedelta(hours=3), "TRT")
ERROR_COLUMNS = ["line", "column", "value", "reason"]
WHOLE_LINE = "(whole line)"
UNKNOWN_PRODUCT = "unknown product"


def shop_today() -> date:
    """Today's date in Turkey, where the shops are."""
    return datetime.now(SHOP_TIMEZONE).date()


class MappingError(ValueError):
    """The column mapping cannot be used on this file."""


@dataclass(frozen=True)
class SalesRules:
    """How to read and judge the rows: today's date in the shop, the oldest date accepted
    (``max_age_days`` before today) and the file's date and number conventions."""

    today: date
    max_age_days: int = 365
    date_order: DateOrder = "day_first"
    decimal_mark: DecimalMark = "."

    @property
    def oldest(self) -> date:
        """The oldest date accepted."""
        return self.today - timedelta(days=self.max_age_days)


@dataclass(frozen=True)
class ValidationResult:
    """Good rows (``line, ps_id, date, warehouse, quantity, stock``; stock is Int64 with NA
    for unknown) and one error per problem (``line, column, value, reason``)."""

    good: pd.DataFrame
    errors: pd.DataFrame
    rows_in_file: int
    blank_lines: int

    @property
    def good_rows(self) -> int:
        """Rows without any problem."""
        return len(self.good)

    @property
    def bad_rows(self) -> int:
        """Rows with at least one problem."""
        return self.rows_in_file - self.good_rows

    def unknown_products(self) -> pd.DataFrame:
        """Codes the catalog does not know: ``product, rows, first_line``, most rows first."""
        unknown = self.errors[self.errors["reason"].str.startswith(UNKNOWN_PRODUCT)]
        if unknown.empty:
            return pd.DataFrame({"product": [], "rows": [], "first_line": []})
        summary = unknown.groupby("value", sort=False).agg(
            rows=("line", "size"), first_line=("line", "min")
        )
        summary = summary.reset_index().rename(columns={"value": "product"})
        return summary.sort_values(["rows", "first_line"], ascending=[False, True], kind="stable")

    def errors_csv(self) -> bytes:
        """The error report as CSV (UTF-8 with BOM, so Excel shows Turkish letters)."""
        return self.errors.to_csv(index=False).encode("utf-8-sig")


class _Problems:
    """Collects (mask, column, values, reason) findings and builds the error table once."""

    def __init__(self, lines: np.ndarray) -> None:
        self.lines = lines
        self.bad = np.zeros(len(lines), dtype=bool)
        self.frames: list[pd.DataFrame] = []

    def add(
        self, mask: np.ndarray, column: str, values: pd.Series, reason: str | pd.Series
    ) -> None:
        if not mask.any():
            return
        self.bad |= mask
        reasons = reason[mask].to_numpy() if isinstance(reason, pd.Series) else reason
        self.frames.append(
            pd.DataFrame(
                {
                    "line": self.lines[mask],
                    "column": column,
                    "value": values[mask].to_numpy(),
                    "reason": reasons,
                }
            )
        )


def validate_sales(
    file: SalesFile, mapping: ColumnMapping, rules: SalesRules, products: ProductIndex
) -> ValidationResult:
    """Check every row of ``file`` read through ``mapping``; nothing is dropped."""
    problems = mapping.problems(file.headers)
    if problems:
        raise MappingError(" ".join(problems))
    cells = file.cells
    found = _Problems(file.lines)
    product_column, date_column, quantity_column = (
        mapping.product or "",
        mapping.date or "",
        mapping.quantity or "",
    )

    codes = cells[product_column]
    ps_ids = products.resolve(codes)
    _check_products(found, codes, ps_ids, product_column, products)
    days = _check_dates(found, cells[date_column], date_column, rules)
    quantities = _check_counts(found, cells[quantity_column], quantity_column, rules, "quantity")
    if mapping.stock:
        stock = _check_counts(found, cells[mapping.stock], mapping.stock, rules, "stock")
    else:
        stock = pd.Series(pd.NA, index=cells.index, dtype="Int64")
    warehouses = (
        cells[mapping.warehouse]
        if mapping.warehouse
        else pd.Series("", index=cells.index, dtype="str")
    )
    _check_repeats(found, codes, ps_ids, days, warehouses, product_column)

    good = ~found.bad
    good_rows = pd.DataFrame(
        {
            "line": file.lines[good],
            "ps_id": ps_ids[good].to_numpy(),
            "date": days[good].to_numpy(),
            "warehouse": warehouses[good].to_numpy(),
            "quantity": quantities[good].to_numpy(dtype="int64"),
            "stock": stock[good].reset_index(drop=True),
        }
    )
    return ValidationResult(
        good=good_rows,
        errors=_error_table(found.frames, file),
        rows_in_file=file.data_rows,
        blank_lines=file.blank_lines,
    )


def _check_products(
    found: _Problems,
    codes: pd.Series,
    ps_ids: pd.Series,
    column: str,
    products: ProductIndex,
) -> None:
    empty = (codes == "").to_numpy()
    ambiguous = products.is_ambiguous(codes).to_numpy(dtype=bool)
    unknown = ps_ids.isna().to_numpy() & ~empty & ~ambiguous
    found.add(empty, column, codes, "missing product code")
    found.add(
        ambiguous,
        column,
        codes,
        "this code belongs to more than one catalog product; use the PleasureStock id (ps_…)",
    )
    found.add(
        unknown,
        column,
        codes,
        f"{UNKNOWN_PRODUCT}: not among the {products.product_count:,} products of the catalog "
        "snapshot; check the code, or sync the catalog on the Overview page",
    )


def _check_dates(found: _Problems, text: pd.Series, column: str, rules: SalesRules) -> pd.Series:
    days = parse_dates(text, rules.date_order)
    empty = (text == "").to_numpy()
    formats = DATE_FORMATS_TEXT
    if rules.date_order == "month_first":
        formats = formats.replace("DD/MM/YYYY", "MM/DD/YYYY")
    found.add(empty, column, text, "missing date")
    found.add(
        days.isna().to_numpy() & ~empty, column, text, f"not a real date in the form {formats}"
    )
    found.add(
        (days > pd.Timestamp(rules.today)).to_numpy(),
        column,
        text,
        f"in the future (today is {rules.today.isoformat()})",
    )
    found.add(
        (days < pd.Timestamp(rules.oldest)).to_numpy(),
        column,
        text,
        f"older than {rules.max_age_days} days (before {rules.oldest.isoformat()}); "
        "raise the limit on this page to send older sales",
    )
    return days


def _check_counts(
    found: _Problems, text: pd.Series, column: str, rules: SalesRules, what: str
) -> pd.Series:
    parsed = parse_counts(text, rules.decimal_mark)
    if what == "quantity":
        found.add((text == "").to_numpy(), column, text, "missing quantity")
    reasons = what + " " + parsed.problems.astype("str")
    found.add(parsed.problems.notna().to_numpy(), column, text, reasons)
    return parsed.values


def _check_repeats(
    found: _Problems,
    codes: pd.Series,
    ps_ids: pd.Series,
    days: pd.Series,
    warehouses: pd.Series,
    column: str,
) -> None:
    keyed = (ps_ids.notna() & days.notna()).to_numpy()
    keys = pd.DataFrame(
        {
            "ps_id": ps_ids[keyed].to_numpy(),
            "date": days[keyed].to_numpy(),
            "warehouse": warehouses[keyed].str.casefold().to_numpy(),
        }
    )
    repeated = keys.duplicated(keep="first").to_numpy()
    if not repeated.any():
        return
    keys["line"] = found.lines[keyed]
    first = keys.groupby(["ps_id", "date", "warehouse"], sort=False)["line"].transform("min")
    reason = np.full(len(codes), None, dtype=object)
    mask = np.zeros(len(codes), dtype=bool)
    positions = np.flatnonzero(keyed)[repeated]
    mask[positions] = True
    reason[positions] = (
        "same product, date and warehouse as line " + first[repeated].astype("str")
    ).to_numpy()
    found.add(mask, column, codes, pd.Series(reason, index=codes.index))


def _error_table(frames: list[pd.DataFrame], file: SalesFile) -> pd.DataFrame:
    if file.malformed:
        frames = [
            *frames,
            pd.DataFrame(
                {
                    "line": [m.line for m in file.malformed],
                    "column": WHOLE_LINE,
                    "value": [m.text for m in file.malformed],
                    "reason": [
                        f"{m.fields} fields where the header has {m.expected}: check the "
                        "separator, or put quotes around values that contain it"
                        for m in file.malformed
                    ],
                }
            ),
        ]
    if not frames:
        return pd.DataFrame({c: pd.Series([], dtype="str") for c in ERROR_COLUMNS}).astype(
            {"line": "int64"}
        )
    errors = pd.concat(frames, ignore_index=True)
    return errors.sort_values("line", kind="stable", ignore_index=True)
