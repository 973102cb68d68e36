"""A process that takes a shared budget's requests as fast as it lets it, for the
two-process tests; it reports when each request was let through (this machine's clock)."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

from lib.pleasurestock import BudgetBusyError
from lib.pleasurestock.budget import Budget, Windows

RATE_CLASS = "standard"


def hammer(
    url: str,
    fingerprint: str,
    windows: Mapping[str, Windows],
    max_wait: float | None,
    seconds: float,
    threads: int,
    start: Any,
    results: Any,
) -> None:
    """After ``start`` (a Barrier), ``threads`` threads acquire for ``seconds``; puts
    ``(max_wait, send times, refusals)`` on ``results`` (a Queue)."""
    budget = Budget(url=url, fingerprint=fingerprint, windows=windows, max_wait=max_wait)
    sent: list[float] = []
    refused: list[float] = []
    start.wait()
    deadline = time.monotonic() + seconds

    def run() -> None:
        while time.monotonic() < deadline:
            try:
                budget.acquire(RATE_CLASS)
            except BudgetBusyError:
                refused.append(time.time())
            else:
                sent.append(time.time())  # the request would leave now

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    budget.close()
    results.put((max_wait, sent, refused))
