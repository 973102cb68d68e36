"""The endpoints of ``stock2shop-api.txt``: users, sources, channels, product and order
search, and the queue writes (recorded, never processed)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from lib.sandbox.jsonio import SandboxJSONResponse
from lib.sandbox.params import ParamError, json_object
from lib.sandbox.stock2shop.config import CLIENT_ID, SandboxUser, Stock2ShopSandboxConfig
from lib.sandbox.stock2shop.search import SearchError, run_search, sort_value
from lib.sandbox.stock2shop.seed import CHANNELS, SOURCES, iso_stamp
from lib.sandbox.stock2shop.store import ORDERS, PRODUCTS, Stock2ShopStore

_ES_URL = "https://vpc-stock2shop-sandbox.eu-west-1.es.amazonaws.com/{kind}/_search"


def error(config: Stock2ShopSandboxConfig, status: int, message: str) -> Response:
    """The sandbox's error body (an assumption: the document shows none)."""
    return SandboxJSONResponse({config.error_key: message}, status_code=status)


def _store(request: Request) -> Stock2ShopStore:
    return request.app.state.store


def _system_user(
    store: Stock2ShopStore, user: SandboxUser, token: str, *, full: bool
) -> dict[str, Any]:
    index = store.config.users.index(user)
    created = store.config.clock_start().replace(year=2015)
    body: dict[str, Any] = {
        "id": index + 1,
        "created": iso_stamp(created),
        "name": user.username.split("-")[0].title(),
        "surname": "Sandbox",
        "email": f"{user.username}@example.com",
        "username": user.username,
        "modified": iso_stamp(store.clock.now()),
        "client_id": CLIENT_ID,
        "active": 1,
        "admin": 0,
        "token": token,
    }
    if full:
        roles = [] if user.role is None else [{"id": index + 1, "description": user.role}]
        body |= {
            "client_name": "Sandbox Retail",
            "fulfillment_services": [],
            "channels": [],
            "sources": [],
            "customers": [],
            "roles": roles,
            "role_description": user.role,
        }
    return body


async def authenticate(request: Request) -> Response:
    """POST /v1/users/authenticate with ``{"system_user_auth": {username, password}}``."""
    config = _store(request).config
    try:
        body = await json_object(request)
    except ParamError as exc:
        return error(config, 400, exc.message)
    auth = body.get("system_user_auth")
    if not isinstance(auth, dict) or not auth.get("username") or not auth.get("password"):
        return error(config, 400, "system_user_auth with username and password is required")
    store = _store(request)
    found = store.authenticate(str(auth["username"]), str(auth["password"]))
    if found is None:
        return error(config, 401, "invalid username or password")
    user, token = found
    return SandboxJSONResponse({"system_user": _system_user(store, user, token, full=True)})


async def valid_token(request: Request) -> Response:
    """GET /v1/users/valid_token/{token}: the token goes in the path here."""
    store = _store(request)
    token = request.path_params["token"]
    user = store.user_for(token)
    if user is None:
        return error(store.config, store.config.expired_status, "token is not valid")
    return SandboxJSONResponse({"system_user": _system_user(store, user, token, full=False)})


def _listing(records: tuple[dict[str, Any], ...], store: Stock2ShopStore) -> list[dict[str, Any]]:
    created = iso_stamp(store.config.clock_start().replace(year=2017))
    return [
        {"created": created, "modified": created, "client_id": CLIENT_ID, "active": 1, **r}
        for r in records
    ]


async def sources(request: Request) -> Response:
    """GET or POST /v1/sources."""
    store = _store(request)
    rows = [{"sync_token": "0", **r} for r in _listing(SOURCES, store)]
    return SandboxJSONResponse({"system_sources": rows})


async def channels(request: Request) -> Response:
    """GET or POST /v1/channels."""
    store = _store(request)
    rows = [{"price_tier": None, "qty_availability": None, **r} for r in _listing(CHANNELS, store)]
    return SandboxJSONResponse({"system_channels": rows})


async def _search(request: Request, kind: str) -> Response:
    store = _store(request)
    config = store.config
    try:
        body = await json_object(request)
    except ParamError as exc:
        return error(config, 400, exc.message)
    added: list[dict[str, Any]] = [{"term": {"client_id": CLIENT_ID}}]
    if kind == PRODUCTS and config.add_active_filter:
        added.append({"term": {"active": True}})
    try:
        result = run_search(
            body,
            store.searchable(kind),
            extra_filters=added,
            result_window=config.result_window,
            total_cap=config.total_cap,
        )
    except SearchError as exc:
        return error(config, 400, str(exc))
    query = body.get("query") or {"bool": {}}
    echoed = dict(query.get("bool", {})) if isinstance(query, dict) else {}
    echoed["filter"] = [*(echoed.get("filter") or []), *added]
    live = [store.live(kind, r["id"]) for r in result.page]
    answer = {
        "took": 3,
        "timed_out": False,
        "_shards": {"total": 5, "successful": 5, "skipped": 0, "failed": 0},
        "hits": {
            "total": result.total,
            "max_score": None,
            "hits": [
                {
                    "_index": f"{kind}--------2020-09-02-08-31-08",
                    "_type": "_doc",
                    "_id": str(r["id"]),
                    "_score": None,
                    "_source": {},
                    "sort": sort_value(r, result.sort_field),
                }
                for r in result.page
            ],
        },
        "request": {
            "url": _ES_URL.format(kind=kind),
            "method": "POST",
            "body": {**body, "aggs": {}, "query": {"bool": echoed}},
        },
        f"system_{kind}": live,
        "took_s2s": 7,
    }
    return SandboxJSONResponse(answer)


async def search_products(request: Request) -> Response:
    """POST /v1/products/elastic_search (or elasticsearch)."""
    return await _search(request, PRODUCTS)


async def search_orders(request: Request) -> Response:
    """POST /v1/orders/elastic_search (or elasticsearch)."""
    return await _search(request, ORDERS)


async def queue_write(request: Request) -> Response:
    """The queue writes: recorded so a test can prove StockDesk sends none; answered with
    the document's counts, nothing processed."""
    store = _store(request)
    body = await request.body()
    with store.lock:
        store.write_calls.append((request.method, request.url.path))
    path = request.url.path
    if path.startswith("/v2-queue"):
        return SandboxJSONResponse({"message": "order received", "queue_messages": []})
    key, count = (
        ("system_images", "sync_image") if "images" in path else ("system_products", "sync_product")
    )
    return SandboxJSONResponse({key: {count: 1 if body else 0}})
