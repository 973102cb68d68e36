"""The standalone worker: ``python -m lib.jobs.worker [--workers N]`` (``make worker``).

It runs jobs for every app replica that shares its database. In demo mode it refuses to
start: the demo sandbox lives inside the app's process, where only the embedded worker
reaches it (run ``make sandbox`` and give its URL and key to use a standalone worker).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from huey.consumer import Consumer

from lib.db import open_database
from lib.jobs.queue import MAX_POLL_DELAY, huey
from lib.jobs.runs import Runtime
from lib.jobs.schedules import worker_schedules
from lib.jobs.startup import prepare_worker
from lib.pleasurestock import PleasureStockClient
from lib.sales.channel_pull import ChannelRules
from lib.settings import load_settings
from lib.sources.configured import live_sources

DEMO_REFUSAL = (
    "The standalone worker needs the live API or a separate sandbox: the demo sandbox "
    "lives inside the app. Run `make sandbox` and set PLEASURESTOCK_BASE_URL="
    "http://127.0.0.1:8765/api/v1 and PLEASURESTOCK_API_KEY=pk_test_sandbox for the app "
    "and the worker."
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run a worker in the foreground until SIGINT or SIGTERM (both graceful); exit code."""
    parser = argparse.ArgumentParser(prog="python -m lib.jobs.worker", description=__doc__)
    parser.add_argument("--workers", type=int, default=2, help="worker threads (default 2)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = load_settings()
    if settings.demo_mode:
        print(DEMO_REFUSAL, file=sys.stderr)
        return 2
    database = open_database(settings.stockdesk_database_url)
    # A background client on the budget every process with this key shares: it waits its
    # turn and leaves the dashboards their reserve.
    client = PleasureStockClient(
        base_url=settings.pleasurestock_base_url,
        api_key=settings.pleasurestock_api_key,
        timeout=settings.request_timeout_seconds,
        budget_url=settings.api_budget_url,
    )
    sources = live_sources(settings)
    runtime = Runtime(
        session_factory=database.session_factory,
        client=client,
        schedules=worker_schedules(settings, [s.key for s in sources]),
        sources=sources,
        link_namespaces=settings.equal_sku_namespaces,
        channel_rules=ChannelRules.from_settings(settings),
        demo_mode=settings.demo_mode,
    )
    heartbeat = prepare_worker(settings.stockdesk_database_url, runtime, embedded=False)
    try:
        # TERM graceful too, so a docker or systemd stop lets the job in flight finish.
        Consumer(
            huey,
            workers=args.workers,
            worker_type="thread",
            graceful_signal="TERM",
            max_delay=MAX_POLL_DELAY,
        ).run()
    finally:
        heartbeat.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
