"""Demo mode: with no API key, StockDesk runs against an embedded sandbox in its own process.

The sandbox is started once per process, on a free loopback port, the first time
anything asks for it, so ``make run`` needs no second terminal and every page works
even when it is the first request a fresh server receives. It sends its order
webhooks to this process's own webhook route, signed with the configured secret or,
when none is configured, with a random secret made for this process.

Where that route is, the process learns from its own HTTP server: ``lib.routes``
hands over the local address of the first connection it serves (``note_app_address``).
That is the socket the server really listens on, whichever way ``st.App`` is served
(``streamlit run``, which may move to the next free port; uvicorn; mounted in another
app), behind a proxy too, where the browser's URL (``st.context.url``) names the proxy.
Under AppTest no server runs and no connection arrives, so no webhook is sent at all,
rather than to a port another program may own. A setting would work too, but demo
mode must run with none.
"""

from __future__ import annotations

import ipaddress
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
# "http://host:port" of this process's own HTTP server, once its first connection came.
_app_origin: str | None = None


def webhook_secret(settings: Settings) -> SecretStr | None:
    """The secret webhooks must be signed with; None (reject all) when live without one."""
    if settings.pleasurestock_webhook_secret is not None:
        return settings.pleasurestock_webhook_secret
    return _DEMO_WEBHOOK_SECRET if settings.demo_mode else None


def note_app_address(host: str, port: int) -> None:
    """Remember the local address (IP, port) a connection to this process's server came in
    on; the first one counts. Call it before the sandbox starts (the first page run)."""
    global _app_origin
    if _app_origin is not None:  # every request calls this: skip the lock once it is known
        return
    with _lock:
        _app_origin = _app_origin or f"http://{_url_host(host)}:{port}"


def _url_host(host: str) -> str:
    """``host`` as a URL writes it: IPv6 in brackets, an IPv4 one a dual-stack socket
    reports as ``::ffff:a.b.c.d`` as plain IPv4, a name as it is."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        address = address.ipv4_mapped or address
    return f"[{address}]" if isinstance(address, ipaddress.IPv6Address) else str(address)


def demo_base_url(settings: Settings) -> str:
    """Base URL (``…/api/v1``) of the process's demo sandbox, starting it on first use.

    Once this process's server has taken a connection (``note_app_address``), the
    sandbox sends its webhooks to ``{that address}/api/webhooks/pleasurestock``;
    before that (AppTest, scripts) it sends none.
    """
    global _sandbox
    with _lock:
        if _sandbox is None:
            secret = webhook_secret(settings)
            _sandbox = start_in_thread(
                SandboxConfig(
                    api_key=DEMO_API_KEY,
                    webhook_url=f"{_app_origin}{WEBHOOK_PATH}" if _app_origin else None,
                    webhook_secret=secret.get_secret_value() if secret else None,
                )
            )
        return _sandbox.base_url


def running_demo_sandbox() -> RunningSandbox | None:
    """The process's demo sandbox, or None until something has asked for it."""
    with _lock:
        return _sandbox


def sandbox_sales_history() -> list[tuple[str, object, int, int | None]]:
    """The demo sandbox's seeded sales as (ps id, day, quantity, stock on hand) rows;
    empty until the sandbox has started. Demo mode only: the live API has no such read."""
    sandbox = running_demo_sandbox()
    if sandbox is None:
        return []
    store = sandbox.store
    with store.lock:
        return [(ps_id, day, qty, soh) for (ps_id, day), (qty, soh) in store.sales.items()]
