"""Alembic migrations run from code: no alembic.ini, safe to call at every start-up."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, text

MIGRATIONS_FOLDER = Path(__file__).parent / "migrations"

# Any fixed 64-bit number: every StockDesk process upgrading the same database takes it.
_UPGRADE_LOCK_KEY = 0x53544F434B4445  # "STOCKDE" in ASCII
# Tables in our database that others create and own: the job queue's (huey) and the shared
# rate-limit budget's buckets. Migrations and the model check leave them alone.
FOREIGN_TABLE_PREFIXES = ("huey_", "ratelimit___")


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's ``include_name`` hook: False for the tables of ``FOREIGN_TABLE_PREFIXES``."""
    return not (type_ == "table" and name is not None and name.startswith(FOREIGN_TABLE_PREFIXES))


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic configuration for StockDesk's migrations, optionally on ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_FOLDER))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema to the newest revision; a no-op when it is already there."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Concurrent start-ups queue here; the lock is released when the
            # transaction ends, and the later ones then find the schema at head.
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK_KEY}
            )
        command.upgrade(alembic_config(connection), "head")


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None if it was never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
