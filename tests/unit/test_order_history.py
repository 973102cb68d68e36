"""An order's timeline from our status changes and its webhooks; events the list lacks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from lib.db import StatusChangeRecord, WebhookEventRecord
from lib.orders.history import build_timeline, event_status, timeline_frame, unreflected_events

RECEIVED = datetime(2025, 1, 14, 12, 0, tzinfo=UTC)


def event(kind: str, number: str = "ORD-1", **data: Any) -> WebhookEventRecord:
    return WebhookEventRecord(
        id=1,
        webhook_id=f"evt_{kind}",
        event=kind,
        order_number=number,
        event_time=datetime(2025, 1, 14, 11, 59, tzinfo=UTC),
        received_at=RECEIVED,
        payload={"event": kind, "timestamp": "2025-01-14T11:59:00Z", "data": data},
    )


def change(to: str, at: datetime, outcome: str = "applied") -> StatusChangeRecord:
    return StatusChangeRecord(
        id=1,
        order_number="ORD-1",
        from_status="created",
        to_status=to,
        outcome=outcome,  # type: ignore[arg-type]
        actor="ayse",
        comment="bank transfer",
        requested_at=at,
        server_changed_at=at if outcome == "applied" else None,
    )


def test_event_status_per_event_type() -> None:
    assert event_status(event("order.created", status="created")) == "created"
    assert event_status(event("order.status_changed", oldStatus="created", newStatus="paid")) == (
        "paid"
    )
    assert event_status(event("order.cancelled", reason="no stock")) == "cancelled"
    assert event_status(event("order.confirmed")) is None


def test_timeline_merges_changes_and_webhooks_oldest_first() -> None:
    paid_at = datetime(2025, 1, 14, 11, 0, tzinfo=UTC)
    webhook = event(
        "order.status_changed",
        oldStatus="created",
        newStatus="paid",
        changedBy="external_api",
        changedAt="2025-01-14T11:00:00Z",
    )
    created = event("order.created", status="created", createdAt="14/01/25")
    unknown = change("on_the_way", datetime(2025, 1, 14, 11, 30, tzinfo=UTC), outcome="unknown")

    timeline = build_timeline([unknown, change("paid", paid_at)], [webhook, created])

    assert [(e.source, e.status, e.what) for e in timeline] == [
        ("Webhook", "created", "Order created"),
        ("StockDesk", "paid", "ayse moved it Created → Paid"),
        ("Webhook", "paid", "Created → Paid (by external_api)"),
        (
            "StockDesk",
            None,
            "ayse asked for Created → On the way; the outcome is unknown, check the order",
        ),
    ]
    statuses = timeline_frame(timeline)["Status"].fillna("—").tolist()
    assert statuses == ["Created", "Paid", "Paid", "—"]


def test_an_event_without_its_own_time_is_placed_at_its_timestamp() -> None:
    (entry,) = build_timeline([], [event("order.cancelled", reason="no stock")])
    assert entry.at == datetime(2025, 1, 14, 11, 59, tzinfo=UTC)
    assert entry.note == "no stock"


def test_unreflected_events_are_those_the_list_does_not_show() -> None:
    shown = event("order.status_changed", "ORD-1", newStatus="paid")
    moved = event("order.status_changed", "ORD-2", newStatus="paid")
    new_order = event("order.created", "ORD-9", status="created")
    cancelled = event("order.cancelled", "ORD-3")
    confirmed = event("order.confirmed", "ORD-4")

    stale = unreflected_events(
        [shown, moved, new_order, cancelled, confirmed],
        {"ORD-1": "paid", "ORD-2": "created", "ORD-3": "cancelled", "ORD-4": "created"},
    )

    assert [e.order_number for e in stale] == ["ORD-2", "ORD-9"]
