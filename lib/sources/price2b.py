"""Price2B as a ``Source``: each product as one item (Price2B documents no variants), its
``price`` in the currency it states (or ``PRICE2B_CURRENCY`` when set), and our stock per
warehouse with reservations. Read only: nothing is ever written to Price2B.

The product list gives only a total per product; stock per warehouse costs one request
per product. So ``fetch_catalog`` reads the list, and stock only for the item keys
``stock_keys`` names (the linked products), at most ``stock_budget`` requests; the
others keep no stock line (unknown, never 0). ``fetch_stock`` reads given keys alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable
from typing import Literal

from lib.price2b import NotFoundError, Price2BClient, Price2BError
from lib.price2b.models import Product, ProductStock
from lib.sandbox.price2b import embedded as price2b_demo
from lib.settings import Settings
from lib.sources.records import (
    PRICE2B,
    Capability,
    CatalogSnapshot,
    PricePoint,
    SourceCheck,
    SourceItem,
    StockLine,
    StockReading,
)
from lib.sources.source import ProgressCallback

OnHand = Literal["quantity", "available"]
DEMO_PER_SECOND = 50.0


def _item(product: Product) -> SourceItem:
    return SourceItem(
        source=PRICE2B,
        item_key=product.id,
        name=product.name,
        sku=product.sku.strip() or None,
        category_path=tuple(c for c in (product.category,) if c),
        images=tuple(i.url for i in sorted(product.images, key=lambda i: not i.is_primary)),
        active=product.active,
        updated_at=product.updated_at,
        raw=product.model_dump(mode="json"),
    )


def _prices(product: Product, currency: str | None) -> list[PricePoint]:
    """The product's one price; what it means (cost, sale, customs value) is not documented."""
    if product.price is None:
        return []
    return [PricePoint(product.id, "price", product.price, currency or product.currency)]


def stock_lines(stock: ProductStock, on_hand: OnHand) -> list[StockLine]:
    """One line per warehouse; ``on_hand`` is the figure the settings chose (quantity,
    reserved included, or available), reserved and available beside it."""
    return [
        StockLine(
            item_key=stock.product_id,
            warehouse_key=w.warehouse_id,
            warehouse_name=w.warehouse_name or w.warehouse_id,
            on_hand=w.quantity if on_hand == "quantity" else w.available,
            reserved=w.reserved,
            available=w.available,
        )
        for w in stock.warehouses
    ]


class Price2BSource:
    """Our own stock: products, price, and stock per warehouse with reservations."""

    key = PRICE2B
    label = "Price2B"
    capabilities = frozenset({Capability.CATALOG, Capability.PRICES, Capability.OWN_STOCK})

    def __init__(
        self,
        client: Price2BClient,
        *,
        currency: str | None = None,
        on_hand: OnHand = "quantity",
        stock_budget: int = 200,
        stock_keys: Callable[[], Collection[str]] | None = None,
    ) -> None:
        self.client = client
        self.currency = currency
        self.on_hand = on_hand
        self.stock_budget = stock_budget
        self.stock_keys = stock_keys

    def with_stock_keys(self, keys: Collection[str]) -> Price2BSource:
        """The same source on the same client, reading the stock of ``keys`` with its
        catalog (the sync picks them: the linked products, oldest-read first)."""
        chosen = frozenset(keys)
        return Price2BSource(
            self.client,
            currency=self.currency,
            on_hand=self.on_hand,
            stock_budget=self.stock_budget,
            stock_keys=lambda: chosen,
        )

    def check(self) -> SourceCheck:
        """One product of the list: reachable, latency in ms. Price2B documents no
        "who am I" call, so the account is the product count the token sees."""
        started = time.perf_counter()
        try:
            page = self.client.list_products(per_page=1)
        except Price2BError as error:
            return SourceCheck(reachable=False, error=str(error))
        return SourceCheck(
            reachable=True,
            latency_ms=(time.perf_counter() - started) * 1000,
            account=f"token seeing {page.pagination.total:,} products",
        )

    def fetch_catalog(self, *, on_progress: ProgressCallback | None = None) -> CatalogSnapshot:
        """Every product (status all, one request per 100), with stock for the keys
        ``stock_keys`` names that the list holds, within the budget."""
        products = list(self.client.iter_products(on_page=on_progress))
        items = tuple(_item(p) for p in products)
        prices = tuple(point for p in products for point in _prices(p, self.currency))
        wanted = set(self.stock_keys()) if self.stock_keys else set()
        stock = self.fetch_stock(wanted & {p.id for p in products}).lines
        return CatalogSnapshot(items=items, prices=prices, stock=stock)

    def fetch_stock(self, item_keys: Iterable[str]) -> StockReading:
        """Stock per warehouse of ``item_keys`` (one request each, in key order, at most
        ``stock_budget``); a product gone from Price2B is ``missing``."""
        # Price2B's ids are integers: shorter first keeps them in numeric order, so
        # the keys left over the budget are the same from one run to the next.
        keys = sorted(set(item_keys), key=lambda k: (len(k), k))
        chosen, later = keys[: self.stock_budget], keys[self.stock_budget :]
        lines: list[StockLine] = []
        read, missing = set(), set()
        for key in chosen:
            try:
                lines += stock_lines(self.client.get_stock(key), self.on_hand)
            except NotFoundError:
                missing.add(key)
                continue
            read.add(key)
        return StockReading(tuple(lines), frozenset(read), frozenset(later), frozenset(missing))


def _source(
    settings: Settings, client: Price2BClient, stock_keys: Callable[[], Collection[str]] | None
) -> Price2BSource:
    return Price2BSource(
        client,
        currency=settings.price2b_currency,
        on_hand=settings.price2b_on_hand,
        stock_budget=settings.price2b_stock_budget,
        stock_keys=stock_keys,
    )


def live_price2b(
    settings: Settings, *, stock_keys: Callable[[], Collection[str]] | None = None
) -> Price2BSource | None:
    """The source the settings configure (``PRICE2B_TOKEN`` and the rest), or None when
    no token is set: then Price2B is simply not configured."""
    if settings.price2b_token is None:
        return None
    client = Price2BClient(
        base_url=settings.price2b_base_url,
        token=settings.price2b_token,
        timeout=settings.request_timeout_seconds,
        requests_per_second=settings.price2b_requests_per_second,
    )
    return _source(settings, client, stock_keys)


def demo_price2b(
    settings: Settings, *, stock_keys: Callable[[], Collection[str]] | None = None
) -> Price2BSource:
    """Demo mode's source: the process's embedded Price2B sandbox on its read token."""
    client = Price2BClient(
        base_url=price2b_demo.demo_base_url(),
        token=price2b_demo.DEMO_TOKEN,
        timeout=settings.request_timeout_seconds,
        # The sandbox has no rate limit unless asked: a stock read of the linked
        # products should not take minutes in the demo.
        requests_per_second=DEMO_PER_SECOND,
    )
    return _source(settings, client, stock_keys)
