"""The Price2B sandbox app: its routes under ``/api/v1/inventory`` behind a gate that
counts every request by kind, answers 429 above the rate limit (off by default), checks
the bearer token, then applies injected faults with the PleasureStock sandbox's
``FaultInjector``."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from lib.sandbox.faults import FaultInjector, apply_fault
from lib.sandbox.price2b import routes
from lib.sandbox.price2b.config import READ_SCOPE, WRITE_SCOPE, Price2BSandboxConfig
from lib.sandbox.price2b.store import Price2BStore
from lib.sandbox.ratelimit import account_limiter

API_PATH = "/api"
_PRODUCTS = "/api/v1/inventory/products"
_ACCOUNT = "account"
_WRITE_METHODS = ("POST", "PUT", "DELETE")


def _routes() -> list[Route]:
    one = _PRODUCTS + "/{product_id}"
    return [
        Route(_PRODUCTS, routes.list_products, methods=["GET"]),
        Route(_PRODUCTS, routes.write, methods=["POST"]),
        Route(_PRODUCTS + "/import", routes.write, methods=["POST"]),
        Route(_PRODUCTS + "/import/{batch_id}/status", routes.import_status, methods=["GET"]),
        Route(one, routes.get_product, methods=["GET"]),
        Route(one, routes.write, methods=["PUT", "DELETE"]),
        Route(one + "/stock", routes.get_stock, methods=["GET"]),
        Route(one + "/stock/adjust", routes.write, methods=["POST"]),
    ]


def request_kind(method: str, path: str) -> str:
    """What a request asks for, as the store counts it."""
    if method in _WRITE_METHODS:
        return "write"
    if path.rstrip("/") == _PRODUCTS:
        return "list"
    if path.endswith("/stock"):
        return "stock"
    if path.startswith(_PRODUCTS + "/") and "/import/" not in path:
        return "detail"
    return "other"


class Price2BGate:
    """Counting, the rate limit, the bearer token, then faults, in front of the API."""

    def __init__(self, app: ASGIApp, store: Price2BStore) -> None:
        self.app = app
        self.store = store
        per_second = store.config.rate_limit_per_second
        self.limiter = account_limiter(per_second, lambda: store.clock.now().timestamp(), _ACCOUNT)
        self.faults = FaultInjector(store.config)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(API_PATH + "/"):
            await self.app(scope, receive, send)
            return
        store = self.store
        with store.lock:
            store.requests += 1
            store.by_kind[request_kind(scope["method"], path)] += 1
        if self.limiter is not None and self.limiter.check(_ACCOUNT, _ACCOUNT):
            with store.lock:
                store.rate_limited += 1
            answer = routes.error(429, "Too Many Requests", headers={"Retry-After": "1"})
            await answer(scope, receive, send)
            return
        header = Request(scope).headers.get("authorization", "")
        token = header[7:].strip() if header[:7].lower() == "bearer " else None
        token_scope = store.scope_of(token)
        if token_scope is None:
            await routes.error(401, "Unauthenticated.")(scope, receive, send)
            return
        scope["price2b.scope"] = token_scope
        if scope["method"] not in _WRITE_METHODS and token_scope not in (READ_SCOPE, WRITE_SCOPE):
            await routes.error(403, "This token lacks the inventory:read scope")(
                scope, receive, send
            )
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
            lambda status: routes.error(
                status,
                "Too Many Requests" if status == 429 else "Server Error",
                headers={"Retry-After": "1"} if status == 429 else None,
            ),
        )


def create_app(config: Price2BSandboxConfig | None = None) -> Starlette:
    """A Price2B sandbox with freshly seeded data for ``config``."""
    config = config or Price2BSandboxConfig()
    store = Price2BStore(config)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return routes.error(exc.status_code, f"{request.method} {request.url.path}: {exc.detail}")

    async def server_error(request: Request, exc: Exception) -> Response:
        return routes.error(500, "Server Error")

    app = Starlette(
        routes=_routes(),
        middleware=[Middleware(Price2BGate, store=store)],
        exception_handlers={HTTPException: http_error, Exception: server_error},
    )
    app.state.config = config
    app.state.store = store
    return app
