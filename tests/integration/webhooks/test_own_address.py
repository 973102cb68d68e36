"""The demo sandbox learns where this process's server listens from the server's first
connection (``lib.routes.MIDDLEWARE``), and nothing else: no connection, no webhook URL."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from lib.orders.webhooks import WEBHOOK_PATH
from lib.routes import MIDDLEWARE, ROUTES
from lib.sandbox import embedded
from lib.sandbox.server import bind_socket


@pytest.fixture(autouse=True)
def no_address_yet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts as a fresh process does; the process's own value comes back after."""
    monkeypatch.setattr(embedded, "_app_origin", None)


def test_the_first_connection_names_the_socket_the_server_listens_on() -> None:
    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    app = Starlette(routes=ROUTES, middleware=MIDDLEWARE)
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            assert thread.is_alive(), "the route server did not start"
            time.sleep(0.01)
        assert embedded._app_origin is None
        # The Host header a client (or a proxy) sends changes nothing: the socket decides.
        answer = httpx.get(f"http://127.0.0.1:{port}{WEBHOOK_PATH}", headers={"Host": "proxy:9"})
        assert answer.status_code == 405
        assert embedded._app_origin == f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.mark.parametrize(
    ("host", "origin"),
    [
        ("127.0.0.1", "http://127.0.0.1:8501"),
        ("::ffff:127.0.0.1", "http://127.0.0.1:8501"),  # an IPv4 peer on a dual-stack socket
        ("::1", "http://[::1]:8501"),
        ("stockdesk.internal", "http://stockdesk.internal:8501"),
    ],
)
def test_the_address_is_written_as_a_url_takes_it(host: str, origin: str) -> None:
    embedded.note_app_address(host, 8501)
    assert embedded._app_origin == origin


def test_the_first_connection_counts() -> None:
    embedded.note_app_address("127.0.0.1", 8501)
    embedded.note_app_address("127.0.0.1", 9999)
    assert embedded._app_origin == "http://127.0.0.1:8501"
