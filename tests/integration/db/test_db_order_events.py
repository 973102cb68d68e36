"""Webhook events stored once, and the status changes StockDesk made, on each backend."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from lib.db import UnitOfWork, make_session_factory

AT = datetime(2025, 1, 14, 11, 0, tzinfo=UTC)


def add(uow: UnitOfWork, webhook_id: str, order: str = "ORD-1", minutes: int = 0) -> bool:
    return uow.webhooks.add_once(
        delivery_key=f"sha256:{webhook_id}",
        webhook_id=webhook_id,
        event="order.status_changed",
        order_number=order,
        event_time=AT,
        received_at=AT + timedelta(minutes=minutes),
        payload={"event": "order.status_changed", "data": {"newStatus": "paid"}},
    )


def test_an_event_is_stored_once(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        assert add(uow, "evt_1")
        assert not add(uow, "evt_1")
        uow.commit()
    with uow_factory() as uow:
        assert not add(uow, "evt_1")
        uow.commit()
    with uow_factory() as uow:
        (stored,) = uow.webhooks.recent()
    assert stored.webhook_id == "evt_1"
    assert stored.payload["data"] == {"newStatus": "paid"}
    assert stored.received_at == AT and stored.received_at.tzinfo is not None


def test_racing_deliveries_store_one_row(engine: Engine) -> None:
    session_factory = make_session_factory(engine)

    def deliver(_: int) -> bool:
        with UnitOfWork(session_factory) as uow:
            stored = add(uow, "evt_race")
            uow.commit()
        return stored

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(deliver, range(8)))
    assert outcomes.count(True) == 1
    with UnitOfWork(session_factory) as uow:
        assert len(uow.webhooks.recent()) == 1


def test_events_by_order_and_by_arrival(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        add(uow, "a", "ORD-1", minutes=0)
        add(uow, "b", "ORD-2", minutes=1)
        add(uow, "c", "ORD-1", minutes=2)
        uow.commit()
    with uow_factory() as uow:
        assert [e.webhook_id for e in uow.webhooks.for_order("ORD-1")] == ["a", "c"]
        assert [e.webhook_id for e in uow.webhooks.received_after(AT)] == ["b", "c"]
        assert [e.webhook_id for e in uow.webhooks.recent(limit=2)] == ["c", "b"]


def test_status_changes_per_order_oldest_first(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        uow.order_changes.add(
            order_number="ORD-1",
            from_status="paid",
            to_status="on_the_way",
            outcome="unknown",
            actor="ayse",
            comment=None,
            requested_at=AT + timedelta(hours=1),
            server_changed_at=None,
        )
        uow.order_changes.add(
            order_number="ORD-1",
            from_status="created",
            to_status="paid",
            outcome="applied",
            actor="ayse",
            comment="bank transfer",
            requested_at=AT,
            server_changed_at=AT,
        )
        uow.commit()
    with uow_factory() as uow:
        changes = uow.order_changes.for_order("ORD-1")
        assert uow.order_changes.for_order("ORD-2") == []
    assert [(c.to_status, c.outcome) for c in changes] == [
        ("paid", "applied"),
        ("on_the_way", "unknown"),
    ]
