"""Sales upload: the ledger of sales sent, uploads, their batches, the remembered mapping.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lib.db.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STATES = "'pending', 'sending', 'accepted', 'refused', 'unknown', 'cancelled'"


def upgrade() -> None:
    """Create the four sales tables."""
    moment = lib.db.types.UtcDateTime
    op.create_table(
        "sales_ledger",
        sa.Column("ps_id", sa.String(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("stock_on_hand", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", moment(), nullable=False),
        sa.PrimaryKeyConstraint("ps_id", "day", name=op.f("pk_sales_ledger")),
    )
    op.create_index("ix_sales_ledger_day", "sales_ledger", ["day"])

    op.create_table(
        "sales_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", moment(), nullable=False),
        sa.Column("uploaded_by", sa.String(), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("rows_in_file", sa.Integer(), nullable=False),
        sa.Column("good_rows", sa.Integer(), nullable=False),
        sa.Column("bad_rows", sa.Integer(), nullable=False),
        sa.Column("product_days", sa.Integer(), nullable=False),
        sa.Column("rows_to_send", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("corrections", sa.Integer(), nullable=False),
        sa.Column("open_slot", sa.Integer(), nullable=True),
        sa.Column("finished_at", moment(), nullable=True),
        sa.CheckConstraint("open_slot = 1", name=op.f("ck_sales_uploads_open_slot")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_uploads")),
        sa.UniqueConstraint("open_slot", name=op.f("uq_sales_uploads_open_slot")),
    )
    op.create_index(op.f("ix_sales_uploads_uploaded_at"), "sales_uploads", ["uploaded_at"])
    op.create_index(op.f("ix_sales_uploads_file_sha256"), "sales_uploads", ["file_sha256"])

    op.create_table(
        "sales_upload_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("quantity_total", sa.BigInteger(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("row_errors", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("claimed_at", moment(), nullable=True),
        sa.Column("finished_at", moment(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.CheckConstraint(f"state IN ({_STATES})", name=op.f("ck_sales_upload_batches_state")),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["sales_uploads.id"],
            name=op.f("fk_sales_upload_batches_upload_id_sales_uploads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_upload_batches")),
        sa.UniqueConstraint("upload_id", "seq", name=op.f("uq_sales_upload_batches_upload_id")),
    )

    op.create_table(
        "sales_upload_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("max_age_days", sa.Integer(), nullable=False),
        sa.Column("saved_by", sa.String(), nullable=False),
        sa.Column("saved_at", moment(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_upload_preferences")),
    )


def downgrade() -> None:
    """Drop the four sales tables."""
    op.drop_table("sales_upload_preferences")
    op.drop_table("sales_upload_batches")
    op.drop_table("sales_uploads")
    op.drop_table("sales_ledger")
