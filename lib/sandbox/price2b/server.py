"""Serve a Price2B sandbox in a daemon thread on a free loopback port (tests, demo)."""

from __future__ import annotations

from lib.sandbox.price2b.app import API_PATH, create_app
from lib.sandbox.price2b.config import Price2BSandboxConfig
from lib.sandbox.price2b.store import Price2BStore
from lib.sandbox.server import RunningSandbox


class RunningPrice2BSandbox(RunningSandbox):
    """A Price2B sandbox being served; ``base_url`` is ``http://host:port/api``."""

    store: Price2BStore  # type: ignore[assignment]


def start_in_thread(
    config: Price2BSandboxConfig | None = None, host: str = "127.0.0.1", port: int = 0
) -> RunningPrice2BSandbox:
    """Serve a Price2B sandbox for ``config`` and return once it accepts connections."""
    config = config or Price2BSandboxConfig()
    running = RunningPrice2BSandbox(config, host, port, app=create_app(config), api_path=API_PATH)
    running.start()
    return running
