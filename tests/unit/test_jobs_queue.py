"""Where the job queue lives for each database URL, and the standalone worker's refusals."""

from __future__ import annotations

import pytest
from huey.storage import MemoryStorage, PostgresStorage, SqliteStorage

from lib.jobs.queue import queue_storage
from lib.jobs.worker import DEMO_REFUSAL, main


def test_sqlite_puts_the_queue_in_a_file_beside_the_database() -> None:
    assert queue_storage("sqlite:////srv/stockdesk/data/stockdesk.db") == (
        SqliteStorage,
        {"filename": "/srv/stockdesk/data/stockdesk.jobs.db"},
    )


def test_postgres_uses_the_same_database_with_a_url_psycopg_understands() -> None:
    url = "postgresql+psycopg://app:s3cret@db:5432/stockdesk?options=-csearch_path%3Dx"
    assert queue_storage(url) == (
        PostgresStorage,
        {"dsn": "postgresql://app:s3cret@db:5432/stockdesk?options=-csearch_path%3Dx"},
    )


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite:///file:x?mode=memory"])
def test_a_database_without_a_plain_file_keeps_the_queue_in_memory(url: str) -> None:
    assert queue_storage(url) == (MemoryStorage, {})


def test_the_standalone_worker_refuses_demo_mode(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PLEASURESTOCK_API_KEY", "")
    assert main([]) == 2
    assert DEMO_REFUSAL in capsys.readouterr().err
