"""Order tracking: received webhook events and the status changes StockDesk made.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lib.db.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create webhook_events and order_status_changes with their indexes."""
    moment = lib.db.types.UtcDateTime
    op.create_table(
        "webhook_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("webhook_id", sa.String(), nullable=False),
        sa.Column("event", sa.String(), nullable=False),
        sa.Column("order_number", sa.String(), nullable=True),
        sa.Column("event_time", moment(), nullable=True),
        sa.Column("received_at", moment(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_events")),
        sa.UniqueConstraint("webhook_id", name=op.f("uq_webhook_events_webhook_id")),
    )
    op.create_index(op.f("ix_webhook_events_order_number"), "webhook_events", ["order_number"])
    op.create_index(op.f("ix_webhook_events_received_at"), "webhook_events", ["received_at"])

    op.create_table(
        "order_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(), nullable=False),
        sa.Column("from_status", sa.String(), nullable=False),
        sa.Column("to_status", sa.String(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("requested_at", moment(), nullable=False),
        sa.Column("server_changed_at", moment(), nullable=True),
        sa.CheckConstraint(
            "outcome IN ('applied', 'unknown')", name=op.f("ck_order_status_changes_outcome")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_status_changes")),
    )
    op.create_index(
        op.f("ix_order_status_changes_order_number"), "order_status_changes", ["order_number"]
    )


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("order_status_changes")
    op.drop_table("webhook_events")
