"""Reorder settings per supplier, with a '*' row for the defaults.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lib.db.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the reorder_settings table."""
    op.create_table(
        "reorder_settings",
        sa.Column("supplier_id", sa.String(length=64), nullable=False),
        sa.Column("lead_time_days", sa.Integer(), nullable=False),
        sa.Column("service_level", lib.db.types.ExactDecimal(), nullable=False),
        sa.Column("review_period_days", sa.Integer(), nullable=False),
        sa.Column("moq", sa.Integer(), nullable=False),
        sa.Column("case_pack", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(), nullable=False),
        sa.Column("updated_at", lib.db.types.UtcDateTime(), nullable=False),
        sa.CheckConstraint(
            "lead_time_days >= 0 AND review_period_days >= 0 AND moq >= 1 AND case_pack >= 1",
            name=op.f("ck_reorder_settings_positive"),
        ),
        sa.PrimaryKeyConstraint("supplier_id", name=op.f("pk_reorder_settings")),
    )


def downgrade() -> None:
    """Drop the reorder_settings table."""
    op.drop_table("reorder_settings")
