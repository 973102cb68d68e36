"""CLI: serve the Price2B sandbox on its own.

    python -m lib.sandbox.price2b --port 8767

serves ``http://127.0.0.1:8767/api/v1/inventory/…`` (point a client's base URL at
``…/api``). Options:

- ``--host`` (127.0.0.1), ``--port`` (8767)
- ``--seed`` (42) and ``--today YYYY-MM-DD`` (today's date): the seeded data, built on
  the PleasureStock sandbox's catalog with the same seed and day
- ``--token-ttl SECONDS``: tokens expire this long after start (default: never)
- ``--rate-limit N``: requests per second before a 429 (default 0: no limit)
- ``--default-status`` (active): the list's status when none is asked for
- ``--refuse-large-pages``: answer 422 to per_page above 100 instead of clamping it
- ``--products N`` (480): active products, those beyond the seeded shares unmatched
- ``--fault-429``, ``--fault-500``, ``--fault-slow``, ``--fault-drop``,
  ``--fault-unreadable F``: the fraction 0..1 of requests that get that fault (0);
  ``--slow-seconds`` (3)

The tokens are ``config.DEFAULT_READ_TOKEN`` (inventory:read) and
``config.DEFAULT_WRITE_TOKEN`` (inventory:write): sandbox tokens, not secrets. The
sandbox's guesses where the document is silent are ``config.ASSUMPTIONS``.
"""

from __future__ import annotations

import argparse

from lib.sandbox.cli import add_shared_options, serve, shared_settings
from lib.sandbox.price2b.app import API_PATH, create_app
from lib.sandbox.price2b.config import DEFAULT_READ_TOKEN, PRODUCT_TOTAL, Price2BSandboxConfig


def build_parser() -> argparse.ArgumentParser:
    """The command-line options (see the module docstring)."""
    p = argparse.ArgumentParser(
        prog="python -m lib.sandbox.price2b",
        description="Serve a fake Price2B Inventory API (seeded data, tokens, stock, faults).",
    )
    add_shared_options(p, port=8767)
    p.add_argument("--token-ttl", type=float, default=None, help="token lifetime in seconds")
    p.add_argument("--rate-limit", type=int, default=0, help="requests per second (0: no limit)")
    p.add_argument("--default-status", choices=("active", "inactive", "all"), default="active")
    p.add_argument("--refuse-large-pages", action="store_true", help="422 for per_page > 100")
    p.add_argument(
        "--products", type=int, default=PRODUCT_TOTAL, help=f"active products (>= {PRODUCT_TOTAL})"
    )
    return p


def config_from(args: argparse.Namespace) -> Price2BSandboxConfig:
    """The sandbox configuration the parsed command line asks for."""
    return Price2BSandboxConfig(
        token_ttl_seconds=args.token_ttl,
        rate_limit_per_second=args.rate_limit or None,
        default_status=args.default_status,
        clamp_per_page=not args.refuse_large_pages,
        products=args.products,
        **shared_settings(args),
    )


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and serve until interrupted."""
    args = build_parser().parse_args(argv)
    what = f"Price2B sandbox (read token: {DEFAULT_READ_TOKEN})"
    serve(create_app(config_from(args)), args, api_path=API_PATH, what=what)


if __name__ == "__main__":
    main()
