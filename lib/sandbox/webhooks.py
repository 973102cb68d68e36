"""Signed webhook delivery in the background, with the documented retries (2, 4, 8 s)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from lib.sandbox.config import SandboxConfig
from lib.sandbox.jsonio import dumps
from lib.sandbox.store import SandboxStore


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=` + hex HMAC-SHA256 of `"{timestamp}.{raw body}"`."""
    message = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class WebhookSender:
    """Posts events to the configured URL without blocking the API response."""

    def __init__(self, config: SandboxConfig, store: SandboxStore) -> None:
        self._config = config
        self._store = store
        # Running tasks are kept referenced so they are not garbage-collected mid-delivery.
        self._tasks: set[asyncio.Task[None]] = set()

    def emit(self, event: str, data: dict[str, Any]) -> None:
        """Queue `event` for delivery if a webhook URL is configured."""
        url = self._config.webhook_url
        if not url:
            return
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = dumps({"event": event, "timestamp": now, "data": data})
        record: dict[str, Any] = {
            "id": f"evt_{uuid.uuid4().hex}",
            "event": event,
            "url": url,
            "attempts": 0,
            "outcome": "pending",
            "status_codes": [],
            "last_error": None,
            "body": body,
        }
        self._store.webhook_deliveries.append(record)
        task = asyncio.get_running_loop().create_task(self._deliver(record, url, body))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, record: dict[str, Any], url: str, body: bytes) -> None:
        delays = (0.0, *self._config.webhook_retry_delays)
        async with httpx.AsyncClient(timeout=self._config.webhook_timeout) as client:
            for delay in delays:
                if delay:
                    await asyncio.sleep(delay)
                record["attempts"] += 1
                if await self._attempt(client, record, url, body):
                    record["outcome"] = "delivered"
                    return
        record["outcome"] = "failed"

    async def _attempt(
        self, client: httpx.AsyncClient, record: dict[str, Any], url: str, body: bytes
    ) -> bool:
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Webhook-Id": record["id"],
            "X-Webhook-Timestamp": timestamp,
        }
        if self._config.webhook_secret:
            headers["X-Webhook-Signature"] = signature(self._config.webhook_secret, timestamp, body)
        try:
            response = await client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            record["last_error"] = f"{type(exc).__name__}: {exc}"
            return False
        record["status_codes"].append(response.status_code)
        return 200 <= response.status_code < 300
