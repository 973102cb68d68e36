"""Demo mode: with no API key, StockDesk runs against an embedded sandbox in its own process.

The sandbox is started once per process, on a free loopback port, the first time
anything asks for it, so ``make run`` needs no second terminal and every page works
even when it is the first request a fresh server receives. It sends its order
webhooks to this process's own webhook route, signed with the configured secret or,
when none is configured, with a random secret made for this process.
"""

from __future__ import annotations

import secrets
import threading

from pydantic import SecretStr

from lib.orders.webhooks import WEBHOOK_PATH
from lib.sandbox import RunningSandbox, SandboxConfig, start_in_thread
from lib.settings import Settings

DEMO_API_KEY = "pk_test_sandbox"

# Known only to this process: the embedded sandbox signs with it and the route checks it.
_DEMO_WEBHOOK_SECRET = SecretStr(secrets.token_urlsafe(32))

_lock = threading.Lock()
_sandbox: RunningSandbox | None = None


def webhook_secret(settings: Settings) -> SecretStr | None:
    """The secret webhooks must be signed with; None (reject all) when live without one."""
    if settings.pleasurestock_webhook_secret is not None:
        return settings.pleasurestock_webhook_secret
    return _DEMO_WEBHOOK_SECRET if settings.demo_mode else None


def demo_base_url(settings: Settings, *, server_port: int | None = None) -> str:
    """Base URL (``…/api/v1``) of the process's demo sandbox, starting it on first use.

    With ``server_port`` (this process's Streamlit server) the sandbox sends its
    webhooks to ``http://127.0.0.1:{server_port}/api/webhooks/pleasurestock``.
    """
    global _sandbox
    with _lock:
        if _sandbox is None:
            secret = webhook_secret(settings)
            webhook_url = f"http://127.0.0.1:{server_port}{WEBHOOK_PATH}" if server_port else None
            _sandbox = start_in_thread(
                SandboxConfig(
                    api_key=DEMO_API_KEY,
                    webhook_url=webhook_url,
                    webhook_secret=secret.get_secret_value() if secret else None,
                )
            )
        return _sandbox.base_url


def sandbox_sales_history() -> list[tuple[str, object, int, int | None]]:
    """The demo sandbox's seeded sales as (ps id, day, quantity, stock on hand) rows;
    empty until the sandbox has started. Demo mode only: the live API has no such read."""
    with _lock:
        sandbox = _sandbox
    if sandbox is None:
        return []
    store = sandbox.store
    with store.lock:
        return [(ps_id, day, qty, soh) for (ps_id, day), (qty, soh) in store.sales.items()]
