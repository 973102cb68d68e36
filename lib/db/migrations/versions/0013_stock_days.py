"""Daily stock snapshots of the sources that give our own stock (Price2B), and when each
item's stock was last read, so the stock budget reads the oldest first.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lib.db.types

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create source_stock_days and source_stock_reads."""
    moment = lib.db.types.UtcDateTime
    op.create_table(
        "source_stock_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("item_key", sa.String(), nullable=False),
        sa.Column("warehouse_key", sa.String(), nullable=False),
        sa.Column("warehouse_name", sa.String(), nullable=False),
        sa.Column("on_hand", sa.BigInteger(), nullable=True),
        sa.Column("reserved", sa.BigInteger(), nullable=True),
        sa.Column("available", sa.BigInteger(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("taken_at", moment(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_stock_days")),
    )
    op.create_index(
        "ix_source_stock_days_source_day", "source_stock_days", ["source", "day", "item_key"]
    )
    op.create_table(
        "source_stock_reads",
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("item_key", sa.String(), nullable=False),
        sa.Column("read_at", moment(), nullable=False),
        sa.PrimaryKeyConstraint("source", "item_key", name=op.f("pk_source_stock_reads")),
    )


def downgrade() -> None:
    """Drop the daily stock snapshots and the read times."""
    for table in ("source_stock_reads", "source_stock_days"):
        op.drop_table(table)
