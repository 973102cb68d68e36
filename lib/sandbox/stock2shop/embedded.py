"""Demo mode's Stock2Shop: one sandbox per process, started on a free loopback port the
first time anything asks for it, like the PleasureStock one (``lib/sandbox/embedded.py``).
Nothing calls it yet: the app decides when demo mode uses it."""

from __future__ import annotations

import threading

from lib.sandbox.stock2shop.config import DEFAULT_USERS, Stock2ShopSandboxConfig
from lib.sandbox.stock2shop.server import RunningStock2ShopSandbox, start_in_thread

# The read-only login demo mode signs in with (a sandbox login, not a secret).
DEMO_USER = DEFAULT_USERS[0]

_lock = threading.Lock()
_sandbox: RunningStock2ShopSandbox | None = None


def demo_base_url() -> str:
    """Base URL (``…/v1``) of the process's Stock2Shop demo sandbox, starting it on first use."""
    global _sandbox
    with _lock:
        if _sandbox is None:
            _sandbox = start_in_thread(Stock2ShopSandboxConfig())
        return _sandbox.base_url
