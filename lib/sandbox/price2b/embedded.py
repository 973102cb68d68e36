"""Demo mode's Price2B: one sandbox per process, started on a free loopback port the
first time anything asks for it, like the Stock2Shop one. Nothing calls it yet: the app
decides when demo mode uses it."""

from __future__ import annotations

import threading

from lib.sandbox.price2b.config import DEFAULT_READ_TOKEN, Price2BSandboxConfig
from lib.sandbox.price2b.server import RunningPrice2BSandbox, start_in_thread

# The read-scoped token demo mode uses (a sandbox token, not a secret).
DEMO_TOKEN = DEFAULT_READ_TOKEN

_lock = threading.Lock()
_sandbox: RunningPrice2BSandbox | None = None


def demo_base_url() -> str:
    """Base URL (``…/api``) of the process's Price2B demo sandbox, starting it on first use."""
    global _sandbox
    with _lock:
        if _sandbox is None:
            _sandbox = start_in_thread(Price2BSandboxConfig())
        return _sandbox.base_url
