"""Helpers of the sales integration tests: shop files, totals, stored batches, audit rows,
and a connection that loses sales requests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import httpx
import numpy as np
import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from lib.db import AuditEntry, BatchRecord, LedgerDay, NewUpload, UnitOfWork
from lib.pleasurestock import PleasureStockClient
from lib.pleasurestock.models import Product, SaleRow
from lib.sales.ledger import sum_warehouses
from lib.sales.mapping import ColumnMapping, guess_mapping
from lib.sales.products import ProductIndex
from lib.sales.reading import read_sales_file
from lib.sales.validation import SalesRules, validate_sales
from lib.sandbox import RunningSandbox

from .conftest import TODAY

SessionFactory = sessionmaker[Session]
MakeSandbox = Callable[..., RunningSandbox]
MakeClient = Callable[..., PleasureStockClient]
MAPPING = ColumnMapping(product="Ürün Kodu", date="Tarih", quantity="Adet", stock="Stok")


def upload_info(name: str = "satis.csv", by: str = "test") -> NewUpload:
    return NewUpload(
        uploaded_by=by, file_name=name, file_sha256="cd" * 32, rows_in_file=0, good_rows=0,
        bad_rows=0,
    )  # fmt: skip


def unseeded(sandbox: RunningSandbox, count: int) -> list[tuple[str, str]]:
    """(ps id, SKU) of ``count`` products the sandbox holds no sales for."""
    seeded = {ps_id for ps_id, _ in sandbox.store.sales}
    free = [(p.internal_id, p.sku) for p in sandbox.store.products if p.internal_id not in seeded]
    return free[:count]


def shop_file(products: list[tuple[str, str]], days: int) -> pd.DataFrame:
    """Two warehouses per product and day; every 5th row has no stock figure."""
    skus = [sku for _, sku in products]
    grid = pd.MultiIndex.from_product(
        [skus, range(1, days + 1), ["Depo 1", "Depo 2"]], names=["sku", "back", "depo"]
    ).to_frame(index=False)
    i = np.arange(len(grid))
    grid["Adet"] = (i * 7) % 13
    grid["Stok"] = pd.Series((i * 3) % 40, dtype="Int64").mask(i % 5 == 0)
    grid["Tarih"] = [(TODAY - timedelta(days=int(b))).strftime("%d.%m.%Y") for b in grid["back"]]
    return grid.rename(columns={"sku": "Ürün Kodu", "depo": "Depo"})[
        ["Ürün Kodu", "Tarih", "Adet", "Stok", "Depo"]
    ]


def totals_through_the_pipeline(frame: pd.DataFrame, sandbox: RunningSandbox) -> pd.DataFrame:
    """The shop file written as CSV, read, checked and summed as the page does it."""
    data = frame.to_csv(sep=";", index=False).encode("utf-8-sig")
    sales = read_sales_file("satis.csv", data)
    catalog = ProductIndex.from_products(
        Product(internal_id=p.internal_id, id=p.id, sku=p.sku) for p in sandbox.store.products
    )
    result = validate_sales(sales, guess_mapping(sales.headers), SalesRules(today=TODAY), catalog)
    assert result.bad_rows == 0
    return sum_warehouses(result.good)


def day_totals(rows: list[tuple[str, date, int, int | None]]) -> pd.DataFrame:
    """Per-product-day totals as ``sum_warehouses`` makes them, from (ps id, day, quantity,
    stock) tuples."""
    return pd.DataFrame(
        {
            "ps_id": [ps_id for ps_id, _, _, _ in rows],
            "date": pd.Series([pd.Timestamp(day) for _, day, _, _ in rows], dtype="datetime64[s]"),
            "quantity": [quantity for _, _, quantity, _ in rows],
            "stock": pd.array([stock for _, _, _, stock in rows], dtype="Int64"),
            "rows": [1] * len(rows),
        }
    )


def expected_by_key(frame: pd.DataFrame, products: list[tuple[str, str]]) -> dict:
    """What the shop's file says per (ps id, day), computed independently of lib.sales:
    quantities and stocks summed over warehouses, stock None if a warehouse has none."""
    ps_of = {sku: ps for ps, sku in products}
    grouped = frame.groupby(["Ürün Kodu", "Tarih"]).agg(
        quantity=("Adet", "sum"),
        stock=("Stok", "sum"),
        known=("Stok", "count"),
        rows=("Stok", "size"),
    )
    return {
        (ps_of[sku], datetime.strptime(day, "%d.%m.%Y").date()): (
            int(row.quantity),
            int(row.stock) if row.known == row.rows else None,
        )
        for (sku, day), row in zip(grouped.index, grouped.itertuples(), strict=True)
    }


def batches_of(session_factory: SessionFactory, upload_id: int) -> list[BatchRecord]:
    with UnitOfWork(session_factory) as uow:
        return uow.sales_batches.of_upload(upload_id)


def ledger_of(session_factory: SessionFactory, ps_id: str) -> list[LedgerDay]:
    """What the ledger says was sent for a product, day by day."""
    with UnitOfWork(session_factory) as uow:
        return uow.sales_ledger.daily_history(ps_id)


def audit_of(session_factory: SessionFactory, action: str) -> list[AuditEntry]:
    """The audit rows of ``action``, newest first."""
    with UnitOfWork(session_factory) as uow:
        return [entry for entry in uow.audit.recent() if entry.action == action]


def stored(sandbox: RunningSandbox, row: dict) -> tuple[int, int | None] | None:
    parsed = SaleRow.model_validate(row)
    return sandbox.store.sales.get((parsed.internal_id, parsed.date))


def sent_value(row: dict) -> tuple[int, int | None]:
    return (row["quantity"], row.get("stock_on_hand"))


class SalesAnswerLost(httpx.BaseTransport):
    """Forwards every request over HTTP except ``POST /sales``, which times out before it
    reaches the server: the client cannot tell, and the server stored nothing."""

    def __init__(self) -> None:
        self._http = httpx.HTTPTransport()
        self.sales_posts = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Forward ``request``, or lose it when it sends sales."""
        if request.method == "POST" and request.url.path.endswith("/sales"):
            self.sales_posts += 1
            raise httpx.ReadTimeout("timed out waiting for the answer", request=request)
        return self._http.handle_request(request)

    def close(self) -> None:
        """Close the forwarding connection pool."""
        self._http.close()
