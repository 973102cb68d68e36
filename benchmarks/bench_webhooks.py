"""Webhook intake on one process: events/s and response times with signature checks and storage.

The app's routes (``lib.routes.ROUTES``) are served by uvicorn in a subprocess on a
fresh SQLite database, as ``streamlit run`` serves them beside the UI; a few client
threads post signed ``order.status_changed`` events over keep-alive connections.
New events are verified and stored; redeliveries (same ``X-Webhook-Id``) are
verified and acknowledged without a second row.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
from starlette.applications import Starlette

from benchmarks.sandbox_process import free_port, served
from lib.db import UnitOfWork, open_database
from lib.orders.webhooks import WEBHOOK_PATH
from lib.sandbox.webhooks import signature

SECRET = "whsec_benchmark_3f9a"
EVENTS_PER_ROUND = 1000
ROUNDS = 3
CLIENT_THREADS = 8
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def webhook_app() -> Starlette:
    """The app's extra routes alone (uvicorn ``--factory`` entry point)."""
    from lib.routes import ROUTES

    return Starlette(routes=ROUTES)


@contextmanager
def route_server(database_url: str) -> Iterator[str]:
    """Serve ``webhook_app`` with uvicorn in a subprocess; yields the webhook URL."""
    port = free_port()
    env = {
        "STOCKDESK_DATABASE_URL": database_url,
        "PLEASURESTOCK_API_KEY": "pk_live_benchmark",
        "PLEASURESTOCK_WEBHOOK_SECRET": SECRET,
    }
    command = [sys.executable, "-m", "uvicorn", "--factory"]
    command += ["benchmarks.bench_webhooks:webhook_app", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--log-level", "warning", "--no-access-log"]
    command += ["--lifespan", "off"]
    with served(command, port, env=env):
        yield f"http://127.0.0.1:{port}{WEBHOOK_PATH}"


def _post(http: httpx.Client, url: str, webhook_id: str) -> float:
    """Sign and post the event ``webhook_id`` names; seconds until the 200 arrived.

    Events are told apart by their content, so the id goes into the body too.
    """
    body = json.dumps(
        {
            "event": "order.status_changed",
            "timestamp": "2025-01-14T11:00:00Z",
            "data": {"orderNumber": f"ORD-BENCH-{webhook_id}", "newStatus": "paid"},
        }
    ).encode()
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Webhook-Id": webhook_id,
        "X-Webhook-Timestamp": stamp,
        "X-Webhook-Signature": signature(SECRET, stamp, body),
    }
    started = time.perf_counter()
    response = http.post(url, content=body, headers=headers)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed


def _round(url: str, ids: list[str]) -> tuple[float, list[float]]:
    """Post every id from ``CLIENT_THREADS`` threads; wall seconds and each latency."""
    chunks = [ids[i::CLIENT_THREADS] for i in range(CLIENT_THREADS)]

    def worker(chunk: list[str]) -> list[float]:
        with httpx.Client(timeout=30) as http:
            return [_post(http, url, webhook_id) for webhook_id in chunk]

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENT_THREADS) as pool:
        latencies = [t for chunk in pool.map(worker, chunks) for t in chunk]
    return time.perf_counter() - started, latencies


def _report(name: str, walls: list[float], latencies: list[float]) -> None:
    rates = [EVENTS_PER_ROUND / wall for wall in walls]
    ms = sorted(t * 1000 for t in latencies)
    p50 = statistics.median(ms)
    p99 = ms[min(len(ms) - 1, round(0.99 * len(ms)))]
    print(
        f"  {name}: {statistics.median(rates):,.0f} events/s (median of {len(walls)} rounds of "
        f"{EVENTS_PER_ROUND}; {', '.join(f'{r:,.0f}' for r in rates)}), "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms"
    )


def main() -> None:
    """Print events/s and p50/p99 response times for new events and for redeliveries."""
    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite:///{Path(folder) / 'stockdesk.db'}"
        with route_server(database_url) as url:
            _round(url, [f"evt_warm_{n}" for n in range(50)])  # migrations, connections
            new_walls, new_latencies, all_ids = [], [], []
            for round_number in range(ROUNDS):
                ids = [f"evt_{round_number}_{n}" for n in range(EVENTS_PER_ROUND)]
                wall, latencies = _round(url, ids)
                new_walls.append(wall)
                new_latencies += latencies
                all_ids += ids
            again_walls, again_latencies = [], []
            for round_number in range(ROUNDS):
                wall, latencies = _round(url, all_ids[round_number::ROUNDS])
                again_walls.append(wall)
                again_latencies += latencies
        with UnitOfWork(open_database(database_url).session_factory) as uow:
            stored = len(uow.webhooks.received_after(_EPOCH, limit=10**9))
    print(
        f"  one uvicorn process, SQLite, {CLIENT_THREADS} client threads, "
        "HMAC check + JSON parse + INSERT … ON CONFLICT per event"
    )
    _report("new events", new_walls, new_latencies)
    _report("redeliveries", again_walls, again_latencies)
    expected = 50 + ROUNDS * EVENTS_PER_ROUND
    print(f"  rows stored: {stored:,} (expected {expected:,}: each event once)")
