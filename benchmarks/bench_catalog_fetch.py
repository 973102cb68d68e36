"""Whole-catalog fetch with every include flag: concurrent pages vs one page at a time."""

from __future__ import annotations

from collections.abc import Mapping

from benchmarks.sandbox_process import sandbox_process
from benchmarks.timing import compare
from lib.pleasurestock import DOCUMENTED_LIMITS, PleasureStockClient, RateLimitPolicy
from lib.sandbox.embedded import DEMO_API_KEY

NO_CLIENT_LIMITS = {name: RateLimitPolicy(10_000, 100_000, 1_000_000) for name in DOCUMENTED_LIMITS}


def _measure(client: PleasureStockClient, *, page_size: int, repeat: int) -> None:
    products = len(client.fetch_catalog(page_size=page_size))
    medians = compare(
        {
            "concurrent": lambda: client.fetch_catalog(page_size=page_size),
            "sequential": lambda: client.fetch_catalog(page_size=page_size, concurrent=False),
        },
        repeat=repeat,
    )
    pages = -(-products // page_size)
    print(
        f"  {products:,} products in {pages} pages of {page_size}: "
        f"concurrent {medians['concurrent'] * 1000:.0f} ms, "
        f"one page at a time {medians['sequential'] * 1000:.0f} ms, "
        f"ratio {medians['sequential'] / medians['concurrent']:.2f}x (median of {repeat})"
    )


def _scenario(
    title: str, sandbox_args: tuple[str, ...], limits: Mapping[str, RateLimitPolicy], runs: dict
) -> None:
    print(title)
    # One client per sandbox, as in the app: the server's budget is per key, and a second
    # client would not know what the first one spent.
    with (
        sandbox_process(*sandbox_args) as base_url,
        PleasureStockClient(base_url=base_url, api_key=DEMO_API_KEY, rate_limits=limits) as client,
    ):
        for page_size, repeat in runs.items():
            _measure(client, page_size=page_size, repeat=repeat)


def main() -> None:
    """Print fetch times and the concurrent/sequential ratio in three settings."""
    _scenario(
        "Loopback, rate limits off on both sides (the pure effect of concurrency):",
        ("--rate-limits", "off"),
        NO_CLIENT_LIMITS,
        {1000: 5, 250: 5, 100: 5},
    )
    _scenario(
        "Every answer delayed 150 ms, as over the internet; documented limits on both sides:",
        ("--fault-slow", "1", "--slow-seconds", "0.15"),
        DOCUMENTED_LIMITS,
        {1000: 5, 250: 3},
    )
    _scenario(
        "Loopback, documented limits on both sides:",
        (),
        DOCUMENTED_LIMITS,
        {1000: 5},
    )
