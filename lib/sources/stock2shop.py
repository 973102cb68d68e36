"""Stock2Shop as a ``Source``: each product's variants as items (with sku and barcode),
the variant's price and named tiers as price points in the currency set in
``STOCK2SHOP_CURRENCY`` (the API never states one: None when it is not set), and its
warehouses as stock lines. Read only: nothing is ever written to Stock2Shop."""

from __future__ import annotations

import time
from collections.abc import Iterable

from lib.sandbox.stock2shop import embedded as stock2shop_demo
from lib.settings import Settings
from lib.sources.records import (
    STOCK2SHOP,
    Capability,
    CatalogSnapshot,
    PricePoint,
    SourceCheck,
    SourceItem,
    StockLine,
)
from lib.sources.source import ProgressCallback
from lib.stock2shop import Stock2ShopClient, Stock2ShopError
from lib.stock2shop.models import Product, Variant


def _item(product: Product, variant: Variant) -> SourceItem:
    name = f"{product.title} — {variant.option1}" if variant.option1 else product.title
    return SourceItem(
        source=STOCK2SHOP,
        item_key=variant.id,
        parent_key=product.id,
        name=name,
        sku=variant.sku.strip() or None,
        barcode=variant.barcode.strip() or None,
        category_path=tuple(c for c in (product.collection,) if c),
        brand=product.vendor or None,
        active=product.active and variant.active,
        updated_at=product.modified,
        raw=variant.model_dump(mode="json"),
    )


def _prices(variant: Variant, currency: str | None) -> list[PricePoint]:
    """The price and each tier that has one; a tier priced 0 means "not set" (skipped)."""
    points = (
        [] if variant.price is None else [PricePoint(variant.id, "price", variant.price, currency)]
    )
    return points + [
        PricePoint(variant.id, f"tier:{tier.tier}", tier.amount, currency)
        for tier in variant.price_tiers
        if tier.amount is not None
    ]


def _stock(variant: Variant) -> list[StockLine]:
    """One line per warehouse; a variant whose stock Stock2Shop does not track has its
    warehouses with unknown quantities. Reserved and available are not documented."""
    return [
        StockLine(
            item_key=variant.id,
            warehouse_key=warehouse.description,
            warehouse_name=warehouse.description,
            on_hand=warehouse.qty if variant.stock_known else None,
        )
        for warehouse in variant.qty_availability
    ]


def catalog_snapshot(products: Iterable[Product], currency: str | None) -> CatalogSnapshot:
    """Stock2Shop products as variant items, price points and warehouse stock lines."""
    items, prices, stock = [], [], []
    for product in products:
        for variant in product.variants:
            items.append(_item(product, variant))
            prices += _prices(variant, currency)
            stock += _stock(variant)
    return CatalogSnapshot(items=tuple(items), prices=tuple(prices), stock=tuple(stock))


class Stock2ShopSource:
    """Our own shop data: variants, price tiers and stock per warehouse."""

    key = STOCK2SHOP
    label = "Stock2Shop"
    capabilities = frozenset(
        {Capability.CATALOG, Capability.PRICES, Capability.OWN_STOCK, Capability.SALES_HISTORY}
    )

    def __init__(self, client: Stock2ShopClient, *, currency: str | None) -> None:
        self.client = client
        self.currency = currency

    def check(self) -> SourceCheck:
        """Log in: reachable, latency in ms, the user and roles, a warning for an admin."""
        started = time.perf_counter()
        try:
            session = self.client.authenticate()
        except Stock2ShopError as error:
            return SourceCheck(reachable=False, error=str(error))
        roles = ", ".join(session.roles) or "no role (admin)"
        return SourceCheck(
            reachable=True,
            latency_ms=(time.perf_counter() - started) * 1000,
            account=f"{session.username} ({roles})",
            warning=session.warning,
        )

    def fetch_catalog(self, *, on_progress: ProgressCallback | None = None) -> CatalogSnapshot:
        """Every product's variants (the whole catalog, paged within the 10,000 cap)."""
        products = []
        for count, product in enumerate(self.client.iter_products(), start=1):
            products.append(product)
            if on_progress and count % 100 == 0:
                on_progress(count, 0)  # the search's total is not known up front
        return catalog_snapshot(products, self.currency)


def live_stock2shop(settings: Settings) -> Stock2ShopSource | None:
    """The source the settings configure (``STOCK2SHOP_USERNAME`` and the rest), or None
    when no username is set: then Stock2Shop is simply not configured."""
    if settings.stock2shop_username is None:
        return None
    client = Stock2ShopClient(
        base_url=settings.stock2shop_base_url,
        username=settings.stock2shop_username,
        password=settings.stock2shop_password,
        timeout=settings.request_timeout_seconds,
    )
    return Stock2ShopSource(client, currency=settings.stock2shop_currency)


def demo_stock2shop(settings: Settings) -> Stock2ShopSource:
    """Demo mode's source: the process's embedded Stock2Shop sandbox on its read-only login."""
    user = stock2shop_demo.DEMO_USER
    client = Stock2ShopClient(
        base_url=stock2shop_demo.demo_base_url(),
        username=user.username,
        password=user.password,
        timeout=settings.request_timeout_seconds,
    )
    return Stock2ShopSource(client, currency=settings.stock2shop_currency)
