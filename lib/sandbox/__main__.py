"""CLI: `python -m lib.sandbox --port 8765` serves the sandbox API under /api/v1."""

from __future__ import annotations

import argparse
import logging
from datetime import date

import uvicorn

from lib.sandbox.app import create_app
from lib.sandbox.config import MIN_PRODUCT_COUNT, PRODUCT_COUNT, SandboxConfig
from lib.sandbox.server import bind_socket

log = logging.getLogger("lib.sandbox")


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not a fraction between 0 and 1")
    return value


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
    p.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port to bind (default 8765)")
    p.add_argument(
        "--api-key", default="pk_test_sandbox", help="key clients must send (X-API-Key / Bearer)"
    )
    p.add_argument("--seed", type=int, default=42, help="seed of the generated data (default 42)")
    p.add_argument(
        "--products",
        type=_product_count,
        default=PRODUCT_COUNT,
        metavar="N",
        help=f"catalog size to seed (default {PRODUCT_COUNT:,}, at least {MIN_PRODUCT_COUNT:,})",
    )
    p.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="YYYY-MM-DD the data is relative to (default: today's date)",
    )
    p.add_argument("--webhook-url", default=None, help="POST order events to this URL")
    p.add_argument("--webhook-secret", default=None, help="HMAC-SHA256 secret for webhooks")
    p.add_argument(
        "--rate-limits",
        choices=("docs", "off"),
        default="docs",
        help="enforce the documented rate limits, or none (default docs)",
    )
    for kind, what in (
        ("429", "answer 429 with Retry-After 1"),
        ("500", "answer 500 (writes: half of them after storing)"),
        ("slow", "wait --slow-seconds before answering"),
        ("drop", "drop the connection mid-response (writes are stored first)"),
        ("unreadable", "answer 200 with a body that cannot be read (writes are stored first)"),
    ):
        p.add_argument(
            f"--fault-{kind}",
            type=_fraction,
            default=0.0,
            metavar="F",
            help=f"fraction 0..1 of API requests that {what} (default 0)",
        )
    p.add_argument(
        "--slow-seconds", type=float, default=3.0, help="delay of a slow fault (default 3)"
    )
    return p


def config_from(args: argparse.Namespace) -> SandboxConfig:
    """The sandbox configuration the parsed command line asks for."""
    return SandboxConfig(
        api_key=args.api_key,
        seed=args.seed,
        today=args.today,
        webhook_url=args.webhook_url,
        webhook_secret=args.webhook_secret,
        rate_limits_enabled=args.rate_limits == "docs",
        fault_429=args.fault_429,
        fault_500=args.fault_500,
        fault_slow=args.fault_slow,
        slow_seconds=args.slow_seconds,
        fault_drop=args.fault_drop,
        fault_unreadable=args.fault_unreadable,
        product_count=args.products,
    )


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and serve until interrupted."""
    args = build_parser().parse_args(argv)
    config = config_from(args)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = create_app(config)
    sock = bind_socket(args.host, args.port)
    log.info("PleasureStock sandbox serving http://%s:%d/api/v1", args.host, args.port)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    server.run(sockets=[sock])


if __name__ == "__main__":
    main()
