"""The standalone worker (``make worker``) sends on the API budget every process shares."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.jobs import worker
from lib.jobs.runs import current_runtime
from lib.pleasurestock import PleasureStockClient


def test_the_standalone_worker_waits_its_turn_on_the_shared_budget(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PLEASURESTOCK_API_KEY", "pk_live_StandaloneWorker42")
    monkeypatch.setenv("STOCKDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'stockdesk.db'}")
    clients: list[PleasureStockClient] = []

    class Consumer:
        """Stands in for huey's consumer: notes what the jobs would run with, then stops."""

        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def run(self) -> None:
            clients.append(current_runtime().client)

    monkeypatch.setattr(worker, "Consumer", Consumer)
    assert worker.main([]) == 0
    [client] = clients
    assert client.max_wait is None  # a job waits its turn
    assert (tmp_path / "stockdesk.ratelimit.db").is_file()  # the budget beside the database
    client.close()
