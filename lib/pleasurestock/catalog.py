"""Catalog reads: products (one page, the whole catalog, by ids, one product) and TRY rates.

Bulk reads (whole catalog, long id lists) run a few requests at a time on a thread
pool, still inside the rate limits, and keep a product once however often it came.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from decimal import Decimal
from typing import Any, TypeVar

from lib.pleasurestock.base import ClientBase, parse, path_segment, unwrap
from lib.pleasurestock.budget import CATALOG_SYNC, OTHER
from lib.pleasurestock.models import Conversion, Product, ProductPage
from lib.pleasurestock.ratelimit import STANDARD

logger = logging.getLogger("stockdesk.pleasurestock")

MAX_PAGE_SIZE = 1000
# Ids per batch request: ~2 KB of query string, well inside any server's URL limit.
IDS_PER_REQUEST = 100

ProgressCallback = Callable[[int, int], None]
T = TypeVar("T")


class CatalogEndpoints(ClientBase):
    """``GET /products``, ``GET /products/{id}`` and ``GET /currency/convert-to-try``."""

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
        purpose: str = OTHER,
    ) -> ProductPage:
        """One page of ``GET /products`` (``limit`` 1..1000); ``purpose`` tags its share of
        the rate-limit budget (``budget.CATALOG_SYNC`` while paging the whole catalog)."""
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
        body = self._transport.request(
            "GET", "products", rate_class=STANDARD, params=params, purpose=purpose
        )
        return parse(ProductPage, body)

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
        first = self.list_products(page=1, limit=page_size, purpose=CATALOG_SYNC, **flags)
        total_pages = max(first.pagination.pages, 1)
        pages: dict[int, list[Product]] = {1: first.data}
        if on_progress:
            on_progress(1, total_pages)

        def fetch(page: int) -> list[Product]:
            return self.list_products(
                page=page, limit=page_size, purpose=CATALOG_SYNC, **flags
            ).data

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
            "GET", f"products/{path_segment(product_id)}", rate_class=STANDARD, params=params
        )
        return parse(Product, unwrap(body))

    def convert_to_try(self, amount: Decimal, currency: str) -> Conversion:
        """Convert an amount to Turkish lira at the server's current rate (EUR, USD, GBP)."""
        params = {"amount": str(amount), "currency": currency.upper()}
        body = self._transport.request(
            "GET", "currency/convert-to-try", rate_class=STANDARD, params=params
        )
        return parse(Conversion, body)

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


def _unique_by_id(products: Iterable[Product]) -> list[Product]:
    seen: dict[str, Product] = {}
    for product in products:
        seen.setdefault(product.internal_id, product)
    return list(seen.values())
