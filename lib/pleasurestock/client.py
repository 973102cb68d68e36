"""The PleasureStock API client: the only code in StockDesk that speaks HTTP to the platform.

One synchronous client for the standard API (``X-API-Key``) and the external API
(``Authorization: Bearer``), with a method per documented endpoint. Sending, rate
limiting and retries live in ``transport.py``. Bulk reads (whole catalog, long id
lists) run a few requests at a time on a thread pool, still inside the rate limits.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
import pydantic
from pydantic import SecretStr

from lib.pleasurestock.errors import ApiError, ConfigurationError, outcome_unknown
from lib.pleasurestock.models import (
    ORDER_STATUSES,
    Conversion,
    CreatedOrders,
    Order,
    OrderLine,
    OrderPage,
    Product,
    ProductPage,
    RecommendationList,
    ReorderProduct,
    SaleRow,
    SalesReceipt,
    SmartReorderReceipt,
    StatusChange,
)
from lib.pleasurestock.ratelimit import (
    DOCUMENTED_LIMITS,
    EXTERNAL,
    SMART_REORDERING,
    STANDARD,
    RateLimitPolicy,
    WindowUsage,
)
from lib.pleasurestock.transport import Transport

logger = logging.getLogger("stockdesk.pleasurestock")

MAX_PAGE_SIZE = 1000
MAX_SALES_ROWS = 1000
# Ids per batch request: ~2 KB of query string, well inside any server's URL limit.
IDS_PER_REQUEST = 100

# Printable ASCII without spaces: what an API key can be sent as in a header.
_HEADER_SAFE = re.compile(r"[\x21-\x7e]+")

ProgressCallback = Callable[[int, int], None]
T = TypeVar("T")


class PleasureStockClient:
    """Typed access to every documented PleasureStock endpoint."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: SecretStr | str | None,
        timeout: httpx.Timeout | float = 30.0,
        transport: httpx.BaseTransport | None = None,
        rate_limits: Mapping[str, RateLimitPolicy] = DOCUMENTED_LIMITS,
        max_attempts: int = 5,
        max_concurrency: int = 4,
        jitter: Callable[[], float] = random.random,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        key = api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key
        if not key or not key.strip():
            raise ConfigurationError(
                "No PleasureStock API key is configured. Set PLEASURESTOCK_API_KEY in the "
                "environment or in .streamlit/secrets.toml (or leave it unset for demo mode)."
            )
        key = key.strip()
        if not _HEADER_SAFE.fullmatch(key):
            # Never quote the key: the message ends up on the page and in logs.
            raise ConfigurationError(
                "The PleasureStock API key contains a space, a line break or another character "
                "that cannot be sent in an HTTP header. Copy it again into "
                "PLEASURESTOCK_API_KEY (environment or .streamlit/secrets.toml)."
            )
        if not base_url.startswith(("http://", "https://")):
            raise ConfigurationError(
                f"PLEASURESTOCK_BASE_URL must start with http:// or https://, got {base_url!r}."
            )
        self.base_url = base_url.rstrip("/")
        self._max_concurrency = max_concurrency
        self._transport = Transport(
            base_url=self.base_url,
            api_key=SecretStr(key),
            timeout=timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout),
            http_transport=transport,
            rate_limits=rate_limits,
            max_attempts=max_attempts,
            max_connections=max(max_concurrency, 1) * 2,
            jitter=jitter,
            sleep=sleep,
        )

    def __repr__(self) -> str:
        return f"PleasureStockClient(base_url={self.base_url!r}, api_key=SecretStr('**********'))"

    def __enter__(self) -> PleasureStockClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._transport.close()

    def rate_limit_usage(self) -> list[WindowUsage]:
        """How much of each rate class's per-second/minute/hour budget is in use now."""
        return self._transport.usage()

    # -- standard API: products ---------------------------------------------------------

    def list_products(
        self,
        *,
        page: int = 1,
        limit: int = 100,
        supplier_id: str | int | None = None,
        search: str | None = None,
        ids: Sequence[str] | None = None,
        with_images: bool = False,
        include_category: bool = False,
        include_tcc: bool = False,
        include_tsp: bool = False,
    ) -> ProductPage:
        """One page of ``GET /products`` (``limit`` 1..1000)."""
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise ValueError(f"limit must be between 1 and {MAX_PAGE_SIZE}, got {limit}")
        params: dict[str, Any] = {
            "page": page,
            "limit": limit,
            "withImages": _flag(with_images),
            "includeCategory": _flag(include_category),
            "includeTcc": _flag(include_tcc),
            "includeTsp": _flag(include_tsp),
        }
        if supplier_id is not None:
            params["supplier_id"] = str(supplier_id)
        if search:
            params["search"] = search
        if ids:
            params["ids"] = ",".join(ids)
        body = self._transport.request("GET", "products", rate_class=STANDARD, params=params)
        return _parse(ProductPage, body)

    def fetch_catalog(
        self,
        *,
        page_size: int = MAX_PAGE_SIZE,
        with_images: bool = False,
        include_all: bool = True,
        concurrent: bool = True,
        on_progress: ProgressCallback | None = None,
    ) -> list[Product]:
        """Every product, paging through the whole catalog (pages fetched concurrently).

        ``on_progress(pages_done, pages_total)`` is called from the calling thread.
        Products that moved between pages while paging are kept once.
        """
        flags = {
            "with_images": with_images,
            "include_category": include_all,
            "include_tcc": include_all,
            "include_tsp": include_all,
        }
        first = self.list_products(page=1, limit=page_size, **flags)
        total_pages = max(first.pagination.pages, 1)
        pages: dict[int, list[Product]] = {1: first.data}
        if on_progress:
            on_progress(1, total_pages)

        def fetch(page: int) -> list[Product]:
            return self.list_products(page=page, limit=page_size, **flags).data

        rest = range(2, total_pages + 1)
        for page, products in self._map(fetch, rest, concurrent=concurrent):
            pages[page] = products
            if on_progress:
                on_progress(len(pages), total_pages)
        catalog = _unique_by_id(p for page in sorted(pages) for p in pages[page])
        if len(catalog) != first.pagination.total:
            logger.warning(
                "catalog fetch got %d products, server reported %d (catalog changed while paging)",
                len(catalog),
                first.pagination.total,
            )
        return catalog

    def get_products_by_ids(
        self,
        ids: Iterable[str],
        *,
        with_images: bool = False,
        include_all: bool = True,
    ) -> list[Product]:
        """Products for a list of UUID and/or ps ids, in requests of at most 100 ids.

        Unknown ids are simply absent from the result.
        """
        unique = list(dict.fromkeys(i.strip() for i in ids if i and i.strip()))
        chunks = [unique[i : i + IDS_PER_REQUEST] for i in range(0, len(unique), IDS_PER_REQUEST)]

        def fetch(chunk: list[str]) -> list[Product]:
            return self.list_products(
                ids=chunk,
                limit=MAX_PAGE_SIZE,
                with_images=with_images,
                include_category=include_all,
                include_tcc=include_all,
                include_tsp=include_all,
            ).data

        found = [p for _, products in self._map(fetch, chunks) for p in products]
        return _unique_by_id(found)

    def get_product(
        self,
        product_id: str,
        *,
        with_images: bool = True,
        include_all: bool = True,
    ) -> Product:
        """One product by UUID or ps id (``GET /products/{id}``)."""
        params = {
            "withImages": _flag(with_images),
            "includeCategory": _flag(include_all),
            "includeTcc": _flag(include_all),
            "includeTsp": _flag(include_all),
        }
        body = self._transport.request(
            "GET", f"products/{_path_segment(product_id)}", rate_class=STANDARD, params=params
        )
        return _parse(Product, _data(body))

    # -- standard API: sales, smart reordering, currency ---------------------------------

    def submit_sales(self, rows: Sequence[SaleRow]) -> SalesReceipt:
        """Send one batch of at most 1,000 sales rows (``POST /sales``); never retried blindly.

        The server SUMS quantities of rows it already has for the same product and
        day: callers send each (product, day) delta once (see ``lib.sales``).
        """
        if not rows:
            raise ValueError("no sales rows to send")
        if len(rows) > MAX_SALES_ROWS:
            raise ValueError(f"at most {MAX_SALES_ROWS} sales rows per request, got {len(rows)}")
        payload = {"sales": [row.to_payload() for row in rows]}
        body = self._transport.request("POST", "sales", rate_class=STANDARD, json_body=payload)
        return _parse_answer_to_write(SalesReceipt, body, "POST", "sales")

    def get_recommendations(self, on: date | None = None) -> RecommendationList:
        """Smart Reordering recommendations for a day (default: the server's today)."""
        params = {"date": on.isoformat()} if on else None
        body = self._transport.request(
            "GET", "smart-reordering", rate_class=SMART_REORDERING, params=params
        )
        return _parse(RecommendationList, body)

    def convert_to_try(self, amount: Decimal, currency: str) -> Conversion:
        """Convert an amount to Turkish lira at the server's current rate (EUR, USD, GBP)."""
        params = {"amount": str(amount), "currency": currency.upper()}
        body = self._transport.request(
            "GET", "currency/convert-to-try", rate_class=STANDARD, params=params
        )
        return _parse(Conversion, body)

    # -- external API: orders and smart reorder ----------------------------------------

    def create_orders(
        self,
        lines: Sequence[OrderLine],
        *,
        external_order_id: str | None = None,
        comment: str | None = None,
    ) -> CreatedOrders:
        """Create orders (one per supplier). On ``OutcomeUnknownError`` look the
        ``external_order_id`` up with ``find_orders_by_external_id`` before retrying."""
        if not lines:
            raise ValueError("an order needs at least one line")
        payload: dict[str, Any] = {"items": [line.to_payload() for line in lines]}
        if external_order_id:
            payload["externalOrderId"] = external_order_id
        if comment:
            payload["comment"] = comment
        body = self._transport.request(
            "POST", "external/orders", rate_class=EXTERNAL, auth="bearer", json_body=payload
        )
        return _parse_answer_to_write(CreatedOrders, _data(body), "POST", "external/orders")

    def list_orders(
        self, *, status: str | None = None, limit: int = 20, offset: int = 0
    ) -> OrderPage:
        """One page of ``GET /external/orders``, newest first."""
        if status is not None and status not in ORDER_STATUSES:
            raise ValueError(f"unknown order status {status!r}; use one of {ORDER_STATUSES}")
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        if status:
            params["status"] = status
        body = self._transport.request(
            "GET", "external/orders", rate_class=EXTERNAL, auth="bearer", params=params
        )
        return _parse(OrderPage, _data(body))

    def fetch_all_orders(self, *, status: str | None = None, page_size: int = 100) -> list[Order]:
        """Every order, following limit/offset until the reported total is reached."""
        orders: list[Order] = []
        offset = 0
        while True:
            page = self.list_orders(status=status, limit=page_size, offset=offset)
            orders.extend(page.orders)
            offset += len(page.orders)
            if not page.orders or offset >= page.pagination.total:
                return orders

    def find_orders_by_external_id(self, external_order_id: str) -> list[Order]:
        """Orders carrying our ``externalOrderId``: how to check an order of unknown outcome."""
        return [o for o in self.fetch_all_orders() if o.external_order_id == external_order_id]

    def get_order(self, order_number: str) -> Order:
        """One order with its items (``GET /external/orders/{orderNumber}``)."""
        body = self._transport.request(
            "GET",
            f"external/orders/{_path_segment(order_number)}",
            rate_class=EXTERNAL,
            auth="bearer",
        )
        return _parse(Order, _data(body))

    def update_order_status(
        self,
        order_number: str,
        status: str,
        *,
        external_order_id: str | None = None,
        comment: str | None = None,
    ) -> StatusChange:
        """Move an order along the workflow (``PUT …/status``); the server enforces it."""
        if status not in ORDER_STATUSES:
            raise ValueError(f"unknown order status {status!r}; use one of {ORDER_STATUSES}")
        payload: dict[str, Any] = {"status": status}
        if external_order_id:
            payload["externalOrderId"] = external_order_id
        if comment:
            payload["comment"] = comment
        path = f"external/orders/{_path_segment(order_number)}/status"
        body = self._transport.request(
            "PUT", path, rate_class=EXTERNAL, auth="bearer", json_body=payload
        )
        return _parse_answer_to_write(StatusChange, _data(body), "PUT", path)

    def submit_smart_reorder(self, products: Sequence[ReorderProduct]) -> SmartReorderReceipt:
        """Send stock and sales history for AI reordering (``POST /external/smart-reorder``)."""
        if not products:
            raise ValueError("no products to send")
        payload = {"products": [p.to_payload() for p in products]}
        path = "external/smart-reorder"
        body = self._transport.request(
            "POST", path, rate_class=SMART_REORDERING, auth="bearer", json_body=payload
        )
        return _parse_answer_to_write(SmartReorderReceipt, _data(body), "POST", path)

    # -- plumbing ---------------------------------------------------------------------

    def _map(
        self, fetch: Callable[[T], list[Product]], items: Iterable[T], *, concurrent: bool = True
    ) -> Iterable[tuple[T, list[Product]]]:
        """Run ``fetch`` over ``items`` (a few at a time), yielding results as they finish."""
        items = list(items)
        if not concurrent or len(items) <= 1 or self._max_concurrency <= 1:
            for item in items:
                yield item, fetch(item)
            return
        with ThreadPoolExecutor(max_workers=self._max_concurrency) as pool:
            futures: dict[Future[list[Product]], T] = {pool.submit(fetch, i): i for i in items}
            try:
                for future in as_completed(futures):
                    yield futures[future], future.result()
            finally:
                for future in futures:
                    future.cancel()


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _path_segment(value: str) -> str:
    """An id as one percent-encoded URL path segment: ids are opaque, ``/``, ``?`` and ``#``
    included, and none may change the path (``.`` and ``..`` are encoded too)."""
    text = str(value).strip()
    if not text:
        raise ValueError("an id cannot be blank")
    encoded = quote(text, safe="")
    return encoded.replace(".", "%2E") if encoded in {".", ".."} else encoded


