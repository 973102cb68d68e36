"""Injected failures: 429s, 500s before or after storing, slow answers and dropped connections."""

from __future__ import annotations

import asyncio
import random
import threading
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lib.sandbox.config import SandboxConfig
from lib.sandbox.jsonio import error_response

_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class FaultDecision:
    """What to do to one request; `kind` is None, '429', '500-before', '500-after' or 'drop'."""

    kind: str | None
    slow: bool


class FaultInjector:
    """Draws a fault per request from one seeded random.Random, so runs are reproducible."""

    def __init__(self, config: SandboxConfig) -> None:
        self._config = config
        self._random = random.Random(config.fault_seed)
        self._lock = threading.Lock()

    @property
    def active(self) -> bool:
        """Whether any fault rate is non-zero."""
        c = self._config
        return any(rate > 0 for rate in (c.fault_429, c.fault_500, c.fault_slow, c.fault_drop))

    def decide(self, method: str) -> FaultDecision:
        """Draw this request's fault; the same number of draws every time keeps runs aligned."""
        c = self._config
        with self._lock:
            r429, r500, r_after, r_slow, r_drop = (self._random.random() for _ in range(5))
        slow = r_slow < c.fault_slow
        if r429 < c.fault_429:
            return FaultDecision("429", slow)
        if r500 < c.fault_500:
            # For writes, half the 500s happen after storing: a real "unknown outcome".
            after = method in _WRITES and r_after < 0.5
            return FaultDecision("500-after" if after else "500-before", slow)
        if r_drop < c.fault_drop:
            return FaultDecision("drop", slow)
        return FaultDecision(None, slow)


async def _run_captured(app: ASGIApp, scope: Scope, receive: Receive) -> list[Message]:
    messages: list[Message] = []

    async def capture(message: Message) -> None:
        messages.append(message)

    await app(scope, receive, capture)
    return messages


async def apply_fault(
    decision: FaultDecision,
    app: ASGIApp,
    scope: Scope,
    receive: Receive,
    send: Send,
    slow_seconds: float,
) -> None:
    """Serve the request through `app` with the decided fault applied."""
    if decision.slow:
        await asyncio.sleep(slow_seconds)
    if decision.kind is None:
        await app(scope, receive, send)
        return
    if decision.kind == "429":
        response = error_response(
            429,
            "Too many requests",
            "Rate limit exceeded, retry later",
            headers={"Retry-After": "1"},
        )
        await response(scope, receive, send)
        return
    if decision.kind == "500-before":
        await error_response(500, "Internal server error", "Unexpected error")(scope, receive, send)
        return
    messages = await _run_captured(app, scope, receive)
    if decision.kind == "500-after":
        await error_response(500, "Internal server error", "Unexpected error")(scope, receive, send)
        return
    await _drop(messages, send)


async def _drop(messages: list[Message], send: Send) -> None:
    """Promise more body than is sent, then return: the server closes the connection mid-body."""
    start = next(m for m in messages if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body) + 64).encode()))
    await send({"type": "http.response.start", "status": start["status"], "headers": headers})
    await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
