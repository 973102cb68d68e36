"""ASGI middleware in front of /api/v1: authentication, rate limits, then injected faults."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from lib.sandbox.auth import is_authorised
from lib.sandbox.config import SandboxConfig
from lib.sandbox.faults import FaultInjector, apply_fault
from lib.sandbox.jsonio import error_response
from lib.sandbox.ratelimit import RateLimiter, endpoint_class

API_PREFIX = "/api/v1"


class Gate:
    """Rejects unauthenticated or over-limit calls and applies faults; /uploads passes freely."""

    def __init__(self, app: ASGIApp, config: SandboxConfig, limiter: RateLimiter | None) -> None:
        self.app = app
        self.config = config
        self.limiter = limiter
        self.faults = FaultInjector(config)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if not is_authorised(headers, path, self.config.api_key):
            expected = (
                "Authorization: Bearer <key>"
                if path.startswith(API_PREFIX + "/external")
                else "X-API-Key: <key>"
            )
            response = error_response(
                401, "Unauthorized", "Missing or invalid API key", [f"Send the header {expected}"]
            )
            await response(scope, receive, send)
            return
        if self.limiter is not None:
            klass = endpoint_class(scope["method"], path)
            wait = self.limiter.check(self.config.api_key, klass)
            if wait:
                response = error_response(
                    429,
                    "Too many requests",
                    f"Rate limit exceeded for {klass} endpoints, retry after {wait} s",
                    headers={"Retry-After": str(wait)},
                )
                await response(scope, receive, send)
                return
        if not self.faults.active:
            await self.app(scope, receive, send)
            return
        decision = self.faults.decide(scope["method"])
        await apply_fault(decision, self.app, scope, receive, send, self.config.slow_seconds)
