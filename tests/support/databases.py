"""Databases for tests: a SQLite file per test, a throwaway schema on PostgreSQL.

PostgreSQL is tested only when ``STOCKDESK_TEST_POSTGRES_URL`` is set, e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/test``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from lib.db import make_engine

POSTGRES_URL_VARIABLE = "STOCKDESK_TEST_POSTGRES_URL"


@dataclass(frozen=True)
class Backend:
    """A database backend to test: ``sqlite`` (url None, a temp file) or ``postgres``."""

    name: str
    url: str | None


def sqlite_url(tmp_path: Path) -> str:
    """URL of a fresh SQLite file inside ``tmp_path``."""
    return f"sqlite:///{tmp_path / 'stockdesk.db'}"


def database_urls_under_test() -> list[Backend]:
    """SQLite always, plus PostgreSQL when STOCKDESK_TEST_POSTGRES_URL is set."""
    backends = [Backend(name="sqlite", url=None)]
    postgres_url = os.environ.get(POSTGRES_URL_VARIABLE, "").strip()
    if postgres_url:
        backends.append(Backend(name="postgres", url=postgres_url))
    return backends


@contextmanager
def postgres_schema_engine(base_url: str) -> Iterator[Engine]:
    """An engine confined to a new, uniquely named schema, dropped with CASCADE afterwards."""
    schema = f"test_{uuid4().hex[:16]}"
    admin = create_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    # libpq's options parameter sets search_path on every new connection, so tables,
    # migrations and alembic_version all land in the throwaway schema.
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def backend_engine(backend: Backend, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of ``backend``: a SQLite file in ``tmp_path`` or a PG schema."""
    if backend.url is None:
        engine = make_engine(sqlite_url(tmp_path))
        try:
            yield engine
        finally:
            engine.dispose()
    else:
        with postgres_schema_engine(backend.url) as engine:
            yield engine
