"""The PSRESTful sandbox app: its routes behind a gate that counts every request,
answers 429 ``{"detail"}`` (no Retry-After) above the rate limit, checks ``X-API-Key``
or a bearer token, then applies injected faults with the shared ``FaultInjector``. Every
answer's ``Date`` header is the sandbox clock, the "now" that ``last_modified__since``
is relative to."""

from __future__ import annotations

from email.utils import format_datetime

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lib.sandbox.faults import FaultInjector, apply_fault
from lib.sandbox.psrestful import routes
from lib.sandbox.psrestful.config import PsRestfulSandboxConfig
from lib.sandbox.psrestful.store import PsRestfulStore
from lib.sandbox.ratelimit import account_limiter

_API_PREFIX = "/extra/"
_ACCOUNT = "account"
V2 = "/extra/v2"


def _routes() -> list[Route]:
    # The fixed product paths come before /products/{product_id} (NOTES-peers.md 2.6).
    return [
        Route(f"{V2}/suppliers", routes.suppliers),
        Route(f"{V2}/products", routes.products),
        Route(f"{V2}/products/metafields", routes.metafields),
        Route(f"{V2}/products/get-extra-id/", routes.get_extra_id),
        Route(f"{V2}/products/get-metafields-by-title/", routes.by_title),
        Route(f"{V2}/products/{{product_id}}", routes.product),
        Route(f"{V2}/products/{{product_id}}/ppcs", routes.ppcs),
        Route("/extra/v1/products/{product_id}/ppcs", routes.ppcs_v1),
        Route(f"{V2}/inventory/{{supplier_code}}", routes.inventory),
        Route(f"{V2}/part-id-mappings", routes.part_id_mappings),
        Route(f"{V2}/brands", routes.brands),
        Route(f"{V2}/categories", routes.categories),
        Route("/extra/v1/scrape/{supplier_code}/", routes.scrape),
    ]


def _authorised(scope: Scope, config: PsRestfulSandboxConfig) -> bool:
    headers = Request(scope).headers
    key = headers.get("x-api-key")
    if key is not None:
        return key in config.api_keys  # the key wins when both are sent
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and token in config.bearer_tokens


class PsRestfulGate:
    """The Date header, counting, the rate limit, the key, then faults."""

    def __init__(self, app: ASGIApp, store: PsRestfulStore) -> None:
        self.app = app
        self.store = store
        per_second = store.config.rate_limit_per_second
        self.limiter = account_limiter(per_second, lambda: store.clock.now().timestamp(), _ACCOUNT)
        self.faults = FaultInjector(store.config)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http" or not scope.get("path", "").startswith(_API_PREFIX):
            await self.app(scope, receive, send)
            return
        store = self.store
        date = format_datetime(store.clock.now(), usegmt=True).encode()

        async def dated(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"date"]
                message = {**message, "headers": [*headers, (b"date", date)]}
            await send(message)

        with store.lock:
            store.requests += 1
        if self.limiter is not None and self.limiter.check(_ACCOUNT, _ACCOUNT):
            with store.lock:
                store.rate_limited += 1
            await routes.error(429, "Rate limit exceeded")(scope, receive, dated)
            return
        if not _authorised(scope, store.config):
            message = "Authentication credentials were not provided or are invalid."
            await routes.error(401, message)(scope, receive, dated)
            return
        if not self.faults.active:
            await self.app(scope, receive, dated)
            return
        await apply_fault(
            self.faults.decide(scope["method"]),
            self.app,
            scope,
            receive,
            dated,
            store.config.slow_seconds,
            lambda status: routes.error(
                status, "Rate limit exceeded" if status == 429 else "Internal Server Error"
            ),
        )


def create_app(config: PsRestfulSandboxConfig | None = None) -> Starlette:
    """A PSRESTful sandbox with freshly seeded data for ``config``."""
    config = config or PsRestfulSandboxConfig()
    store = PsRestfulStore(config)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return routes.error(exc.status_code, f"{request.url.path}: {exc.detail}")

    async def bad_request(request: Request, exc: Exception) -> Response:
        return routes.error(400, str(exc))

    async def not_found(request: Request, exc: Exception) -> Response:
        return routes.error(404, str(exc).strip("'\""))

    async def server_error(request: Request, exc: Exception) -> Response:
        return routes.error(500, "Internal Server Error")

    app = Starlette(
        routes=_routes(),
        middleware=[Middleware(PsRestfulGate, store=store)],
        exception_handlers={
            HTTPException: http_error,
            routes.BadRequest: bad_request,
            LookupError: not_found,
            Exception: server_error,
        },
    )
    app.state.config = config
    app.state.store = store
    return app
