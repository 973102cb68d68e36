"""Jobs and workers: background work whose state lives in the database, not in the queue.

``jobs`` holds one row per run (state, progress, last error); a partial unique index on
(kind, subject) while pending or running makes each kind single-flight per subject, and
(kind, slot) makes a scheduled run start once however many workers tick. ``workers``
holds each worker process's heartbeat, which tells a running job from an orphaned one.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lib.db.types

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACTIVE = sa.text("state IN ('pending', 'running')")


def upgrade() -> None:
    """Create the jobs and workers tables."""
    moment = lib.db.types.UtcDateTime
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("progress_done", sa.Integer(), nullable=False),
        sa.Column("progress_total", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_at", moment(), nullable=False),
        sa.Column("started_at", moment(), nullable=True),
        sa.Column("finished_at", moment(), nullable=True),
        sa.Column("worker_id", sa.String(), nullable=True),
        sa.Column("slot", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'running', 'done', 'failed', 'unknown', 'interrupted')",
            name=op.f("ck_jobs_state"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        sa.UniqueConstraint("kind", "slot", name="uq_jobs_kind_slot"),
    )
    op.create_index("ix_jobs_state", "jobs", ["state"])
    op.create_index(
        "uq_jobs_active",
        "jobs",
        ["kind", "subject"],
        unique=True,
        sqlite_where=_ACTIVE,
        postgresql_where=_ACTIVE,
    )
    op.create_table(
        "workers",
        sa.Column("worker_id", sa.String(length=200), nullable=False),
        sa.Column("started_at", moment(), nullable=False),
        sa.Column("last_seen", moment(), nullable=False),
        sa.Column("embedded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("worker_id", name=op.f("pk_workers")),
    )


def downgrade() -> None:
    """Drop the jobs and workers tables."""
    op.drop_table("workers")
    op.drop_table("jobs")
