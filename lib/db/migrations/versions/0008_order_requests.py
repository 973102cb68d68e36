"""Order requests: each purchase order stored with its externalOrderId before it is sent.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lib.db.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the order_requests table and its state index."""
    moment = lib.db.types.UtcDateTime
    op.create_table(
        "order_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_order_id", sa.String(length=64), nullable=False),
        sa.Column("supplier_id", sa.String(), nullable=True),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.String(), nullable=False),
        sa.Column("requested_at", moment(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", moment(), nullable=True),
        sa.Column("finished_at", moment(), nullable=True),
        sa.Column("orders", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("override_of", sa.JSON(none_as_null=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'sending', 'placed', 'unknown', 'rejected', 'not_sent')",
            name=op.f("ck_order_requests_state"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_requests")),
        sa.UniqueConstraint("external_order_id", name=op.f("uq_order_requests_external_order_id")),
    )
    op.create_index("ix_order_requests_state", "order_requests", ["state"])


def downgrade() -> None:
    """Drop the order_requests table."""
    op.drop_table("order_requests")
