"""CLI: serve the Stock2Shop sandbox on its own.

    python -m lib.sandbox.stock2shop --port 8766

serves ``http://127.0.0.1:8766/v1/…`` (point a client's base URL at ``…/v1``). Options:

- ``--host`` (127.0.0.1), ``--port`` (8766)
- ``--seed`` (42) and ``--today YYYY-MM-DD`` (today's date): the seeded data, the same
  as the PleasureStock sandbox's with the same seed and day
- ``--token-ttl SECONDS`` (3600): how long a token lives on the sandbox clock
- ``--index-lag SECONDS`` (5): how long a change takes to reach search filters
- ``--rate-limit N`` (1): requests per second before a 429; 0 turns it off
- ``--variants N`` (600): active variants, those beyond the seeded shares unmatched
- ``--daily-orders N,N,…``: exactly these many orders on each day before today, oldest
  first, none today (default: 120 days of about 14)
- ``--result-cap N`` (10000): the cap on ``from + size`` and on ``hits.total``
- ``--fault-429``, ``--fault-500``, ``--fault-slow``, ``--fault-drop``,
  ``--fault-unreadable F``: the fraction 0..1 of requests that get that fault (0);
  ``--slow-seconds`` (3)

The logins are ``config.DEFAULT_USERS``: ``stockdesk-reader`` / ``reader-password``
(read_only), ``trade-buyer`` / ``trade-password`` (trade) and ``owner`` /
``owner-password`` (no role: an admin). The usernames and roles are logged at
start, never a password. The sandbox's guesses where the document is silent are
``config.ASSUMPTIONS``.
"""

from __future__ import annotations

import argparse

from lib.sandbox.cli import add_shared_options, serve, shared_settings
from lib.sandbox.stock2shop.app import create_app
from lib.sandbox.stock2shop.config import (
    DEFAULT_USERS,
    RESULT_CAP,
    VARIANT_COUNT,
    Stock2ShopSandboxConfig,
)


def build_parser() -> argparse.ArgumentParser:
    """The command-line options (see the module docstring)."""
    p = argparse.ArgumentParser(
        prog="python -m lib.sandbox.stock2shop",
        description="Serve a fake Stock2Shop API (seeded data, tokens, search, faults).",
    )
    add_shared_options(p, port=8766)
    p.add_argument("--token-ttl", type=float, default=3600.0, help="token lifetime in seconds")
    p.add_argument(
        "--index-lag", type=float, default=5.0, help="seconds before a change is searchable"
    )
    p.add_argument("--rate-limit", type=int, default=1, help="requests per second (0: no limit)")
    p.add_argument(
        "--variants", type=int, default=VARIANT_COUNT, help=f"active variants (>= {VARIANT_COUNT})"
    )
    p.add_argument(
        "--daily-orders",
        type=_counts,
        default=(),
        metavar="N,N,...",
        help="exact orders on each day before today, oldest first (none today)",
    )
    p.add_argument(
        "--result-cap", type=int, default=RESULT_CAP, help="cap on from + size and hits.total"
    )
    return p


def _counts(text: str) -> tuple[int, ...]:
    """``800,1200,…`` as whole numbers of at least 0."""
    counts = tuple(int(part) for part in text.split(","))
    if any(n < 0 for n in counts):
        raise argparse.ArgumentTypeError("order counts must be 0 or more")
    return counts


def config_from(args: argparse.Namespace) -> Stock2ShopSandboxConfig:
    """The sandbox configuration the parsed command line asks for."""
    return Stock2ShopSandboxConfig(
        token_ttl_seconds=args.token_ttl,
        index_lag_seconds=args.index_lag,
        rate_limit_per_second=args.rate_limit or None,
        variants=args.variants,
        daily_orders=args.daily_orders,
        result_window=args.result_cap,
        total_cap=args.result_cap,
        **shared_settings(args),
    )


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and serve until interrupted."""
    args = build_parser().parse_args(argv)
    app = create_app(config_from(args))
    logins = ", ".join(f"{u.username} ({u.role or 'no role: admin'})" for u in DEFAULT_USERS)
    what = f"Stock2Shop sandbox (logins: {logins})"
    serve(app, args, api_path="/v1", what=what)


if __name__ == "__main__":
    main()
