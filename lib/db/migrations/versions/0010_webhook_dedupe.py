"""Webhook events are told apart by their signed content, not the unsigned X-Webhook-Id.

Adds ``delivery_key`` (unique: ``lib.orders.webhooks.payload_key`` of the stored payload) and
keeps ``webhook_id`` as the sender's id for reference, no longer unique or required.
Rows that a replay stored again (same content under another id) are removed, keeping
the first one received.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from lib.orders.webhooks import payload_key

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_events = sa.table(
    "webhook_events",
    sa.column("id", sa.Integer()),
    sa.column("delivery_key", sa.String()),
    sa.column("webhook_id", sa.String()),
    sa.column("payload", sa.JSON()),
)


def upgrade() -> None:
    """Add and fill delivery_key, drop replayed copies, make it the unique key."""
    with op.batch_alter_table("webhook_events") as batch:
        batch.add_column(sa.Column("delivery_key", sa.String(), nullable=True))
    connection = op.get_bind()
    seen: set[str] = set()
    rows = connection.execute(sa.select(_events.c.id, _events.c.payload).order_by(_events.c.id))
    for row_id, payload in rows.all():
        key = payload_key(payload)
        if key in seen:
            connection.execute(sa.delete(_events).where(_events.c.id == row_id))
            continue
        seen.add(key)
        connection.execute(
            sa.update(_events).where(_events.c.id == row_id).values(delivery_key=key)
        )
    with op.batch_alter_table("webhook_events") as batch:
        batch.alter_column("delivery_key", existing_type=sa.String(), nullable=False)
        batch.create_unique_constraint(op.f("uq_webhook_events_delivery_key"), ["delivery_key"])
        batch.drop_constraint(op.f("uq_webhook_events_webhook_id"), type_="unique")
        batch.alter_column("webhook_id", existing_type=sa.String(), nullable=True)


def downgrade() -> None:
    """webhook_id unique and required again: rows without their own id take the key."""
    connection = op.get_bind()
    firsts = sa.select(sa.func.min(_events.c.id)).group_by(_events.c.webhook_id)
    connection.execute(
        sa.update(_events)
        .where(_events.c.webhook_id.is_(None) | _events.c.id.not_in(firsts.scalar_subquery()))
        .values(webhook_id=_events.c.delivery_key)
    )
    with op.batch_alter_table("webhook_events") as batch:
        batch.alter_column("webhook_id", existing_type=sa.String(), nullable=False)
        batch.create_unique_constraint(op.f("uq_webhook_events_webhook_id"), ["webhook_id"])
        batch.drop_constraint(op.f("uq_webhook_events_delivery_key"), type_="unique")
        batch.drop_column("delivery_key")
