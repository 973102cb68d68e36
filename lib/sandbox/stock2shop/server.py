"""Serve a Stock2Shop sandbox in a daemon thread on a free loopback port (tests, demo)."""

from __future__ import annotations

from lib.sandbox.server import RunningSandbox
from lib.sandbox.stock2shop.app import create_app
from lib.sandbox.stock2shop.config import Stock2ShopSandboxConfig
from lib.sandbox.stock2shop.store import Stock2ShopStore


class RunningStock2ShopSandbox(RunningSandbox):
    """A Stock2Shop sandbox being served; ``base_url`` is ``http://host:port/v1``."""

    store: Stock2ShopStore  # type: ignore[assignment]


def start_in_thread(
    config: Stock2ShopSandboxConfig | None = None, host: str = "127.0.0.1", port: int = 0
) -> RunningStock2ShopSandbox:
    """Serve a Stock2Shop sandbox for ``config`` and return once it accepts connections."""
    config = config or Stock2ShopSandboxConfig()
    running = RunningStock2ShopSandbox(config, host, port, app=create_app(config), api_path="/v1")
    running.start()
    return running
