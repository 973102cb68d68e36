"""Role assignments: the role an administrator gave each signed-in user's address.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lib.db.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the user_roles table."""
    op.create_table(
        "user_roles",
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("assigned_at", lib.db.types.UtcDateTime(), nullable=False),
        sa.Column("assigned_by", sa.String(), nullable=False),
        sa.CheckConstraint(
            "role IN ('purchasing', 'finance', 'staff', 'admin')", name=op.f("ck_user_roles_role")
        ),
        sa.PrimaryKeyConstraint("email", name=op.f("pk_user_roles")),
    )


def downgrade() -> None:
    """Drop the user_roles table."""
    op.drop_table("user_roles")
