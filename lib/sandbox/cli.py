"""What every sandbox's standalone command shares: where it listens, its seed and day,
the injected faults, and serving until interrupted."""

from __future__ import annotations

import argparse
import logging
from datetime import date
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from lib.sandbox.server import bind_socket

# --fault-KIND: what that fault does to a request.
FAULTS = (
    ("429", "answer 429 (PleasureStock's with Retry-After 1)"),
    ("500", "answer 500 (writes: half of them after storing)"),
    ("slow", "wait --slow-seconds before answering"),
    ("drop", "drop the connection mid-response (writes are stored first)"),
    ("unreadable", "answer 200 with a body that cannot be read (writes are stored first)"),
)


def fraction(text: str) -> float:
    """A command-line fraction between 0 and 1."""
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not a fraction between 0 and 1")
    return value


def add_shared_options(parser: argparse.ArgumentParser, *, port: int) -> None:
    """``--host`` (127.0.0.1), ``--port`` (``port``), ``--seed`` (42), ``--today``; the
    faults ``--fault-429``, ``--fault-500``, ``--fault-slow``, ``--fault-drop``,
    ``--fault-unreadable F`` (fractions, default 0) and ``--slow-seconds`` (3)."""
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=port, help=f"port to bind (default {port})")
    parser.add_argument(
        "--seed", type=int, default=42, help="seed of the generated data (default 42)"
    )
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="YYYY-MM-DD the data is relative to (default: today's date)",
    )
    for kind, what in FAULTS:
        parser.add_argument(
            f"--fault-{kind}",
            type=fraction,
            default=0.0,
            metavar="F",
            help=f"fraction 0..1 of API requests that {what} (default 0)",
        )
    parser.add_argument(
        "--slow-seconds", type=float, default=3.0, help="delay of a slow fault (default 3)"
    )


def shared_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The config fields the shared options ask for: seed, today and ``FaultSettings``."""
    faults = {f"fault_{kind}": getattr(args, f"fault_{kind}") for kind, _ in FAULTS}
    return {"seed": args.seed, "today": args.today, **faults, "slow_seconds": args.slow_seconds}


def serve(
    app: ASGIApp,
    args: argparse.Namespace,
    *,
    api_path: str,
    what: str,
    date_header: bool = True,
) -> None:
    """Serve ``app`` on ``--host``/``--port`` until interrupted, saying where its API is;
    ``date_header`` False leaves the Date header to the app."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    sock = bind_socket(args.host, args.port)
    logging.getLogger("lib.sandbox").info(
        "%s serving http://%s:%d%s", what, args.host, args.port, api_path
    )
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", lifespan="off", date_header=date_header)
    )
    server.run(sockets=[sock])
