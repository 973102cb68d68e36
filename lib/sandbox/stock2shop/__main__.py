"""CLI: serve the Stock2Shop sandbox on its own.

    python -m lib.sandbox.stock2shop --port 8766

serves ``http://127.0.0.1:8766/v1/…`` (point a client's base URL at ``…/v1``). Options:

- ``--host`` (127.0.0.1), ``--port`` (8766)
- ``--seed`` (42) and ``--today YYYY-MM-DD`` (today's date): the seeded data, the same
  as the PleasureStock sandbox's with the same seed and day
- ``--token-ttl SECONDS`` (3600): how long a token lives on the sandbox clock
- ``--index-lag SECONDS`` (5): how long a change takes to reach search filters
- ``--rate-limit N`` (1): requests per second before a 429; 0 turns it off
- ``--fault-429``, ``--fault-500``, ``--fault-slow``, ``--fault-drop``,
  ``--fault-unreadable F``: the fraction 0..1 of requests that get that fault (0);
  ``--slow-seconds`` (3)

The logins (username / password / role) are printed at start; the sandbox's guesses
where the document is silent are ``config.ASSUMPTIONS``.
"""

from __future__ import annotations

import argparse
import logging
from datetime import date

import uvicorn

from lib.sandbox.server import bind_socket
from lib.sandbox.stock2shop.app import create_app
from lib.sandbox.stock2shop.config import DEFAULT_USERS, Stock2ShopSandboxConfig

log = logging.getLogger("lib.sandbox.stock2shop")


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not a fraction between 0 and 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command-line options (see the module docstring)."""
    p = argparse.ArgumentParser(
        prog="python -m lib.sandbox.stock2shop",
        description="Serve a fake Stock2Shop API (seeded data, tokens, search, faults).",
    )
    p.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8766, help="port to bind (default 8766)")
    p.add_argument("--seed", type=int, default=42, help="seed of the generated data (default 42)")
    p.add_argument(
        "--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD the data is relative to"
    )
    p.add_argument("--token-ttl", type=float, default=3600.0, help="token lifetime in seconds")
    p.add_argument(
        "--index-lag", type=float, default=5.0, help="seconds before a change is searchable"
    )
    p.add_argument("--rate-limit", type=int, default=1, help="requests per second (0: no limit)")
    for kind in ("429", "500", "slow", "drop", "unreadable"):
        p.add_argument(
            f"--fault-{kind}",
            type=_fraction,
            default=0.0,
            metavar="F",
            help=f"fraction of requests with a {kind} fault",
        )
    p.add_argument(
        "--slow-seconds", type=float, default=3.0, help="delay of a slow fault (default 3)"
    )
    return p


def config_from(args: argparse.Namespace) -> Stock2ShopSandboxConfig:
    """The sandbox configuration the parsed command line asks for."""
    return Stock2ShopSandboxConfig(
        seed=args.seed,
        today=args.today,
        token_ttl_seconds=args.token_ttl,
        index_lag_seconds=args.index_lag,
        rate_limit_per_second=args.rate_limit or None,
        fault_429=args.fault_429,
        fault_500=args.fault_500,
        fault_slow=args.fault_slow,
        slow_seconds=args.slow_seconds,
        fault_drop=args.fault_drop,
        fault_unreadable=args.fault_unreadable,
    )


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and serve until interrupted."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = create_app(config_from(args))
    sock = bind_socket(args.host, args.port)
    log.info("Stock2Shop sandbox serving http://%s:%d/v1", args.host, args.port)
    for user in DEFAULT_USERS:
        # Sandbox logins only: they are printed so a person can try each role.
        log.info(
            "login %s / %s (role: %s)", user.username, user.password, user.role or "none = admin"
        )
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    server.run(sockets=[sock])


if __name__ == "__main__":
    main()
