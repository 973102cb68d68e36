"""The Starlette application: routes, error bodies and the gate (auth, rate limits, faults)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from lib.sandbox import routes_orders, routes_products, routes_sales
from lib.sandbox.config import SandboxConfig
from lib.sandbox.gate import Gate
from lib.sandbox.jsonio import error_response
from lib.sandbox.params import ParamError
from lib.sandbox.ratelimit import RateLimiter
from lib.sandbox.store import SandboxStore
from lib.sandbox.webhooks import WebhookSender

_ROUTES = [
    Route("/api/v1/products", routes_products.list_products, methods=["GET"]),
    Route("/api/v1/products/{product_id}", routes_products.get_product, methods=["GET"]),
    Route("/api/v1/sales", routes_sales.submit_sales, methods=["POST"]),
    Route("/api/v1/smart-reordering", routes_sales.smart_reordering, methods=["GET"]),
    Route("/api/v1/currency/convert-to-try", routes_sales.convert_to_try, methods=["GET"]),
    Route("/api/v1/external/orders", routes_orders.create_orders, methods=["POST"]),
    Route("/api/v1/external/orders", routes_orders.list_orders, methods=["GET"]),
    Route("/api/v1/external/orders/{order_number}", routes_orders.get_order, methods=["GET"]),
    Route(
        "/api/v1/external/orders/{order_number}/status",
        routes_orders.update_status,
        methods=["PUT"],
    ),
    Route("/api/v1/external/smart-reorder", routes_orders.submit_smart_reorder, methods=["POST"]),
    Route("/uploads/products/{filename}", routes_products.product_image, methods=["GET"]),
]


async def _bad_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ParamError)
    return error_response(400, "Invalid request", exc.message, exc.details)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return error_response(
            405, "Method not allowed", f"{request.method} is not allowed on {request.url.path}"
        )
    if exc.status_code == 404:
        return error_response(404, "Not found", f"No endpoint at {request.url.path}")
    return error_response(exc.status_code, "HTTP error", str(exc.detail))


async def _server_error(request: Request, exc: Exception) -> Response:
    return error_response(500, "Internal server error", "Unexpected error", [type(exc).__name__])


def create_app(config: SandboxConfig | None = None) -> Starlette:
    """Build a sandbox app with freshly seeded data for `config`."""
    config = config or SandboxConfig()
    store = SandboxStore(config.seed, config.resolved_today(), config.product_count)
    limiter = RateLimiter(config.rate_limit_scale) if config.rate_limits_enabled else None
    app = Starlette(
        routes=_ROUTES,
        middleware=[Middleware(Gate, config=config, limiter=limiter)],
        exception_handlers={
            ParamError: _bad_request,
            HTTPException: _http_error,
            Exception: _server_error,
        },
    )
    app.state.config = config
    app.state.store = store
    app.state.limiter = limiter
    app.state.webhooks = WebhookSender(config, store)
    return app
