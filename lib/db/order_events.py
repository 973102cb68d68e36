"""Repositories of what happened to orders: received webhooks and our own status changes.

Like the other repositories they work inside the unit of work's session, never
commit, and return frozen records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

from pydantic_core import to_jsonable_python
from sqlalchemy import Insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lib.db.models import OrderStatusChangeRow, WebhookEventRow

ChangeOutcome = Literal["applied", "unknown"]


@dataclass(frozen=True)
class WebhookEventRecord:
    """One stored webhook event; ``payload`` is its JSON (``event``, ``timestamp``, ``data``)."""

    id: int
    webhook_id: str | None
    event: str
    order_number: str | None
    event_time: datetime | None
    received_at: datetime
    payload: Any


@dataclass(frozen=True)
class StatusChangeRecord:
    """One status change StockDesk sent; ``outcome`` is ``unknown`` when the answer was lost."""

    id: int
    order_number: str
    from_status: str
    to_status: str
    outcome: ChangeOutcome
    actor: str
    comment: str | None
    requested_at: datetime
    server_changed_at: datetime | None


class WebhookEventRepository:
    """Webhook events, each stored once however often it is delivered."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add_once(
        self,
        delivery_key: str,
        webhook_id: str | None,
        event: str,
        order_number: str | None,
        event_time: datetime | None,
        received_at: datetime,
        payload: Any,
    ) -> bool:
        """Store the event unless ``delivery_key`` is already stored; True when it was new.

        One INSERT … ON CONFLICT DO NOTHING, so two deliveries racing each other
        still store one row and neither fails.
        """
        row = {
            "delivery_key": delivery_key,
            "webhook_id": webhook_id,
            "event": event,
            "order_number": order_number,
            "event_time": event_time,
            "received_at": received_at,
            "payload": to_jsonable_python(payload),
        }
        inserted = self._session.execute(_insert_ignoring_duplicates(self._session, row))
        return inserted.scalar_one_or_none() is not None

    def received_after(self, moment: datetime, limit: int = 200) -> list[WebhookEventRecord]:
        """Events received after ``moment``, oldest first (at most ``limit``)."""
        rows = self._session.scalars(
            select(WebhookEventRow)
            .where(WebhookEventRow.received_at > moment)
            .order_by(WebhookEventRow.received_at, WebhookEventRow.id)
            .limit(limit)
        )
        return [_event_record(row) for row in rows]

    def recent(self, limit: int = 50) -> list[WebhookEventRecord]:
        """The newest ``limit`` events, newest first."""
        rows = self._session.scalars(
            select(WebhookEventRow)
            .order_by(WebhookEventRow.received_at.desc(), WebhookEventRow.id.desc())
            .limit(limit)
        )
        return [_event_record(row) for row in rows]

    def for_order(self, order_number: str) -> list[WebhookEventRecord]:
        """Every event about one order, in the order received."""
        rows = self._session.scalars(
            select(WebhookEventRow)
            .where(WebhookEventRow.order_number == order_number)
            .order_by(WebhookEventRow.received_at, WebhookEventRow.id)
        )
        return [_event_record(row) for row in rows]


class OrderStatusChangeRepository:
    """The status changes StockDesk sent to PleasureStock, per order."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        order_number: str,
        from_status: str,
        to_status: str,
        outcome: ChangeOutcome,
        actor: str,
        comment: str | None,
        requested_at: datetime,
        server_changed_at: datetime | None,
    ) -> None:
        """Record one change that was applied, or whose outcome is unknown."""
        self._session.add(
            OrderStatusChangeRow(
                order_number=order_number,
                from_status=from_status,
                to_status=to_status,
                outcome=outcome,
                actor=actor,
                comment=comment,
                requested_at=requested_at,
                server_changed_at=server_changed_at,
            )
        )
        self._session.flush()

    def for_order(self, order_number: str) -> list[StatusChangeRecord]:
        """Every change recorded for one order, oldest first."""
        rows = self._session.scalars(
            select(OrderStatusChangeRow)
            .where(OrderStatusChangeRow.order_number == order_number)
            .order_by(OrderStatusChangeRow.requested_at, OrderStatusChangeRow.id)
        )
        return [
            StatusChangeRecord(
                id=row.id,
                order_number=row.order_number,
                from_status=row.from_status,
                to_status=row.to_status,
                outcome=cast(ChangeOutcome, row.outcome),
                actor=row.actor,
                comment=row.comment,
                requested_at=row.requested_at,
                server_changed_at=row.server_changed_at,
            )
            for row in rows
        ]


def _insert_ignoring_duplicates(session: Session, row: dict[str, Any]) -> Insert:
    """The dialect's INSERT … ON CONFLICT (delivery_key) DO NOTHING RETURNING id.

    RETURNING, not the row count: psycopg reports no row count for it through the ORM.
    """
    dialect = session.get_bind().dialect.name
    builders = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
    if dialect not in builders:
        raise NotImplementedError(f"webhook storage supports SQLite and PostgreSQL, not {dialect}")
    statement = builders[dialect](WebhookEventRow).values(**row)
    return statement.on_conflict_do_nothing(index_elements=["delivery_key"]).returning(
        WebhookEventRow.id
    )


def _event_record(row: WebhookEventRow) -> WebhookEventRecord:
    return WebhookEventRecord(
        id=row.id,
        webhook_id=row.webhook_id,
        event=row.event,
        order_number=row.order_number,
        event_time=row.event_time,
        received_at=row.received_at,
        payload=row.payload,
    )
