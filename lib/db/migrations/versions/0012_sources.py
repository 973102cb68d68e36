"""Sources and links: each source's snapshot (items, prices, stock per warehouse), its
sync attempts, and the link groups that say which items of different sources are one
product (proposed by StockDesk, confirmed by a person).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lib.db.types

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LIVE_LINK = sa.text("state IN ('proposed', 'confirmed')")


def upgrade() -> None:
    """Create source_items, source_prices, source_stock, source_syncs and item_links."""
    moment = lib.db.types.UtcDateTime
    op.create_table(
        "source_items",
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("item_key", sa.String(), nullable=False),
        sa.Column("parent_key", sa.String(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("sku", sa.String(), nullable=True),
        sa.Column("barcode", sa.String(), nullable=True),
        sa.Column("category_path", sa.JSON(), nullable=False),
        sa.Column("brand", sa.String(), nullable=True),
        sa.Column("supplier_code", sa.String(), nullable=True),
        sa.Column("images", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", moment(), nullable=True),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("fetched_at", moment(), nullable=False),
        sa.PrimaryKeyConstraint("source", "item_key", name=op.f("pk_source_items")),
    )
    op.create_table(
        "source_prices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("item_key", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("min_qty", sa.Integer(), nullable=False),
        sa.Column("max_qty", sa.Integer(), nullable=True),
        sa.Column("amount", lib.db.types.ExactDecimal(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_prices")),
    )
    op.create_index("ix_source_prices_source_item", "source_prices", ["source", "item_key"])
    op.create_table(
        "source_stock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("item_key", sa.String(), nullable=False),
        sa.Column("warehouse_key", sa.String(), nullable=False),
        sa.Column("warehouse_name", sa.String(), nullable=False),
        sa.Column("on_hand", sa.BigInteger(), nullable=True),
        sa.Column("reserved", sa.BigInteger(), nullable=True),
        sa.Column("available", sa.BigInteger(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.CheckConstraint("kind IN ('own', 'supplier')", name=op.f("ck_source_stock_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_stock")),
    )
    op.create_index("ix_source_stock_source_item", "source_stock", ["source", "item_key"])
    op.create_table(
        "source_syncs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("started_at", moment(), nullable=False),
        sa.Column("finished_at", moment(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint("status IN ('ok', 'failed')", name=op.f("ck_source_syncs_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_syncs")),
    )
    op.create_index("ix_source_syncs_source_started_at", "source_syncs", ["source", "started_at"])
    op.create_table(
        "item_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("item_key", sa.String(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("proposed_at", moment(), nullable=False),
        sa.Column("confirmed_by", sa.String(), nullable=True),
        sa.Column("confirmed_at", moment(), nullable=True),
        sa.CheckConstraint(
            "state IN ('proposed', 'confirmed', 'rejected')", name=op.f("ck_item_links_state")
        ),
        sa.CheckConstraint("method IN ('barcode', 'sku')", name=op.f("ck_item_links_method")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_links")),
    )
    op.create_index("ix_item_links_group_id", "item_links", ["group_id"])
    op.create_index(
        "uq_item_links_live_item",
        "item_links",
        ["source", "item_key"],
        unique=True,
        sqlite_where=_LIVE_LINK,
        postgresql_where=_LIVE_LINK,
    )


def downgrade() -> None:
    """Drop the sources' and links' tables."""
    for table in ("item_links", "source_syncs", "source_stock", "source_prices", "source_items"):
        op.drop_table(table)
