"""Migrations: idempotent, safe to run concurrently, and in step with the models."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from lib.db import current_revision, upgrade_to_head
from lib.db.migrate import alembic_config, include_name
from lib.db.models import Base
from lib.pleasurestock.budget import Budget
from lib.settings import Settings

TABLES = {
    "catalog_products",
    "catalog_syncs",
    "currency_rates",
    "audit_log",
    "webhook_events",
    "order_status_changes",
    "user_roles",
    "sales_ledger",
    "sales_uploads",
    "sales_upload_batches",
    "sales_upload_preferences",
    "pricing_versions",
    "jobs",
    "workers",
    "source_items",
    "source_prices",
    "source_stock",
    "source_syncs",
    "item_links",
    "product_forecasts",
}


def head_revision() -> str:
    """The newest revision in the migrations folder."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def test_fresh_database_has_no_revision(empty_engine: Engine) -> None:
    assert current_revision(empty_engine) is None


def test_upgrade_creates_the_tables_and_reaches_head(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) >= TABLES


def test_upgrade_twice_is_a_no_op(engine: Engine) -> None:
    upgrade_to_head(engine)
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()


def differences(engine: Engine, **opts: object) -> list[object]:
    """What Alembic's autogenerate would change to make the database match the models."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, **opts})
        return compare_metadata(context, Base.metadata)


def test_models_and_migrations_agree(engine: Engine) -> None:
    # With the filter env.py uses, as autogenerate would run.
    assert differences(engine, include_name=include_name) == []


def test_the_api_budgets_tables_are_left_out_of_the_comparison(
    engine: Engine, tmp_path: Path
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("on SQLite the API budget has a file of its own")
    url = engine.url.render_as_string(hide_password=False)
    budget_url = Settings.from_secrets_file(
        tmp_path / "absent.toml", stockdesk_database_url=url
    ).api_budget_url
    windows = {"standard": ((1.0, 10),)}
    Budget(url=budget_url, fingerprint="0" * 12, windows=windows, max_wait=None).close()
    assert differences(engine) != []  # the budget's table is in our schema…
    assert differences(engine, include_name=include_name) == []  # …and not ours to drop


def test_the_queues_tables_are_not_taken_for_missing_models(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE huey_task (id INTEGER PRIMARY KEY)"))
    assert differences(engine) != []  # the queue's table is in our database…
    assert differences(engine, include_name=include_name) == []  # …and not ours to drop


def test_concurrent_upgrades_on_postgres_do_not_break(empty_engine: Engine) -> None:
    if empty_engine.dialect.name != "postgresql":
        pytest.skip("start-ups race on PostgreSQL; SQLite writers queue on the file lock")
    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(upgrade_to_head, empty_engine) for _ in range(4)]:
            future.result()
    assert current_revision(empty_engine) == head_revision()


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
