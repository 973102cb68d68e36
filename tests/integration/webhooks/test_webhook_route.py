"""The webhook route as the app serves it (``lib.routes.ROUTES``, served by uvicorn on a
loopback port), through to the database: good, bad, stale, replayed, oversized, unsigned
and malformed deliveries. Settings are read per request, so each test sets its own."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from lib.db import UnitOfWork, WebhookEventRecord, open_database
from lib.orders.webhooks import MAX_BODY_BYTES, WEBHOOK_PATH
from lib.pleasurestock import PleasureStockClient
from lib.routes import ROUTES
from lib.sandbox import SandboxConfig, start_in_thread
from lib.sandbox.embedded import webhook_secret
from lib.sandbox.server import bind_socket
from lib.sandbox.webhooks import signature
from lib.settings import load_settings

SECRET = "whsec_route_test_5f1d"
LIVE_KEY = "pk_live_RouteTestKey0123456789"


def event_body(number: str = "ORD-20251103-78XZ70", new_status: str = "paid") -> bytes:
    return json.dumps(
        {
            "event": "order.status_changed",
            "timestamp": "2025-01-14T11:00:00Z",
            "data": {"orderNumber": number, "oldStatus": "created", "newStatus": new_status},
        }
    ).encode()


def signed_headers(
    body: bytes, *, secret: str = SECRET, webhook_id: str | None = "evt_1", age: float = 0
) -> dict[str, str]:
    stamp = str(int(time.time() - age))
    headers = {
        "Content-Type": "application/json",
        "X-Webhook-Timestamp": stamp,
        "X-Webhook-Signature": signature(secret, stamp, body),
    }
    if webhook_id:
        headers["X-Webhook-Id"] = webhook_id
    return headers


@pytest.fixture
def database_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """Live mode with a configured webhook secret, on a fresh SQLite database."""
    url = f"sqlite:///{tmp_path / 'stockdesk.db'}"
    monkeypatch.setenv("STOCKDESK_DATABASE_URL", url)
    monkeypatch.setenv("PLEASURESTOCK_API_KEY", LIVE_KEY)
    monkeypatch.setenv("PLEASURESTOCK_WEBHOOK_SECRET", SECRET)
    return url


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    """The app's extra routes served by uvicorn in a thread, as ``streamlit run`` serves them."""
    sock = bind_socket("127.0.0.1", 0)
    server = uvicorn.Server(
        uvicorn.Config(Starlette(routes=ROUTES), lifespan="off", log_level="warning")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive(), "the route server did not start"
        time.sleep(0.01)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture
def client(server_url: str, database_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server_url) as http:
        yield http


def stored(url: str) -> list[WebhookEventRecord]:
    with UnitOfWork(open_database(url).session_factory) as uow:
        return uow.webhooks.recent()


def test_a_signed_event_is_stored(client: httpx.Client, database_url: str) -> None:
    body = event_body()
    response = client.post(WEBHOOK_PATH, content=body, headers=signed_headers(body))

    assert (response.status_code, response.json()) == (200, {"status": "stored"})
    (event,) = stored(database_url)
    assert (event.webhook_id, event.event, event.order_number) == (
        "evt_1",
        "order.status_changed",
        "ORD-20251103-78XZ70",
    )
    assert event.payload["data"]["newStatus"] == "paid"


def test_a_redelivery_is_acknowledged_but_stored_once(
    client: httpx.Client, database_url: str
) -> None:
    body = event_body()
    first = client.post(WEBHOOK_PATH, content=body, headers=signed_headers(body))
    # The sender's retry: same event id, new timestamp and signature.
    retry = client.post(WEBHOOK_PATH, content=body, headers=signed_headers(body, age=-1))
    replay = client.post(WEBHOOK_PATH, content=body, headers=signed_headers(body))

    assert [r.status_code for r in (first, retry, replay)] == [200, 200, 200]
    assert [r.json()["status"] for r in (first, retry, replay)] == [
        "stored",
        "duplicate",
        "duplicate",
    ]
    assert len(stored(database_url)) == 1


def test_without_an_event_id_the_body_identifies_the_event(
    client: httpx.Client, database_url: str
) -> None:
    body, other = event_body(), event_body(new_status="on_the_way")
    for payload in (body, body, other):
        headers = signed_headers(payload, webhook_id=None)
        assert client.post(WEBHOOK_PATH, content=payload, headers=headers).status_code == 200
    assert len(stored(database_url)) == 2


def test_a_captured_delivery_replayed_under_another_or_no_id_is_stored_once(
    client: httpx.Client, database_url: str
) -> None:
    body = event_body()
    # The id header is not signed: a replay within five minutes may change or drop it.
    replays = [signed_headers(body, webhook_id=sent) for sent in ("evt_1", "evt_forged", None)]
    answers = [client.post(WEBHOOK_PATH, content=body, headers=h).json() for h in replays]

    assert [a["status"] for a in answers] == ["stored", "duplicate", "duplicate"]
    (event,) = stored(database_url)
    assert event.webhook_id == "evt_1"


@pytest.mark.parametrize(
    "data",
    [
        b"[" * 900 + b"]" * 900,
        b"9" * 5000,
        b"1e400",
        b"NaN",
        b"-Infinity",
    ],
    ids=["900-deep", "5000-digits", "1e400", "NaN", "-Infinity"],
)
def test_signed_json_that_cannot_be_stored_is_400_not_500(
    client: httpx.Client, database_url: str, data: bytes
) -> None:
    body = b'{"event": "order.status_changed", "data": {"orderNumber": "ORD-1", "x": ' + data
    body += b"}}"
    response = client.post(WEBHOOK_PATH, content=body, headers=signed_headers(body))
    assert response.status_code == 400, response.text
    assert stored(database_url) == []


def test_an_invalid_configuration_refuses_deliveries_and_fails_the_health_check(
    client: httpx.Client, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLEASURESTOCK_BASE_URL", "http://[::1/api/v1")
    body = event_body()
    delivery = client.post(WEBHOOK_PATH, content=body, headers=signed_headers(body))
    health = client.get("/healthz")

    assert delivery.status_code == 503 and "configuration is invalid" in delivery.json()["error"]
    assert (health.status_code, health.json()) == (
        503,
        {"status": "error", "settings": ["PLEASURESTOCK_BASE_URL"]},
    )
    assert stored(database_url) == []


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        ({"secret": "whsec_wrong"}, "signature does not match"),
        ({"age": 400}, "older than five minutes"),
        ({"age": -400}, "in the future"),
        (None, "unsigned"),
    ],
    ids=["bad-signature", "stale", "future", "unsigned"],
)
def test_unauthentic_deliveries_are_401_and_not_stored(
    client: httpx.Client,
    database_url: str,
    how: dict[str, object] | None,
    reason: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = event_body()
    headers = signed_headers(body, **how) if how is not None else {}  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO):
        response = client.post(WEBHOOK_PATH, content=body, headers=headers)

    assert response.status_code == 401
    assert reason in response.json()["error"]
    assert stored(database_url) == []
    assert SECRET not in response.text and SECRET not in caplog.text


