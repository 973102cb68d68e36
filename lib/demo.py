"""Demo mode: with no API key, StockDesk runs against an embedded sandbox in its own process.

The sandbox is started once per process, on a free loopback port, the first time
anything asks for it, so ``make run`` needs no second terminal and every page works
even when it is the first request a fresh server receives.
"""

from __future__ import annotations

import threading

from lib.sandbox import RunningSandbox, SandboxConfig, start_in_thread

DEMO_API_KEY = "pk_test_sandbox"

_lock = threading.Lock()
_sandbox: RunningSandbox | None = None


def demo_base_url() -> str:
    """Base URL (``…/api/v1``) of the process's demo sandbox, starting it on first use."""
    global _sandbox
    with _lock:
        if _sandbox is None:
            _sandbox = start_in_thread(SandboxConfig(api_key=DEMO_API_KEY))
        return _sandbox.base_url
