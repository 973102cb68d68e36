"""Pricing formula versions: rules, rounding and guard rails, at most one active.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lib.db.types

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create pricing_versions with its index on time and its one-active-version index."""
    op.create_table(
        "pricing_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("rounding", sa.String(length=16), nullable=False),
        sa.Column("rounding_in_try", sa.Boolean(), nullable=False),
        sa.Column("min_margin_pct", lib.db.types.ExactDecimal(), nullable=True),
        sa.Column("max_markup_pct", lib.db.types.ExactDecimal(), nullable=True),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("created_at", lib.db.types.UtcDateTime(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "rounding IN ('none', 'end_99', 'end_90', 'multiple_5', 'multiple_10')",
            name=op.f("ck_pricing_versions_rounding"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pricing_versions")),
    )
    op.create_index(op.f("ix_pricing_versions_created_at"), "pricing_versions", ["created_at"])
    op.create_index(
        "uq_pricing_versions_active",
        "pricing_versions",
        ["active"],
        unique=True,
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    )


def downgrade() -> None:
    """Drop pricing_versions."""
    op.drop_table("pricing_versions")
