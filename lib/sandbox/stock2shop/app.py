"""The Stock2Shop sandbox app: its routes behind a gate that counts every request,
answers 429 (no Retry-After) above the rate limit, checks the query-string token, then
applies injected faults with the PleasureStock sandbox's ``FaultInjector``."""

from __future__ import annotations

from functools import partial

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from lib.sandbox.faults import FaultInjector, apply_fault
from lib.sandbox.ratelimit import account_limiter
from lib.sandbox.stock2shop import routes
from lib.sandbox.stock2shop.config import Stock2ShopSandboxConfig
from lib.sandbox.stock2shop.store import Stock2ShopStore

_API_PREFIXES = ("/v1/", "/v2-queue/")
# What a client may call without a token: logging in, and checking a token in the path.
_NO_TOKEN = ("/v1/users/authenticate", "/v1/users/valid_token/")
_ACCOUNT = "client"  # "per client", the document says: one budget for the account


def _routes(config: Stock2ShopSandboxConfig) -> list[Route]:
    found = [
        Route("/v1/users/authenticate", routes.authenticate, methods=["POST"]),
        Route("/v1/users/valid_token/{token}", routes.valid_token, methods=["GET"]),
        Route("/v1/sources", routes.sources, methods=list(config.list_methods)),
        Route("/v1/channels", routes.channels, methods=list(config.list_methods)),
        Route("/v1/products/queue", routes.queue_write, methods=["POST"]),
        Route("/v1/images/queue", routes.queue_write, methods=["POST"]),
        Route("/v2-queue/order", routes.queue_write, methods=["POST"]),
    ]
    found += [
        Route(f"/v1/products/{p}", routes.search_products, methods=["POST"])
        for p in config.product_search_paths
    ]
    found += [
        Route(f"/v1/orders/{p}", routes.search_orders, methods=["POST"])
        for p in config.order_search_paths
    ]
    return found


class Stock2ShopGate:
    """Counting, the rate limit, the token, then faults, in front of every API path."""

    def __init__(self, app: ASGIApp, store: Stock2ShopStore) -> None:
        self.app = app
        self.store = store
        config = store.config
        per_second = config.rate_limit_per_second
        self.limiter = account_limiter(per_second, lambda: store.clock.now().timestamp(), _ACCOUNT)
        self.faults = FaultInjector(config)
        self.error = partial(routes.error, config)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(_API_PREFIXES):
            await self.app(scope, receive, send)
            return
        store = self.store
        with store.lock:
            store.requests += 1
        if self.limiter is not None and self.limiter.check(_ACCOUNT, _ACCOUNT):
            with store.lock:
                store.rate_limited += 1
            await self.error(429, "Too Many Requests")(scope, receive, send)
            return
        if not path.startswith(_NO_TOKEN):
            token = Request(scope).query_params.get("token")
            if store.user_for(token) is None:
                message = "token is missing, invalid or expired: authenticate again"
                await self.error(store.config.expired_status, message)(scope, receive, send)
                return
        if not self.faults.active:
            await self.app(scope, receive, send)
            return
        decision = self.faults.decide(scope["method"])
        await apply_fault(
            decision,
            self.app,
            scope,
            receive,
            send,
            store.config.slow_seconds,
            lambda status: self.error(
                status, "Too Many Requests" if status == 429 else "Internal Server Error"
            ),
        )


def create_app(config: Stock2ShopSandboxConfig | None = None) -> Starlette:
    """A Stock2Shop sandbox with freshly seeded data for ``config``."""
    config = config or Stock2ShopSandboxConfig()
    store = Stock2ShopStore(config)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return routes.error(
            config, exc.status_code, f"{request.method} {request.url.path}: {exc.detail}"
        )

    async def server_error(request: Request, exc: Exception) -> Response:
        return routes.error(config, 500, "Internal Server Error")

    app = Starlette(
        routes=_routes(config),
        middleware=[Middleware(Stock2ShopGate, store=store)],
        exception_handlers={HTTPException: http_error, Exception: server_error},
    )
    app.state.config = config
    app.state.store = store
    return app
