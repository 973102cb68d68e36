"""Sales storage on every backend: the ledger mirrors the server, one open upload, batch states."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pandas as pd
import pytest

from lib.db import LedgerDay, NewUpload, UnitOfWork, UploadAlreadyOpenError

AT = datetime(2025, 11, 10, 9, 30, tzinfo=UTC)
UowFactory = Callable[[], UnitOfWork]


def sale(ps_id: str, day: str, quantity: int, stock: int | None = None) -> dict[str, object]:
    row: dict[str, object] = {"internal_id": ps_id, "date": day, "quantity": quantity}
    if stock is not None:
        row["stock_on_hand"] = stock
    return row


def new_upload(name: str = "satis.csv") -> NewUpload:
    return NewUpload(
        uploaded_by="Ayşe",
        file_name=name,
        file_sha256="ab" * 32,
        rows_in_file=3,
        good_rows=3,
        bad_rows=0,
    )


def test_ledger_sums_quantities_and_keeps_the_highest_known_stock(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        uow.sales_ledger.record_sent(
            [sale("ps_a", "2025-11-03", 3, 20), sale("ps_b", "2025-11-03", 1)], at=AT
        )
        uow.sales_ledger.record_sent(
            [
                sale("ps_a", "2025-11-03", 4, 16),  # lower stock: the server keeps 20
                sale("ps_b", "2025-11-03", 2, 5),  # first known stock
                sale("ps_a", "2025-11-04", 0, 0),
            ],
            at=AT,
        )
        uow.sales_ledger.record_sent([sale("ps_a", "2025-11-03", 1)], at=AT)  # no stock: kept
        uow.commit()
    with uow_factory() as uow:
        history = uow.sales_ledger.daily_history("ps_a")
        window = uow.sales_ledger.sent_between(date(2025, 11, 3), date(2025, 11, 3))
        later = uow.sales_ledger.daily_history("ps_a", since=date(2025, 11, 4))
    assert history == [LedgerDay(date(2025, 11, 3), 8, 20), LedgerDay(date(2025, 11, 4), 0, 0)]
    assert later == [LedgerDay(date(2025, 11, 4), 0, 0)]
    assert window.sort_values("ps_id").astype({"stock": "object"}).to_dict("records") == [
        {"ps_id": "ps_a", "date": pd.Timestamp("2025-11-03"), "quantity": 8, "stock": 20},
        {"ps_id": "ps_b", "date": pd.Timestamp("2025-11-03"), "quantity": 3, "stock": 5},
    ]
    assert str(window["date"].dtype) == "datetime64[s]"


def test_an_empty_ledger_extract_has_the_planned_shape(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        window = uow.sales_ledger.sent_between(date(2025, 1, 1), date(2025, 12, 31))
    assert window.empty
    assert [str(t) for t in window.dtypes] == ["str", "datetime64[s]", "int64", "Int64"]


def test_only_one_upload_is_open_at_a_time(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        first = uow.sales_uploads.open(new_upload(), at=AT)
        uow.sales_batches.add(first, [[sale("ps_a", "2025-11-03", 1)]])
        uow.commit()
    with uow_factory() as uow, pytest.raises(UploadAlreadyOpenError):
        uow.sales_uploads.open(new_upload("other.csv"), at=AT)
    with uow_factory() as uow:
        batch = uow.sales_batches.claim_next(first, at=AT)
        assert batch is not None
        assert uow.sales_batches.move(batch.id, ("sending",), "accepted", at=AT)
        assert uow.sales_uploads.close_if_done(first, at=AT)
        second = uow.sales_uploads.open(new_upload("other.csv"), at=AT)
        uow.commit()
    with uow_factory() as uow:
        assert uow.sales_uploads.open_upload().id == second  # type: ignore[union-attr]
        assert not uow.sales_uploads.get(first).is_open


def test_batches_are_claimed_in_order_once_and_counted(uow_factory: UowFactory) -> None:
    batches = [
        [sale("ps_a", "2025-11-03", 2, 9), sale("ps_b", "2025-11-03", 1)],
        [sale("ps_a", "2025-11-04", 5)],
        [sale("ps_b", "2025-11-04", 7)],
    ]
    with uow_factory() as uow:
        upload_id = uow.sales_uploads.open(new_upload(), at=AT)
        uow.sales_batches.add(upload_id, batches)
        uow.sales_uploads.record_plan(
            upload_id, product_days=6, rows_to_send=4, unchanged=2, corrections=1
        )
        uow.commit()
    with uow_factory() as uow:
        first = uow.sales_batches.claim_next(upload_id, at=AT)
        second = uow.sales_batches.claim_next(upload_id, at=AT)
        assert (first.seq, second.seq) == (1, 2)  # type: ignore[union-attr]
        assert first.rows == batches[0]  # type: ignore[union-attr]
        # A batch already moved on cannot be moved from a state it is no longer in.
        assert uow.sales_batches.move(first.id, ("sending",), "accepted", at=AT)  # type: ignore[union-attr]
        assert not uow.sales_batches.move(first.id, ("sending",), "unknown", at=AT)  # type: ignore[union-attr]
        assert uow.sales_batches.move(
            second.id,  # type: ignore[union-attr]
            ("sending",),
            "refused",
            at=AT,
            error="1 row(s) were refused",
            row_errors=[{"index": 0, "error": "Invalid quantity"}],
        )
        assert not uow.sales_uploads.close_if_done(upload_id, at=AT)
        uow.commit()
    with uow_factory() as uow:
        record = uow.sales_uploads.get(upload_id)
        refused = uow.sales_batches.of_upload(upload_id, states=("refused",))
        light = uow.sales_batches.of_upload(upload_id, with_rows=False)
        recent = uow.sales_uploads.recent()
        same_file = uow.sales_uploads.with_file("ab" * 32)
    counts = record.batches
    assert (counts.accepted, counts.refused, counts.pending, counts.total) == (1, 1, 1, 3)
    assert counts.rows_accepted == 2
    assert (record.rows_to_send, record.product_days, record.unchanged) == (4, 6, 2)
    assert refused[0].row_errors == [{"index": 0, "error": "Invalid quantity"}]
    assert [b.rows for b in light] == [[], [], []]
    assert [b.state for b in light] == ["accepted", "refused", "pending"]
    assert [u.id for u in recent] == [u.id for u in same_file] == [upload_id]


def test_preferences_remember_the_last_mapping(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        assert uow.sales_preferences.load() is None
        uow.sales_preferences.save({"product": "Ürün Kodu"}, max_age_days=90, by="Ayşe", at=AT)
        uow.sales_preferences.save(
            {"product": "SKU", "quantity": "Adet"}, max_age_days=120, by="Mehmet", at=AT
        )
        uow.commit()
    with uow_factory() as uow:
        saved = uow.sales_preferences.load()
    assert saved is not None
    assert (saved.columns, saved.max_age_days, saved.saved_by) == (
        {"product": "SKU", "quantity": "Adet"},
        120,
        "Mehmet",
    )
