"""Validating a sales file, vectorised: every bad row with its line, column, value and reason.

The API's rules (a known product, a real date, a whole quantity ≥ 0, an optional whole
stock ≥ 0) plus ours: no date in the future or older than a limit, and no product,
date and warehouse twice in one file (the first is kept, the repeats are bad rows).
Each column is split once into codes and distinct values, and the parsing and rules run
on the few distinct values, so a 1,000,000-row file takes about a second. Rows are good
or bad, never dropped: the bad ones go in a report the user can download.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pandas as pd

from lib.export import to_csv
from lib.sales.formats import (
    DATE_FORMATS_TEXT,
    LARGEST_COUNT,
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
DEFAULT_MAX_AGE_DAYS = 365
# The oldest-date limit a person may choose, in days (ten years).
MAX_AGE_DAYS_LIMIT = 3650


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
    max_age_days: int = DEFAULT_MAX_AGE_DAYS
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
        """The error report as CSV (UTF-8 with BOM, so Excel shows Turkish letters), with
        cell text a spreadsheet would run as a formula escaped, as in every export."""
        return to_csv(self.errors)


class _Column:
    """A column as codes into its distinct values: a sales file has few distinct dates,
    quantities and products, so each is parsed once instead of once per row."""

    def __init__(self, values: pd.Series) -> None:
        codes, distinct = pd.factorize(values, sort=False)
        self.codes = codes
        self.distinct = pd.Series(distinct, dtype="str")

    def spread(self, per_distinct: pd.Series | np.ndarray) -> np.ndarray:
        """A per-distinct-value result laid out per row."""
        array = per_distinct.to_numpy() if isinstance(per_distinct, pd.Series) else per_distinct
        return array[self.codes]

    def flags(self, per_distinct: pd.Series) -> np.ndarray:
        """A per-distinct-value condition as a per-row boolean mask."""
        return per_distinct.fillna(False).to_numpy(dtype=bool)[self.codes]

    def text(self, mask: np.ndarray) -> np.ndarray:
        """The cell text of the rows in ``mask``."""
        return self.distinct.to_numpy(dtype=object)[self.codes[mask]]


class _Problems:
    """Collects (mask, column, values, reason) findings and builds the error table once."""

    def __init__(self, lines: np.ndarray) -> None:
        self.lines = lines
        self.bad = np.zeros(len(lines), dtype=bool)
        self.frames: list[pd.DataFrame] = []

    def add(self, mask: np.ndarray, column: str, cells: _Column, reason: str | np.ndarray) -> None:
        if not mask.any():
            return
        self.bad |= mask
        self.frames.append(
            pd.DataFrame(
                {
                    "line": self.lines[mask],
                    "column": column,
                    "value": cells.text(mask),
                    "reason": reason[mask] if isinstance(reason, np.ndarray) else reason,
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

    codes = _Column(cells[product_column])
    ps_ids = _check_products(found, codes, product_column, products)
    days = _check_dates(found, _Column(cells[date_column]), date_column, rules)
    quantity_cells = _Column(cells[quantity_column])
    quantities = _check_counts(found, quantity_cells, quantity_column, rules, "quantity")
    counts = [("quantity", quantity_column, quantity_cells, quantities)]
    if mapping.stock:
        stock_cells = _Column(cells[mapping.stock])
        stock = _check_counts(found, stock_cells, mapping.stock, rules, "stock")
        counts.append(("stock", mapping.stock, stock_cells, stock))
    else:
        stock = pd.array(np.full(len(cells), pd.NA), dtype="Int64")
    if mapping.warehouse:
        warehouses = _Column(cells[mapping.warehouse])
    else:
        warehouses = _Column(pd.Series("", index=cells.index, dtype="str"))
    _check_repeats(found, codes, ps_ids, days, warehouses, product_column)
    _check_totals(found, ps_ids, days, counts)

    good = ~found.bad
    good_rows = pd.DataFrame(
        {
            "line": file.lines[good],
            "ps_id": pd.Series(ps_ids[good], dtype="str"),
            "date": days[good],
            "warehouse": pd.Series(warehouses.spread(warehouses.distinct)[good], dtype="str"),
            "quantity": quantities[good].to_numpy(dtype="int64"),
            "stock": stock[good],
        }
    )
    return ValidationResult(
        good=good_rows,
        errors=_error_table(found.frames, file),
        rows_in_file=file.data_rows,
        blank_lines=file.blank_lines,
    )


def _check_products(
    found: _Problems, codes: _Column, column: str, products: ProductIndex
) -> np.ndarray:
    """The ps id of each row (an object array, None where the product is not known)."""
    resolved = products.resolve(codes.distinct)
    empty = codes.flags(codes.distinct == "")
    ambiguous = codes.flags(products.is_ambiguous(codes.distinct))
    unknown = codes.flags(resolved.isna()) & ~empty & ~ambiguous
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
    return codes.spread(resolved.astype(object).where(resolved.notna(), None))


def _check_dates(found: _Problems, text: _Column, column: str, rules: SalesRules) -> np.ndarray:
    """Each row's date as ``datetime64[s]`` (NaT where missing or invalid)."""
    parsed = parse_dates(text.distinct, rules.date_order)
    days = text.spread(parsed.to_numpy(dtype="datetime64[s]"))
    empty = text.flags(text.distinct == "")
    formats = DATE_FORMATS_TEXT
    if rules.date_order == "month_first":
        formats = formats.replace("DD/MM/YYYY", "MM/DD/YYYY")
    found.add(empty, column, text, "missing date")
    found.add(np.isnat(days) & ~empty, column, text, f"not a real date in the form {formats}")
    found.add(
        days > np.datetime64(rules.today, "s"),
        column,
        text,
        f"in the future (today is {rules.today.isoformat()})",
    )
    found.add(
        days < np.datetime64(rules.oldest, "s"),
        column,
        text,
        f"older than {rules.max_age_days} days (before {rules.oldest.isoformat()}); "
        "raise the limit on this page to send older sales",
    )
    return days


