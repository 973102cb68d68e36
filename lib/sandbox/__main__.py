"""CLI: `python -m lib.sandbox --port 8765` serves the sandbox API under /api/v1."""

from __future__ import annotations

import argparse

from lib.sandbox.app import create_app
from lib.sandbox.cli import add_shared_options, serve, shared_settings
from lib.sandbox.config import MIN_PRODUCT_COUNT, PRODUCT_COUNT, SandboxConfig


def _product_count(text: str) -> int:
    value = int(text)
    if value < MIN_PRODUCT_COUNT:
        raise argparse.ArgumentTypeError(f"{text} is below the minimum of {MIN_PRODUCT_COUNT:,}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command-line options, one per SandboxConfig field that makes sense on a CLI."""
    p = argparse.ArgumentParser(
        prog="python -m lib.sandbox",
        description="Serve a fake PleasureStock B2B API (seeded data, auth, rate limits, faults).",
    )
    add_shared_options(p, port=8765)
    p.add_argument(
        "--api-key", default="pk_test_sandbox", help="key clients must send (X-API-Key / Bearer)"
    )
    p.add_argument(
        "--products",
        type=_product_count,
        default=PRODUCT_COUNT,
        metavar="N",
        help=f"catalog size to seed (default {PRODUCT_COUNT:,}, at least {MIN_PRODUCT_COUNT:,})",
    )
    p.add_argument("--webhook-url", default=None, help="POST order events to this URL")
    p.add_argument("--webhook-secret", default=None, help="HMAC-SHA256 secret for webhooks")
    p.add_argument(
        "--rate-limits",
        choices=("docs", "off"),
        default="docs",
        help="enforce the documented rate limits, or none (default docs)",
    )
    return p


def config_from(args: argparse.Namespace) -> SandboxConfig:
    """The sandbox configuration the parsed command line asks for."""
    return SandboxConfig(
        api_key=args.api_key,
        webhook_url=args.webhook_url,
        webhook_secret=args.webhook_secret,
        rate_limits_enabled=args.rate_limits == "docs",
        product_count=args.products,
        **shared_settings(args),
    )


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and serve until interrupted."""
    args = build_parser().parse_args(argv)
    app = create_app(config_from(args))
    serve(app, args, api_path="/api/v1", what="PleasureStock sandbox")


if __name__ == "__main__":
    main()
