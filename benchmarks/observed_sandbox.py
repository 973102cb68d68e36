"""The sandbox in a process of its own, with two read-only routes a benchmark checks it by.

``python -m benchmarks.observed_sandbox --port N [the sandbox's options]`` serves
``lib.sandbox``'s app unchanged, plus:

- ``GET /_observed/answers``: every answer it gave to the API: when, to which method and
  path, with which status (its 429s among them);
- ``GET /_observed/sales``: every sales row it stores, as ``[id, day, quantity, stock]``.

Neither is part of PleasureStock's API, so they live here and not in ``lib/sandbox``, whose
routes follow the documents. ``times_stored`` and ``changed_days`` compare two listings of
its sales with what was sent.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from benchmarks.sandbox_process import free_port, served
from lib.sandbox.__main__ import build_parser, config_from
from lib.sandbox.app import create_app
from lib.sandbox.server import bind_socket
from lib.sandbox.store import SandboxStore

# A product-day's stored sales: (quantity, stock on hand).
StoredSales = dict[tuple[str, str], tuple[int, int | None]]


@dataclass(frozen=True)
class Answer:
    """One answer of the sandbox: when it started (``time.time()``), to what, its status."""

    at: float
    method: str
    path: str
    status: int


class Observed:
    """Records the sandbox's answers and serves ``/_observed/``."""

    def __init__(self, sandbox: Starlette) -> None:
        self._sandbox = sandbox
        self._answers: list[Answer] = []
        self._routes = Starlette(
            routes=[
                Route("/_observed/answers", self._list_answers, methods=["GET"]),
                Route("/_observed/sales", self._list_sales, methods=["GET"]),
            ]
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call: ours under ``/_observed/``, the sandbox's (counted) else."""
        if scope["type"] != "http":
            await self._sandbox(scope, receive, send)
            return
        if scope["path"].startswith("/_observed/"):
            await self._routes(scope, receive, send)
            return

        async def counted(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer = Answer(time.time(), scope["method"], scope["path"], message["status"])
                self._answers.append(answer)
            await send(message)

        await self._sandbox(scope, receive, counted)

    async def _list_answers(self, request: Request) -> Response:
        return JSONResponse([[a.at, a.method, a.path, a.status] for a in self._answers])

    async def _list_sales(self, request: Request) -> Response:
        store: SandboxStore = self._sandbox.state.store
        with store.lock:
            rows = [[i, d.isoformat(), q, s] for (i, d), (q, s) in store.sales.items()]
        return JSONResponse(rows)


@dataclass(frozen=True)
class ObservedSandbox:
    """A running observed sandbox: its API's base URL and what it can be asked."""

    base_url: str
    root_url: str

    def answers(self) -> list[Answer]:
        """The answers given so far, oldest first."""
        rows = httpx.get(f"{self.root_url}/_observed/answers", timeout=30).json()
        return [Answer(*row) for row in rows]

    def sales(self) -> StoredSales:
        """Every stored sales row, by (product id, ISO day)."""
        rows = httpx.get(f"{self.root_url}/_observed/sales", timeout=60).json()
        return {(i, d): (q, s) for i, d, q, s in rows}


def times_stored(
    rows: Iterable[tuple[str, str, int]], before: StoredSales, after: StoredSales
) -> Counter[int]:
    """How many (product, ISO day, quantity) rows the sandbox stores 0, 1, 2… times: the
    quantity its product-day gained since ``before``, in units of the row's quantity."""
    counts: Counter[int] = Counter()
    for product, day, quantity in rows:
        gained = after.get((product, day), (0, None))[0] - before.get((product, day), (0, None))[0]
        counts[gained // quantity if gained % quantity == 0 else -1] += 1
    return counts


def changed_days(before: StoredSales, after: StoredSales) -> list[tuple[str, str]]:
    """The product-days whose stored sales differ between the two listings."""
    return [key for key, value in after.items() if before.get(key) != value]


@contextmanager
def observed_sandbox(*args: str) -> Iterator[ObservedSandbox]:
    """Serve an observed sandbox on a free port with the sandbox's ``args``."""
    port = free_port()
    command = [sys.executable, "-m", "benchmarks.observed_sandbox", "--port", str(port), *args]
    with served(command, port):
        root = f"http://127.0.0.1:{port}"
        yield ObservedSandbox(base_url=f"{root}/api/v1", root_url=root)


def main(argv: list[str] | None = None) -> None:
    """Parse the sandbox's options and serve it, observed, until interrupted."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    app: ASGIApp = Observed(create_app(config_from(args)))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    server.run(sockets=[bind_socket(args.host, args.port)])


if __name__ == "__main__":
    main()