def _check_counts(
    found: _Problems, text: _Column, column: str, rules: SalesRules, what: str
) -> pd.arrays.IntegerArray:
    """Each row's whole number (Int64, NA where empty or invalid); ``what`` (quantity or
    stock) names it in the reasons, and only a quantity is required."""
    parsed = parse_counts(text.distinct, rules.decimal_mark)
    if what == "quantity":
        found.add(text.flags(text.distinct == ""), column, text, "missing quantity")
    reasons = (what + " " + parsed.problems.astype("str")).to_numpy(dtype=object)
    found.add(text.flags(parsed.problems.notna()), column, text, text.spread(reasons))
    return parsed.values.array.take(text.codes)


def _check_repeats(
    found: _Problems,
    codes: _Column,
    ps_ids: np.ndarray,
    days: np.ndarray,
    warehouses: _Column,
    column: str,
) -> None:
    """Product, date and warehouse twice: the first line is kept, the repeats are bad rows."""
    product_key = pd.factorize(ps_ids, use_na_sentinel=True)[0]
    warehouse_key = pd.factorize(warehouses.distinct.str.casefold())[0][warehouses.codes]
    keyed = (product_key >= 0) & ~np.isnat(days)
    keys = pd.DataFrame(
        {
            "product": product_key[keyed],
            "day": days[keyed].view("int64"),
            "warehouse": warehouse_key[keyed],
        }
    )
    repeated = keys.duplicated(keep="first").to_numpy()
    if not repeated.any():
        return
    involved = keys.duplicated(keep=False).to_numpy()
    keys["line"] = found.lines[keyed]
    first = keys[involved].groupby(["product", "day", "warehouse"])["line"].transform("min")
    positions = np.flatnonzero(keyed)
    mask = np.zeros(len(ps_ids), dtype=bool)
    mask[positions[repeated]] = True
    reason = np.full(len(ps_ids), None, dtype=object)
    first_of_repeats = first.to_numpy()[repeated[involved]]
    reason[positions[repeated]] = [
        f"same product, date and warehouse as line {line}" for line in first_of_repeats
    ]
    found.add(mask, column, codes, reason)


def _check_totals(
    found: _Problems,
    ps_ids: np.ndarray,
    days: np.ndarray,
    counts: list[tuple[str, str, _Column, pd.arrays.IntegerArray]],
) -> None:
    """The warehouses of a product and day are summed before sending, so the sums must fit
    the API's integers too: every good row of a product-day whose quantity (or stock) adds
    up past ``LARGEST_COUNT`` is bad, its reason naming the lines summed."""
    good = np.flatnonzero(~found.bad)
    group: np.ndarray | None = None
    lines = found.lines[good]
    for what, column, cells, values in counts:
        summed = values[good].to_numpy(dtype="int64", na_value=0)
        if summed.sum() <= LARGEST_COUNT:  # the whole file's total fits: so does every sum
            continue
        if group is None:
            keys = pd.DataFrame({"product": pd.factorize(ps_ids[good])[0], "day": days[good]})
            group = keys.groupby(["product", "day"]).ngroup().to_numpy()
        totals = pd.Series(summed).groupby(group).transform("sum").to_numpy()
        over = totals > LARGEST_COUNT
        if not over.any():
            continue
        summed_lines = pd.Series(lines[over]).groupby(group[over]).agg(list)
        mask = np.zeros(len(ps_ids), dtype=bool)
        mask[good[over]] = True
        reason = np.full(len(ps_ids), None, dtype=object)
        reason[good[over]] = [
            f"the {what} of this product and day, summed over the warehouses on lines "
            f"{', '.join(map(str, summed_lines[g]))}, is {total:,}: more than PleasureStock "
            f"accepts ({LARGEST_COUNT:,}); check the figures"
            for g, total in zip(group[over], totals[over], strict=True)
        ]
        found.add(mask, column, cells, reason)


def _error_table(frames: list[pd.DataFrame], file: SalesFile) -> pd.DataFrame:
    if file.malformed:
        frames = [
            *frames,
            pd.DataFrame(
                {
                    "line": [m.line for m in file.malformed],
                    "column": WHOLE_LINE,
                    "value": [m.text for m in file.malformed],
                    "reason": [m.reason for m in file.malformed],
                }
            ),
        ]
    if not frames:
        return pd.DataFrame({c: pd.Series([], dtype="str") for c in ERROR_COLUMNS}).astype(
            {"line": "int64"}
        )
    errors = pd.concat(frames, ignore_index=True)
    return errors.sort_values("line", kind="stable", ignore_index=True)
