"""Alembic environment: migrates the connection in ``config.attributes`` or the configured DB.

``lib.db.migrate`` always passes a connection (so tests can migrate an engine whose
search_path points at a temporary schema). Without one, as when a developer runs
``alembic.command.revision(alembic_config(), autogenerate=True)``, the database of
the StockDesk settings is used.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection

from lib.db import types
from lib.db.engine import make_engine
from lib.db.migrate import include_name
from lib.db.models import Base
from lib.settings import load_settings


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> Literal[False]:
    """Import ``lib.db.types`` in new revisions that use its column types."""
    if type_ == "type" and type(obj).__module__ == types.__name__:
        autogen_context.imports.add("import lib.db.types")
    # False: render the item the default way.
    return False


def run_migrations(connection: Connection) -> None:
    """Run the pending migrations on ``connection``."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things: batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    run_migrations(given)
else:
    engine = make_engine(load_settings().stockdesk_database_url)
    with engine.begin() as connection:
        run_migrations(connection)
    engine.dispose()