def test_a_tampered_body_is_401(client: httpx.Client, database_url: str) -> None:
    headers = signed_headers(event_body())
    response = client.post(WEBHOOK_PATH, content=event_body(new_status="accepted"), headers=headers)
    assert response.status_code == 401
    assert stored(database_url) == []


def test_an_oversized_body_is_413_whether_declared_or_streamed(client: httpx.Client) -> None:
    big = b"{" + b" " * MAX_BODY_BYTES + b"}"
    declared = client.post(WEBHOOK_PATH, content=big, headers=signed_headers(big))
    chunks = (big[i : i + 65536] for i in range(0, len(big), 65536))
    streamed = client.post(WEBHOOK_PATH, content=chunks, headers=signed_headers(big))

    assert declared.status_code == 413
    assert streamed.status_code == 413


@pytest.mark.parametrize("body", [b"{not json", b"[]", b'{"data": {}}'])
def test_a_signed_body_that_is_not_an_event_is_400(
    client: httpx.Client, database_url: str, body: bytes
) -> None:
    response = client.post(WEBHOOK_PATH, content=body, headers=signed_headers(body))
    assert response.status_code == 400
    assert stored(database_url) == []


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_other_methods_are_405(client: httpx.Client, method: str) -> None:
    response = client.request(method, WEBHOOK_PATH)
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"


def test_without_a_configured_secret_every_delivery_is_rejected(
    client: httpx.Client, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLEASURESTOCK_WEBHOOK_SECRET")
    monkeypatch.setenv("PLEASURESTOCK_WEBHOOK_SECRET", "")
    body = event_body()

    response = client.post(WEBHOOK_PATH, content=body, headers=signed_headers(body))

    assert response.status_code == 503
    assert "PLEASURESTOCK_WEBHOOK_SECRET" in response.json()["error"]
    assert stored(database_url) == []


def test_demo_mode_without_a_secret_accepts_only_this_process_secret(
    client: httpx.Client, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLEASURESTOCK_API_KEY", "")
    monkeypatch.setenv("PLEASURESTOCK_WEBHOOK_SECRET", "")
    process_secret = webhook_secret(load_settings())
    assert process_secret is not None
    body = event_body()

    wrong = client.post(WEBHOOK_PATH, content=body, headers=signed_headers(body))
    right = client.post(
        WEBHOOK_PATH,
        content=body,
        headers=signed_headers(body, secret=process_secret.get_secret_value()),
    )

    assert (wrong.status_code, right.status_code) == (401, 200)
    assert len(stored(database_url)) == 1


def test_the_sandbox_webhooks_reach_the_route_signed_and_are_stored(
    server_url: str, database_url: str
) -> None:
    config = SandboxConfig(
        api_key="pk_test_sandbox",
        rate_limits_enabled=False,
        webhook_url=server_url + WEBHOOK_PATH,
        webhook_secret=SECRET,
    )
    with (
        start_in_thread(config) as sandbox,
        PleasureStockClient(base_url=sandbox.base_url, api_key="pk_test_sandbox") as client,
    ):
        number = next(o.order_number for o in sandbox.store.orders if o.status == "created")
        client.update_order_status(number, "paid")
        deadline = time.monotonic() + 10
        while not stored(database_url):
            assert time.monotonic() < deadline, sandbox.store.webhook_deliveries
            time.sleep(0.05)
        delivery = sandbox.store.webhook_deliveries[0]

    (event,) = stored(database_url)
    assert (event.event, event.order_number, event.webhook_id) == (
        "order.status_changed",
        number,
        delivery["id"],
    )
    assert delivery["status_codes"] == [200]
