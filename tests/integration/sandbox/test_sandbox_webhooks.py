"""Webhooks: signed deliveries to a local receiver, and a retry after a failed first attempt."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from lib.sandbox import SandboxConfig, start_in_thread

SECRET = "whsec_test"
EXT = {"Authorization": "Bearer pk_test_sandbox"}


class Receiver:
    """A plain http.server that records requests and answers with queued status codes."""

    def __init__(self, statuses: list[int]) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.statuses = statuses
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.requests) >= count


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver(statuses=[500])  # the first delivery fails, retries succeed
    yield running
    running.server.shutdown()


def _valid(headers: dict[str, str], body: bytes) -> bool:
    message = headers["X-Webhook-Timestamp"].encode() + b"." + body
    expected = "sha256=" + hmac.new(SECRET.encode(), message, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Webhook-Signature"])


def test_signed_delivery_with_retry(receiver: Receiver) -> None:
    config = SandboxConfig(
        today=date(2025, 11, 10),
        webhook_url=receiver.url,
        webhook_secret=SECRET,
        webhook_retry_delays=(0.05, 0.1, 0.2),
    )
    with (
        start_in_thread(config) as sandbox,
        httpx.Client(base_url=sandbox.base_url, headers=EXT) as client,
    ):
        created = client.post(
            "/external/orders",
            json={"items": [{"ps_id": "ps_abc123", "quantity": 2}], "externalOrderId": "E-1"},
        ).json()["data"]["orders"][0]
        receiver.wait_for(2)
        (h1, b1), (h2, b2) = receiver.requests[:2]
        assert h1["X-Webhook-Id"] == h2["X-Webhook-Id"] and b1 == b2
        assert _valid(h2, b2)
        event = json.loads(b2)
        assert event["event"] == "order.created"
        assert event["data"]["orderNumber"] == created["orderNumber"]
        assert event["data"]["items"][0]["ps_id"] == "ps_abc123"

        number = created["orderNumber"]
        client.put(f"/external/orders/{number}/status", json={"status": "paid"})
        client.put(
            f"/external/orders/{number}/status",
            json={"status": "cancelled", "comment": "Customer withdrew"},
        )
        receiver.wait_for(4)
        # Each event is delivered on its own, so two sent together may arrive in any order.
        events = {e["event"]: e for e in (json.loads(body) for _, body in receiver.requests[2:4])}
        assert all(_valid(h, b) for h, b in receiver.requests)
        assert set(events) == {"order.status_changed", "order.cancelled"}
        assert events["order.status_changed"]["data"]["newStatus"] == "paid"
        assert events["order.cancelled"]["data"]["reason"] == "Customer withdrew"
        deliveries = sandbox.store.webhook_deliveries
        assert deliveries[0]["attempts"] == 2 and deliveries[0]["outcome"] == "delivered"


def test_failed_delivery_is_recorded() -> None:
    failing = Receiver(statuses=[500] * 10)
    config = SandboxConfig(
        webhook_url=failing.url, webhook_secret=SECRET, webhook_retry_delays=(0.01, 0.01)
    )
    try:
        with start_in_thread(config) as sandbox:
            response = httpx.post(
                sandbox.base_url + "/external/orders",
                json={"items": [{"ps_id": "ps_abc123", "quantity": 1}]},
                headers=EXT,
            )
            assert response.status_code == 200
            failing.wait_for(3)
            deadline = time.monotonic() + 5
            while sandbox.store.webhook_deliveries[0]["outcome"] == "pending":
                assert time.monotonic() < deadline
                time.sleep(0.02)
            record = sandbox.store.webhook_deliveries[0]
            assert record["outcome"] == "failed" and record["attempts"] == 3
    finally:
        failing.server.shutdown()
