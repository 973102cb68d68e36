"""Migration 0010: webhook events keyed by their signed content; replayed copies removed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import Engine, text

from lib.db import UnitOfWork, make_session_factory, upgrade_to_head
from lib.db.migrate import alembic_config
from lib.orders.webhooks import payload_key

AT = datetime(2025, 1, 14, 11, 0, tzinfo=UTC)
PAID = {"event": "order.status_changed", "timestamp": None, "data": {"newStatus": "paid"}}
SHIPPED = {"event": "order.status_changed", "timestamp": None, "data": {"newStatus": "on_the_way"}}


def _migrate(engine: Engine, revision: str, *, down: bool = False) -> None:
    with engine.begin() as connection:
        (command.downgrade if down else command.upgrade)(alembic_config(connection), revision)


def _insert_as_before(engine: Engine, webhook_id: str, payload: dict[str, object]) -> None:
    """A row as revisions 0003-0009 stored it: unique X-Webhook-Id, no delivery key."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO webhook_events (webhook_id, event, order_number, received_at, "
                "payload) VALUES (:id, 'order.status_changed', 'ORD-1', :at, :payload)"
            ),
            {"id": webhook_id, "at": AT.replace(tzinfo=None), "payload": json.dumps(payload)},
        )


def test_replayed_copies_go_and_the_signed_content_becomes_the_key(empty_engine: Engine) -> None:
    _migrate(empty_engine, "0009")
    # One delivery replayed under two other ids (the bug), and another event.
    for webhook_id, payload in (("evt_1", PAID), ("evt_x", PAID), ("evt_y", PAID), ("e2", SHIPPED)):
        _insert_as_before(empty_engine, webhook_id, payload)

    upgrade_to_head(empty_engine)

    session_factory = make_session_factory(empty_engine)
    with UnitOfWork(session_factory) as uow:
        kept = sorted((e.webhook_id, e.payload["data"]["newStatus"]) for e in uow.webhooks.recent())
        assert kept == [("e2", "on_the_way"), ("evt_1", "paid")]
        # The same content again, under any id or none, is the same event.
        again = uow.webhooks.add_once(
            delivery_key=payload_key(PAID),
            webhook_id=None,
            event="order.status_changed",
            order_number="ORD-1",
            event_time=None,
            received_at=AT,
            payload=PAID,
        )
        assert not again


def test_the_migration_goes_back_to_unique_sender_ids(engine: Engine) -> None:
    session_factory = make_session_factory(engine)
    with UnitOfWork(session_factory) as uow:
        for key, sender in (("sha256:a", None), ("sha256:b", "evt_1"), ("sha256:c", "evt_1")):
            uow.webhooks.add_once(
                delivery_key=key,
                webhook_id=sender,
                event="order.status_changed",
                order_number="ORD-1",
                event_time=None,
                received_at=AT,
                payload={"k": key},
            )
        uow.commit()

    _migrate(engine, "0009", down=True)
    with engine.connect() as connection:
        ids = sorted(connection.execute(text("SELECT webhook_id FROM webhook_events")).scalars())
    assert ids == ["evt_1", "sha256:a", "sha256:c"]
    upgrade_to_head(engine)
