"""Injected failures: 429s, 500s before or after storing, slow answers, dropped connections
and 200 answers whose body cannot be read (after storing)."""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lib.sandbox.config import FaultSettings
from lib.sandbox.jsonio import error_response

_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The unreadable 200 answers, taken in turn: an HTML page, JSON cut off (with a matching
# Content-Length, so the HTTP layer sees a whole answer), JSON without the fields the
# documents promise, and a body that claims gzip but is not (the client cannot decode it).
UNREADABLE_BODIES = ("not-json", "truncated", "no-fields", "bad-encoding")


@dataclass(frozen=True)
class FaultDecision:
    """What to do to one request; `kind` is None, '429', '500-before', '500-after', 'drop'
    or 'unreadable' (then `body` is one of UNREADABLE_BODIES)."""

    kind: str | None
    slow: bool
    body: str | None = None


class FaultInjector:
    """Draws a fault per request from one seeded random.Random, so runs are reproducible."""

    def __init__(self, config: FaultSettings) -> None:
        self._config = config
        self._random = random.Random(config.fault_seed)
        self._lock = threading.Lock()
        self._unreadable_answers = 0

    @property
    def active(self) -> bool:
        """Whether any fault rate is non-zero."""
        c = self._config
        rates = (c.fault_429, c.fault_500, c.fault_slow, c.fault_drop, c.fault_unreadable)
        return any(rate > 0 for rate in rates)

    def decide(self, method: str) -> FaultDecision:
        """Draw this request's fault; the same number of draws every time keeps runs aligned.

        The unreadable fault draws a sixth number only when it is on, so seeded runs
        without it draw exactly as they did before it existed.
        """
        c = self._config
        with self._lock:
            r429, r500, r_after, r_slow, r_drop = (self._random.random() for _ in range(5))
            r_unreadable = self._random.random() if c.fault_unreadable > 0 else 1.0
            slow = r_slow < c.fault_slow
            if r429 < c.fault_429:
                return FaultDecision("429", slow)
            if r500 < c.fault_500:
                # For writes, half the 500s happen after storing: a real "unknown outcome".
                after = method in _WRITES and r_after < 0.5
                return FaultDecision("500-after" if after else "500-before", slow)
            if r_drop < c.fault_drop:
                return FaultDecision("drop", slow)
            if r_unreadable < c.fault_unreadable:
                body = UNREADABLE_BODIES[self._unreadable_answers % len(UNREADABLE_BODIES)]
                self._unreadable_answers += 1
                return FaultDecision("unreadable", slow, body)
        return FaultDecision(None, slow)


async def _run_captured(app: ASGIApp, scope: Scope, receive: Receive) -> list[Message]:
    messages: list[Message] = []

    async def capture(message: Message) -> None:
        messages.append(message)

    await app(scope, receive, capture)
    return messages


def documented_error(status: int) -> Response:
    """PleasureStock's error bodies for an injected 429 (with Retry-After) or 500."""
    if status == 429:
        return error_response(
            429,
            "Too many requests",
            "Rate limit exceeded, retry later",
            headers={"Retry-After": "1"},
        )
    return error_response(500, "Internal server error", "Unexpected error")


async def apply_fault(
    decision: FaultDecision,
    app: ASGIApp,
    scope: Scope,
    receive: Receive,
    send: Send,
    slow_seconds: float,
    error: Callable[[int], Response] = documented_error,
) -> None:
    """Serve the request through `app` with the decided fault applied; ``error(status)``
    is the platform's answer for an injected 429 or 500."""
    if decision.slow:
        await asyncio.sleep(slow_seconds)
    if decision.kind is None:
        await app(scope, receive, send)
        return
    if decision.kind in ("429", "500-before"):
        await error(int(decision.kind[:3]))(scope, receive, send)
        return
    messages = await _run_captured(app, scope, receive)
    if decision.kind == "500-after":
        await error(500)(scope, receive, send)
        return
    if decision.kind == "unreadable":
        await _unreadable(messages, send, decision.body or UNREADABLE_BODIES[0])
        return
    await _drop(messages, send)


def _body(messages: list[Message]) -> tuple[Message, bytes]:
    """The captured answer's start message and its whole body."""
    start = next(m for m in messages if m["type"] == "http.response.start")
    parts = (m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return start, b"".join(parts)


async def _unreadable(messages: list[Message], send: Send, kind: str) -> None:
    """Answer 200, whatever the app answered, with a body of the given kind that cannot be read."""
    start, body = _body(messages)
    content_type, encoding = b"application/json", None
    if kind == "not-json":
        content_type, body = b"text/html", b"<html><body><h1>OK</h1></body></html>"
    elif kind == "truncated":
        body = body[: len(body) // 2]
    elif kind == "no-fields":
        body = b'{"success":true}'
    else:  # bad-encoding
        encoding = b"gzip"
    replaced = {b"content-length", b"content-type", b"content-encoding"}
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in replaced]
    headers += [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    if encoding:
        headers.append((b"content-encoding", encoding))
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _drop(messages: list[Message], send: Send) -> None:
    """Promise more body than is sent, then return: the server closes the connection mid-body."""
    start, body = _body(messages)
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body) + 64).encode()))
    await send({"type": "http.response.start", "status": start["status"], "headers": headers})
    await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
