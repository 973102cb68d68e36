"""Serve a PSRESTful sandbox in a daemon thread on a free loopback port (tests, demo)."""

from __future__ import annotations

from lib.sandbox.psrestful.app import create_app
from lib.sandbox.psrestful.config import PsRestfulSandboxConfig
from lib.sandbox.psrestful.store import PsRestfulStore
from lib.sandbox.server import RunningSandbox


class RunningPsRestfulSandbox(RunningSandbox):
    """A PSRESTful sandbox being served; ``base_url`` is ``http://host:port`` (the client
    adds ``/extra/v2/…``)."""

    store: PsRestfulStore  # type: ignore[assignment]


def start_in_thread(
    config: PsRestfulSandboxConfig | None = None, host: str = "127.0.0.1", port: int = 0
) -> RunningPsRestfulSandbox:
    """Serve a PSRESTful sandbox for ``config`` and return once it accepts connections."""
    config = config or PsRestfulSandboxConfig()
    running = RunningPsRestfulSandbox(
        config,  # type: ignore[arg-type]
        host,
        port,
        app=create_app(config),
        api_path="",
        date_header=False,  # the sandbox clock's Date, not uvicorn's
    )
    running.start()
    return running
