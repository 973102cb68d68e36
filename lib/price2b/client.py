"""The Price2B Inventory API client: the only code in StockDesk that speaks HTTP to Price2B.

Read-only by design (NOTES-peers.md 4.8): it lists products, reads one product and its
stock per warehouse. It never creates, updates or deletes a product, never adjusts
stock and never imports: stock adjust is not idempotent (``add``/``subtract`` moves the
stock twice when a retry follows a lost answer, ``set`` overwrites what moved between our
read and our write, and ``reference`` is not documented as an idempotency key), and an
import's currency default and update rule are undocumented. StockDesk is not Price2B's
system of record for stock; give it a token with the ``inventory:read`` scope only.

Costs: the list is paged (``per_page`` at most 100), so 10,000 products are 100 requests;
stock per warehouse costs one request per product (``get_stock``), so callers read it
only for the products that matter, within a budget. There is no "updated since"
filter: every catalog read is a full scan.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import httpx
from pydantic import SecretStr

from lib.price2b.errors import PLATFORM, IncompleteReadError
from lib.price2b.models import Product, ProductDetail, ProductPage, ProductStock
from lib.price2b.ratelimit import DEFAULT_PER_SECOND, RequestPacer
from lib.price2b.transport import Operation, Transport
from lib.upstream.answers import parse_read
from lib.upstream.client import ClientBase, as_timeout, checked_base_url, secret_text
from lib.upstream.errors import ConfigurationError
from lib.upstream.sending import ConnectionSettings

logger = logging.getLogger("stockdesk.price2b")

# The documented maximum of per_page.
MAX_PER_PAGE = 100

# Every operation the client sends: reads only.
LIST_PRODUCTS = Operation("list products", "GET", "v1/inventory/products", write=False)
GET_PRODUCT = Operation("get a product", "GET", "v1/inventory/products/{id}", write=False)
GET_STOCK = Operation("get product stock", "GET", "v1/inventory/products/{id}/stock", write=False)

# (steps done, steps in all): pages read of the list's last_page.
PageProgress = Callable[[int, int], None]


def _product_path(operation: Operation, product_id: str) -> str:
    """The operation's path for one product; an id that is not digits is refused here,
    since ids are ints in every Price2B answer and this one goes into a URL path."""
    if not product_id.isdigit():
        raise ValueError(f"a Price2B product id is digits, got {product_id!r}")
    return operation.path.format(id=product_id)


class Price2BClient(ClientBase):
    """Typed, read-only access to the Price2B Inventory endpoints a buying desk needs.

    Keyword-only: ``base_url`` (``https://app.price2b.com/api``) and ``token`` (checked
    at once: a missing one raises ``ConfigurationError`` saying where to set it), then
    ``timeout``, an httpx ``transport`` for tests, ``requests_per_second`` (the document
    states no limit: ``DEFAULT_PER_SECOND``), ``max_attempts`` of a read, ``per_page``
    of the list, and the ``jitter``, ``sleep`` and ``clock`` tests replace.
    """

    def __init__(
        self,
        *,
        base_url: str,
        token: SecretStr | str | None,
        timeout: httpx.Timeout | float = 30.0,
        transport: httpx.BaseTransport | None = None,
        requests_per_second: float = DEFAULT_PER_SECOND,
        max_attempts: int = 5,
        per_page: int = MAX_PER_PAGE,
        jitter: Callable[[], float] = random.random,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        secret = secret_text(token)
        if not secret or not secret.strip():
            raise ConfigurationError(
                "No Price2B token is configured. Set PRICE2B_TOKEN (a token with the "
                "inventory:read scope) in the environment or in .streamlit/secrets.toml."
            )
        if not 1 <= per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be between 1 and {MAX_PER_PAGE}, got {per_page}")
        self.base_url = checked_base_url(base_url, "PRICE2B_BASE_URL")
        self.per_page = per_page
        self._token = SecretStr(secret.strip())
        self._transport = Transport(
            base_url=self.base_url,
            token=self._token,
            settings=ConnectionSettings(
                as_timeout(timeout), transport, max_attempts, jitter, sleep
            ),
            pacer=RequestPacer(requests_per_second, name="price2b", clock=clock, sleep=sleep),
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, token=SecretStr('**********'))"

    def list_products(
        self,
        *,
        page: int = 1,
        per_page: int | None = None,
        status: str = "all",
        has_stock: bool | None = None,
        search: str | None = None,
        category_id: int | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> ProductPage:
        """One page of ``GET /v1/inventory/products``; ``status`` ``all`` by default, since
        the server's default is not documented (the example asks for ``active``)."""
        params: dict[str, Any] = {
            "page": page,
            "per_page": per_page or self.per_page,
            "status": status,
        }
        if has_stock is not None:
            params["has_stock"] = "true" if has_stock else "false"
        if search:
            params["search"] = search
        if category_id is not None:
            params["category_id"] = category_id
        for name, moment in (("created_after", created_after), ("created_before", created_before)):
            if moment is not None:
                params[name] = moment.isoformat()
        data = self._transport.call(LIST_PRODUCTS, params=params)
        return parse_read(ProductPage, data, platform=PLATFORM)

    def iter_products(
        self, *, status: str = "all", on_page: PageProgress | None = None
    ) -> Iterator[Product]:
        """Every product of the list, each once (by id), page by page until the last.

        No sort order is documented, so a product deleted or moved during the read can
        shift a page and hide another: when fewer distinct products came than any page's
        ``total``, ``IncompleteReadError`` is raised rather than a partial catalog returned.
        """
        seen: set[str] = set()
        page_number, most = 1, 0
        while True:
            page = self.list_products(page=page_number, status=status)
            for product in page.products:
                if product.id not in seen:
                    seen.add(product.id)
                    yield product
            most = max(most, page.pagination.total)
            if on_page:
                on_page(page_number, page.pagination.last_page)
            if not page.products or page_number >= page.pagination.last_page:
                break
            page_number += 1
        if len(seen) < most:
            raise IncompleteReadError(
                f"Price2B's product list changed during the read: {len(seen):,} distinct "
                f"products came of the {most:,} it counted. Sync again."
            )

    def get_product(self, product_id: str) -> ProductDetail:
        """``GET /v1/inventory/products/:id``: details and stock by warehouse (quantity only)."""
        data = self._transport.call(GET_PRODUCT, path=_product_path(GET_PRODUCT, product_id))
        return parse_read(ProductDetail, data, platform=PLATFORM)

    def get_stock(self, product_id: str) -> ProductStock:
        """``GET /v1/inventory/products/:id/stock``: quantity, reserved and available per
        warehouse and in total; one request per product."""
        data = self._transport.call(GET_STOCK, path=_product_path(GET_STOCK, product_id))
        return parse_read(ProductStock, data, platform=PLATFORM)
