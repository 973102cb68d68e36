"""Sales file validation, 1,000,000 rows: StockDesk's vectorised checks vs per-row pydantic.

Both check the same rows by the same rules (a known product, one of the three date
forms, not in the future or older than a year, whole numbers ≥ 0 with a decimal
comma, no product-date-warehouse twice) and must agree on the number of bad rows.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ValidationError, field_validator

from benchmarks.timing import compare
from lib.pleasurestock.models import Product
from lib.sales.mapping import guess_mapping
from lib.sales.products import ProductIndex
from lib.sales.reading import SalesFile, read_sales_file
from lib.sales.validation import SalesRules, validate_sales

ROWS = 1_000_000
PRODUCTS = 2650
TODAY = date(2025, 11, 10)
REPEAT = 3


def shop_export(rows: int) -> bytes:
    """A Turkish POS export: semicolons, DD.MM.YYYY, decimal commas, 3 warehouses, ~1% bad."""
    rng = np.random.default_rng(5)
    i = np.arange(rows)
    skus = np.array([f"SKU-{n}" for n in range(PRODUCTS)], dtype=object)
    days = pd.date_range(end=TODAY, periods=300).strftime("%d.%m.%Y").to_numpy(dtype=object)
    quantity = (i % 9).astype(str).astype(object)
    quantity[rng.random(rows) < 0.2] = "2,0"
    quantity[rng.random(rows) < 0.005] = "1,5"
    sku = skus[i % PRODUCTS]
    sku[rng.random(rows) < 0.005] = "UNKNOWN-1"
    frame = pd.DataFrame(
        {
            "Ürün Kodu": sku,
            "Tarih": days[(i // PRODUCTS) % 300],
            "Adet": quantity,
            "Stok": (i % 70).astype(str),
            "Depo": np.array(["Kadıköy", "Beşiktaş", "Üsküdar"], dtype=object)[
                i // (PRODUCTS * 300)
            ],
        }
    )
    return frame.to_csv(sep=";", index=False).encode("utf-8-sig")


class ShopRow(BaseModel):
    """The same rules as ``lib.sales.validation``, one row at a time (the baseline)."""

    product: str
    day: date
    quantity: int
    stock: int | None
    warehouse: str

    @field_validator("product")
    @classmethod
    def _known(cls, value: str, info: Any) -> str:
        ps_id = info.context["catalog"].get(value.strip().casefold())
        if ps_id is None:
            raise ValueError("unknown product")
        return ps_id

    @field_validator("day", mode="before")
    @classmethod
    def _date(cls, value: str, info: Any) -> date:
        for form in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
            try:
                day = datetime.strptime(value, form).date()
                break
            except ValueError:
                continue
        else:
            raise ValueError("not a date")
        if day > TODAY or day < TODAY - timedelta(days=365):
            raise ValueError("date out of range")
        return day

    @field_validator("quantity", "stock", mode="before")
    @classmethod
    def _count(cls, value: str) -> int | None:
        if value == "":
            return None
        number = float(value.replace(".", "").replace(",", "."))
        if number < 0 or not number.is_integer():
            raise ValueError("not a whole number >= 0")
        return int(number)


def per_row(sales: SalesFile, catalog: dict[str, str]) -> int:
    """Bad rows found by validating each row with pydantic; returns their count."""
    bad = 0
    seen: set[tuple[str, date, str]] = set()
    context = {"catalog": catalog}
    for product, day, quantity, stock, warehouse in sales.cells.itertuples(index=False):
        try:
            row = ShopRow.model_validate(
                {
                    "product": product,
                    "day": day,
                    "quantity": quantity,
                    "stock": stock,
                    "warehouse": warehouse,
                },
                context=context,
            )
        except ValidationError:
            bad += 1
            continue
        key = (row.product, row.day, row.warehouse.casefold())
        if row.quantity is None or key in seen:
            bad += 1
        seen.add(key)
    return bad


def main() -> None:
    """Print reading time, both validators' throughput and their ratio."""
    data = shop_export(ROWS)
    started = time.perf_counter()
    sales = read_sales_file("satis.csv", data)
    read_seconds = time.perf_counter() - started
    products = [Product(internal_id=f"ps_{n:06d}", sku=f"SKU-{n}") for n in range(PRODUCTS)]
    index = ProductIndex.from_products(products)
    mapping = guess_mapping(sales.headers)
    rules = SalesRules(today=TODAY, decimal_mark=",")

    vectorised_bad = validate_sales(sales, mapping, rules, index).bad_rows
    row_by_row_bad = per_row(sales, index.by_code)
    assert vectorised_bad == row_by_row_bad, (vectorised_bad, row_by_row_bad)

    medians = compare(
        {
            "vectorised": lambda: validate_sales(sales, mapping, rules, index),
            "pydantic": lambda: per_row(sales, index.by_code),
        },
        repeat=REPEAT,
    )
    fast, slow = medians["vectorised"], medians["pydantic"]
    print(
        f"  {ROWS:,} rows ({len(data) / 1e6:.0f} MB, {vectorised_bad:,} bad); reading the CSV "
        f"{read_seconds:.2f} s\n"
        f"  vectorised validation: {fast:.2f} s = {ROWS / fast:,.0f} rows/s\n"
        f"  per-row pydantic:      {slow:.2f} s = {ROWS / slow:,.0f} rows/s\n"
        f"  vectorised / per-row = {slow / fast:.1f}x faster (median of {REPEAT}, interleaved)"
    )
