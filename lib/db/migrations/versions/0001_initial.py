"""Initial schema: catalog snapshot, sync attempts, currency rates, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lib.db.types

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the four tables and their indexes."""
    money = lib.db.types.ExactDecimal
    moment = lib.db.types.UtcDateTime
    op.create_table(
        "catalog_products",
        sa.Column("ps_id", sa.String(), nullable=False),
        sa.Column("uuid", sa.String(), nullable=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("sku", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("price", money(), nullable=True),
        sa.Column("currency", sa.String(), nullable=True),
        sa.Column("supplier_id", sa.String(), nullable=True),
        sa.Column("category_id", sa.String(), nullable=True),
        sa.Column("category_name", sa.String(), nullable=True),
        sa.Column("category_name_en", sa.String(), nullable=True),
        sa.Column("tcc_enabled", sa.Boolean(), nullable=True),
        sa.Column("tcc_coefficient", money(), nullable=True),
        sa.Column("tcc_total_cost", money(), nullable=True),
        sa.Column("tcc_currency", sa.String(), nullable=True),
        sa.Column("tsp_enabled", sa.Boolean(), nullable=True),
        sa.Column("tsp_value", money(), nullable=True),
        sa.Column("tsp_formula", sa.Text(), nullable=True),
        sa.Column("tsp_currency", sa.String(), nullable=True),
        sa.Column("images", sa.JSON(), nullable=False),
        sa.Column("created_at", moment(), nullable=True),
        sa.Column("updated_at", moment(), nullable=True),
        sa.Column("fetched_at", moment(), nullable=False),
        sa.PrimaryKeyConstraint("ps_id", name=op.f("pk_catalog_products")),
    )
    op.create_index(op.f("ix_catalog_products_sku"), "catalog_products", ["sku"])

    op.create_table(
        "catalog_syncs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", moment(), nullable=False),
        sa.Column("finished_at", moment(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("product_count", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint("status IN ('ok', 'failed')", name=op.f("ck_catalog_syncs_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_syncs")),
    )
    op.create_index(op.f("ix_catalog_syncs_started_at"), "catalog_syncs", ["started_at"])

    op.create_table(
        "currency_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rate_to_try", money(), nullable=False),
        sa.Column("rate_time", moment(), nullable=True),
        sa.Column("fetched_at", moment(), nullable=False),
        sa.CheckConstraint("length(currency) = 3", name=op.f("ck_currency_rates_currency_code")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_currency_rates")),
    )
    op.create_index(
        "ix_currency_rates_currency_fetched_at", "currency_rates", ["currency", "fetched_at"]
    )

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", moment(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("entity_type", sa.String(), nullable=False),
        sa.Column("entity_id", sa.String(), nullable=True),
        sa.Column("before", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("after", sa.JSON(none_as_null=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])


def downgrade() -> None:
    """Drop the four tables."""
    op.drop_table("audit_log")
    op.drop_table("currency_rates")
    op.drop_table("catalog_syncs")
    op.drop_table("catalog_products")
