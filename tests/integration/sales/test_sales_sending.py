"""Sending sales to a sandbox over HTTP: exactly once under faults, resume, unknown outcomes.

Every product used here has no seeded sales in the sandbox, so what the sandbox stores
for it is exactly what StockDesk sent: a batch stored twice would show as double.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from sqlalchemy.orm import Session, sessionmaker

from lib.db import BatchRecord, NewUpload, UnitOfWork, UploadAlreadyOpenError
from lib.pleasurestock import NetworkError, PleasureStockClient
from lib.pleasurestock.models import Product, SaleRow
from lib.sales.ledger import sum_warehouses
from lib.sales.mapping import ColumnMapping, guess_mapping
from lib.sales.products import ProductIndex
from lib.sales.reading import read_sales_file
from lib.sales.upload import (
    CHECK_ADVICE,
    SendProgress,
    UploadBusyError,
    mark_stored,
    requeue,
    send_upload,
    start_upload,
)
from lib.sales.validation import SalesRules, validate_sales
from lib.sandbox import RunningSandbox

from .conftest import TODAY

SessionFactory = sessionmaker[Session]
MakeSandbox = Callable[..., RunningSandbox]
MakeClient = Callable[..., PleasureStockClient]
MAPPING = ColumnMapping(product="Ürün Kodu", date="Tarih", quantity="Adet", stock="Stok")


def upload_info(name: str = "satis.csv") -> NewUpload:
    return NewUpload(
        uploaded_by="test", file_name=name, file_sha256="cd" * 32, rows_in_file=0, good_rows=0,
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
        return uow.sales_uploads.batches(upload_id)


def stored(sandbox: RunningSandbox, row: dict) -> tuple[int, int | None] | None:
    parsed = SaleRow.model_validate(row)
    return sandbox.store.sales.get((parsed.internal_id, parsed.date))


def sent_value(row: dict) -> tuple[int, int | None]:
    return (row["quantity"], row.get("stock_on_hand"))


def send_until_nothing_pending(
    client: PleasureStockClient, session_factory: SessionFactory, upload_id: int
) -> int:
    """Run (and resume) the upload until no batch is pending; returns the unknowns reported."""
    unknown = 0
    for _ in range(50):
        report = send_upload(client, session_factory, upload_id)
        unknown += report.unknown
        assert report.error is None
        if not report.upload.batches.pending:
            return unknown
    raise AssertionError("the upload never finished")


def test_under_faults_accepted_batches_are_stored_exactly_once_and_unknowns_reported(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox(fault_429=0.2, fault_500=0.1, fault_drop=0.1, fault_seed=20251110)
    client = make_client(sandbox.base_url)
    products = unseeded(sandbox, 400)
    frame = shop_file(products, days=60)  # 48,000 rows -> 24,000 product-days -> 24 batches
    totals = totals_through_the_pipeline(frame, sandbox)
    expected = expected_by_key(frame, products)
    started = start_upload(
        session_factory, totals, upload_info(), mapping=MAPPING, max_age_days=365
    )
    assert started.batches == 24

    reported_unknown = send_until_nothing_pending(client, session_factory, started.upload_id)

    batches = batches_of(session_factory, started.upload_id)
    states = [b.state for b in batches]
    assert set(states) <= {"accepted", "unknown"}
    assert states.count("unknown") == reported_unknown > 0
    for batch in batches:
        on_server = [stored(sandbox, row) for row in batch.rows]
        sent = [sent_value(row) for row in batch.rows]
        if batch.state == "accepted":
            # Stored once, with the file's warehouse-summed totals.
            assert on_server == sent
            assert all(expected[(r["internal_id"], SaleRow.model_validate(r).date)] == sent_value(r)
                       for r in batch.rows)  # fmt: skip
        else:
            # Either the server stored it once (500 or dropped answer after storing) or not
            # at all; never twice, because an unknown batch is not resent.
            assert on_server in (sent, [None] * len(sent))
            assert CHECK_ADVICE in (batch.error or "")

    # A person checks each unknown batch and marks it stored or sends it again.
    for batch in (b for b in batches if b.state == "unknown"):
        if stored(sandbox, batch.rows[0]) is None:
            requeue(session_factory, batch.id, by="test")
        else:
            mark_stored(session_factory, batch.id, by="test")
    for _ in range(10):
        send_until_nothing_pending(client, session_factory, started.upload_id)
        left = [b for b in batches_of(session_factory, started.upload_id) if b.state == "unknown"]
        if not left:
            break
        for batch in left:
            if stored(sandbox, batch.rows[0]) is None:
                requeue(session_factory, batch.id, by="test")
            else:
                mark_stored(session_factory, batch.id, by="test")

    on_server = {key: sandbox.store.sales.get(key) for key in expected}
    assert on_server == expected
    with UnitOfWork(session_factory) as uow:
        assert not uow.sales_uploads.get(started.upload_id).is_open
        window = uow.sales_ledger.sent_between(TODAY - timedelta(days=60), TODAY)
    assert int(window["quantity"].sum()) == sum(q for q, _ in expected.values())


def test_an_interrupted_upload_resumes_and_a_batch_cut_off_mid_request_is_not_resent(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    client = make_client(sandbox.base_url)
    products = unseeded(sandbox, 100)
    frame = shop_file(products, days=50)  # 5,000 product-days -> 5 batches
    expected = expected_by_key(frame, products)
    started = start_upload(
        session_factory,
        totals_through_the_pipeline(frame, sandbox),
        upload_info(),
        mapping=MAPPING,
        max_age_days=365,
    )
    upload_id = started.upload_id
    assert upload_id is not None and started.batches == 5

    class BrowserClosed(Exception):
        pass

    def close_after_two(progress: SendProgress) -> None:
        if progress.batches_done == 2:
            raise BrowserClosed

    with pytest.raises(BrowserClosed):
        send_upload(client, session_factory, upload_id, on_progress=close_after_two)
    assert [b.state for b in batches_of(session_factory, upload_id)] == [
        "accepted", "accepted", "pending", "pending", "pending",
    ]  # fmt: skip

    # A process claims batch 3, sends it and dies before recording the answer.
    with UnitOfWork(session_factory) as uow:
        third = uow.sales_uploads.claim_next(upload_id, at=pd.Timestamp.now(tz="UTC"))
        uow.commit()
    assert third is not None and third.seq == 3
    client.submit_sales([SaleRow.model_validate(r) for r in third.rows])

    report = send_upload(client, session_factory, upload_id)
    assert (report.accepted, report.unknown) == (2, 0)
    states = [b.state for b in batches_of(session_factory, upload_id)]
    assert states == ["accepted", "accepted", "unknown", "accepted", "accepted"]
    assert report.upload.is_open  # the unknown batch still needs a decision

    mark_stored(session_factory, third.id, by="test")
    assert {key: sandbox.store.sales.get(key) for key in expected} == expected
    with UnitOfWork(session_factory) as uow:
        assert uow.sales_uploads.open_upload() is None


def test_the_same_file_again_sends_nothing_and_a_later_total_only_the_difference(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    client = make_client(sandbox.base_url)
    products = unseeded(sandbox, 3)
    morning = shop_file(products, days=2)
    first = start_upload(
        session_factory,
        totals_through_the_pipeline(morning, sandbox),
        upload_info(),
        mapping=MAPPING,
        max_age_days=365,
    )
    send_upload(client, session_factory, first.upload_id)  # type: ignore[arg-type]

    again = start_upload(
        session_factory,
        totals_through_the_pipeline(morning, sandbox),
        upload_info(),
        mapping=MAPPING,
        max_age_days=365,
    )
    assert again.upload_id is None
    assert again.plan.count("unchanged") == 6

    evening = morning.copy()
    evening["Adet"] = evening["Adet"] + 2  # two more sold in each warehouse
    evening.loc[[0, 1], "Adet"] = 0  # ...except one product-day that went down: a correction
    later = start_upload(
        session_factory,
        totals_through_the_pipeline(evening, sandbox),
        upload_info("evening.csv"),
        mapping=MAPPING,
        max_age_days=365,
    )
    assert later.plan.count("correction") == 1
    send_upload(client, session_factory, later.upload_id)  # type: ignore[arg-type]

    # Each product-day holds the evening total, sent as morning total + difference; the
    # corrected one keeps its morning total (a negative difference cannot be sent).
    expected = {key: q for key, (q, _) in expected_by_key(evening, products).items()}
    [corrected] = expected_by_key(evening.iloc[[0, 1]], products)
    expected[corrected] = expected_by_key(morning, products)[corrected][0]
    on_server = {key: sandbox.store.sales[key][0] for key in expected}
    assert on_server == expected


def test_a_refused_batch_keeps_the_api_row_errors_and_nothing_of_it_is_stored(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    client = make_client(sandbox.base_url)
    [(ps_id, _)] = unseeded(sandbox, 1)
    day = pd.Timestamp(TODAY - timedelta(days=1))
    totals = pd.DataFrame(
        {
            "ps_id": [ps_id, "abc-not-an-id"],
            "date": pd.Series([day, day], dtype="datetime64[s]"),
            "quantity": [4, 2],
            "stock": pd.array([10, None], dtype="Int64"),
            "rows": [1, 1],
        }
    )
    started = start_upload(session_factory, totals, upload_info(), mapping=MAPPING, max_age_days=9)
    report = send_upload(client, session_factory, started.upload_id)  # type: ignore[arg-type]

    assert report.refused == 1
    [batch] = batches_of(session_factory, started.upload_id)  # type: ignore[arg-type]
    assert batch.state == "refused"
    assert batch.row_errors[0]["error"] == "Invalid internal_id format"
    assert batch.row_errors[0]["received"] == "abc-not-an-id"
    assert batch.rows[batch.row_errors[0]["index"]]["internal_id"] == "abc-not-an-id"
    assert stored(sandbox, batch.rows[1]) is None  # all or nothing
    assert not report.upload.is_open
    with UnitOfWork(session_factory) as uow:
        assert uow.sales_ledger.daily_history(ps_id) == []


def test_an_unreachable_server_stops_sending_and_keeps_the_batch_pending(
    session_factory: SessionFactory, make_client: MakeClient
) -> None:
    client = make_client("http://127.0.0.1:9/api/v1", max_attempts=1)
    totals = pd.DataFrame(
        {
            "ps_id": ["ps_abc123"],
            "date": pd.Series([pd.Timestamp(TODAY)], dtype="datetime64[s]"),
            "quantity": [1],
            "stock": pd.array([None], dtype="Int64"),
            "rows": [1],
        }
    )
    started = start_upload(session_factory, totals, upload_info(), mapping=MAPPING, max_age_days=9)
    report = send_upload(client, session_factory, started.upload_id)  # type: ignore[arg-type]
    assert isinstance(report.error, NetworkError)
    assert "Nothing of that batch was stored" in (report.stopped or "")
    assert [b.state for b in batches_of(session_factory, started.upload_id)] == ["pending"]  # type: ignore[arg-type]

    with pytest.raises(UploadAlreadyOpenError):
        start_upload(session_factory, totals, upload_info(), mapping=MAPPING, max_age_days=9)


def test_the_same_upload_cannot_be_sent_twice_at_once(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    client = make_client(sandbox.base_url)
    products = unseeded(sandbox, 2)
    started = start_upload(
        session_factory,
        totals_through_the_pipeline(shop_file(products, days=1), sandbox),
        upload_info(),
        mapping=MAPPING,
        max_age_days=365,
    )
    upload_id = started.upload_id
    assert upload_id is not None

    def second_tab(progress: SendProgress) -> None:
        send_upload(client, session_factory, upload_id)

    with pytest.raises(UploadBusyError):
        send_upload(client, session_factory, upload_id, on_progress=second_tab)


def test_batches_answered_200_unreadable_end_outcome_unknown_and_resume_never_resends_them(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    # Each POST is stored, then answered 200 with a body that is HTML, cut-off JSON, JSON
    # without "processed", or falsely gzipped: one batch of each.
    sandbox = make_sandbox(fault_unreadable=1.0)
    client = make_client(sandbox.base_url)
    products = unseeded(sandbox, 100)
    frame = shop_file(products, days=40)  # 4,000 product-days -> 4 batches
    expected = expected_by_key(frame, products)
    started = start_upload(
        session_factory,
        totals_through_the_pipeline(frame, sandbox),
        upload_info(),
        mapping=MAPPING,
        max_age_days=365,
    )
    upload_id = started.upload_id
    assert upload_id is not None and started.batches == 4

    first = send_upload(client, session_factory, upload_id)
    assert first.unknown == 3 and "3 batches in a row" in (first.stopped or "")
    resumed = send_upload(client, session_factory, upload_id)  # "Resume sending"
    assert (resumed.accepted, resumed.unknown, resumed.error) == (0, 1, None)
    again = send_upload(client, session_factory, upload_id)  # and once more: nothing to send
    assert (again.accepted, again.refused, again.unknown) == (0, 0, 0)

    batches = batches_of(session_factory, upload_id)
    assert [b.state for b in batches] == ["unknown"] * 4
    assert all(CHECK_ADVICE in (b.error or "") for b in batches)
    assert again.upload.is_open  # a person decides about each one
    # PleasureStock received every sale exactly once: a resent batch would have doubled.
    assert {key: sandbox.store.sales.get(key) for key in expected} == expected
