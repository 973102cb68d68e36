"""Demo mode's PSRESTful: one sandbox per process, started on a free loopback port the
first time anything asks for it, like the Stock2Shop one. Nothing calls it yet: the app
decides when demo mode uses it."""

from __future__ import annotations

import threading

from lib.sandbox.psrestful.config import DEFAULT_API_KEY, PsRestfulSandboxConfig
from lib.sandbox.psrestful.server import RunningPsRestfulSandbox, start_in_thread

# The key demo mode reads with (a sandbox key, not a secret).
DEMO_API_KEY = DEFAULT_API_KEY

_lock = threading.Lock()
_sandbox: RunningPsRestfulSandbox | None = None


def demo_base_url() -> str:
    """Base URL of the process's PSRESTful demo sandbox, starting it on first use."""
    global _sandbox
    with _lock:
        if _sandbox is None:
            _sandbox = start_in_thread(PsRestfulSandboxConfig())
        return _sandbox.base_url
