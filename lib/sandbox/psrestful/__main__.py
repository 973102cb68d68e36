"""CLI: serve the PSRESTful sandbox on its own.

    python -m lib.sandbox.psrestful --port 8768

serves ``http://127.0.0.1:8768/extra/v2/…`` (point a client's base URL at the root).
Options:

- ``--host`` (127.0.0.1), ``--port`` (8768)
- ``--seed`` (42) and ``--today YYYY-MM-DD`` (today's date): the seeded data, built on
  the PleasureStock sandbox's with the same seed and day
- ``--rate-limit N`` (5): requests per second before a 429; 0 turns it off
- ``--next-mode`` (dropped): how ``next`` is written: dropped, kept, loop, foreign
- ``--oversize`` (clamp): clamp or refuse a page_size above the maximum
- ``--v1-casing`` (snake): snake or camel
- ``--fault-429``, ``--fault-500``, ``--fault-slow``, ``--fault-drop``,
  ``--fault-unreadable F``: the fraction 0..1 of requests that get that fault (0);
  ``--slow-seconds`` (3)

The API key is ``config.DEFAULT_API_KEY`` (a sandbox key, not a secret); it is not
logged. The sandbox's guesses where the document is silent are ``config.ASSUMPTIONS``.
"""

from __future__ import annotations

import argparse

from lib.sandbox.cli import add_shared_options, serve, shared_settings
from lib.sandbox.psrestful.app import create_app
from lib.sandbox.psrestful.config import SUPPLIERS, PsRestfulSandboxConfig


def build_parser() -> argparse.ArgumentParser:
    """The command-line options (see the module docstring)."""
    p = argparse.ArgumentParser(
        prog="python -m lib.sandbox.psrestful",
        description="Serve a fake PSRESTful Extra API (seeded suppliers, price breaks, inventory).",
    )
    add_shared_options(p, port=8768)
    p.add_argument("--rate-limit", type=int, default=5, help="requests per second (0: no limit)")
    p.add_argument("--next-mode", choices=("dropped", "kept", "loop", "foreign"), default="dropped")
    p.add_argument("--oversize", choices=("clamp", "refuse"), default="clamp")
    p.add_argument("--v1-casing", choices=("snake", "camel"), default="snake")
    return p


def config_from(args: argparse.Namespace) -> PsRestfulSandboxConfig:
    """The sandbox configuration the parsed command line asks for."""
    return PsRestfulSandboxConfig(
        rate_limit_per_second=args.rate_limit or None,
        next_mode=args.next_mode,
        oversize=args.oversize,
        v1_casing=args.v1_casing,
        **shared_settings(args),
    )


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and serve until interrupted."""
    args = build_parser().parse_args(argv)
    what = f"PSRESTful sandbox (suppliers: {', '.join(SUPPLIERS)})"
    serve(create_app(config_from(args)), args, api_path="/extra/v2", what=what, date_header=False)


if __name__ == "__main__":
    main()
