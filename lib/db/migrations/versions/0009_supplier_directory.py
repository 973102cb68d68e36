"""The supplier directory: a name for each supplier id, from orders or an administrator.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lib.db.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the supplier_directory table."""
    op.create_table(
        "supplier_directory",
        sa.Column("supplier_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("updated_by", sa.String(), nullable=False),
        sa.Column("updated_at", lib.db.types.UtcDateTime(), nullable=False),
        sa.CheckConstraint(
            "source IN ('orders', 'admin')", name=op.f("ck_supplier_directory_source")
        ),
        sa.PrimaryKeyConstraint("supplier_id", name=op.f("pk_supplier_directory")),
    )


def downgrade() -> None:
    """Drop the supplier_directory table."""
    op.drop_table("supplier_directory")