def _data(body: Any) -> Any:
    return body.get("data") if isinstance(body, dict) else body


M = TypeVar("M", bound=pydantic.BaseModel)


def _parse(model: type[M], payload: Any) -> M:
    """Validate a payload, turning a shape the client cannot read into an ``ApiError``."""
    try:
        return model.model_validate(payload)
    except pydantic.ValidationError as exc:
        raise ApiError(
            f"PleasureStock sent a {model.__name__} that StockDesk cannot read ({_problems(exc)}).",
            status_code=200,
        ) from None


def _parse_answer_to_write(model: type[M], payload: Any, method: str, path: str) -> M:
    """Validate a write's 2xx answer; one StockDesk cannot read leaves the outcome unknown,
    since the server may well have stored the write (NOTES.md point 3)."""
    try:
        return model.model_validate(payload)
    except pydantic.ValidationError as exc:
        raise outcome_unknown(
            method,
            path,
            f"PleasureStock answered {method} /{path} with a success status, but StockDesk "
            f"cannot read the answer ({_problems(exc)}).",
        ) from None


def _problems(exc: pydantic.ValidationError) -> str:
    """The first few problems by field and reason, never the values (they came from outside)."""
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:3])


def _unique_by_id(products: Iterable[Product]) -> list[Product]:
    seen: dict[str, Product] = {}
    for product in products:
        seen.setdefault(product.internal_id, product)
    return list(seen.values())
