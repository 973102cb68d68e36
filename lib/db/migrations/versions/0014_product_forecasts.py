"""Product forecasts: the forecast engine's latest model, backtest error, error spread
and daily forecasts per product (issue 19).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lib.db.types

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create product_forecasts."""
    op.create_table(
        "product_forecasts",
        sa.Column("ps_id", sa.String(length=64), nullable=False),
        sa.Column("model", sa.String(length=32), nullable=False),
        sa.Column("mae", sa.Float(), nullable=True),
        sa.Column("spread", sa.Float(), nullable=False),
        sa.Column("daily", sa.JSON(), nullable=False),
        sa.Column("history_end", sa.Date(), nullable=False),
        sa.Column("computed_at", lib.db.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("ps_id", name=op.f("pk_product_forecasts")),
    )


def downgrade() -> None:
    """Drop product_forecasts."""
    op.drop_table("product_forecasts")
