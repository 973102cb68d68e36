"""PleasureStock as a ``Source``: its catalog as items (keyed by ps id) and its price,
TCC and TSP as price points, read through the existing client."""

from __future__ import annotations

import time
from collections.abc import Sequence

from lib.pleasurestock import PleasureStockClient, PleasureStockError
from lib.pleasurestock.models import Product
from lib.sources.records import (
    PLEASURESTOCK,
    Capability,
    CatalogSnapshot,
    PricePoint,
    SourceCheck,
    SourceItem,
)
from lib.sources.source import ProgressCallback


def catalog_snapshot(products: Sequence[Product]) -> CatalogSnapshot:
    """PleasureStock products as normalised items and price points (a disabled TCC or
    TSP, or one without an amount, is no price point: unknown, not 0)."""
    items = []
    prices = []
    for product in products:
        key = product.internal_id
        items.append(
            SourceItem(
                source=PLEASURESTOCK,
                item_key=key,
                name=product.name,
                sku=product.sku.strip() or None,
                category_path=tuple(
                    c for c in (product.category_name_en or product.category_name,) if c
                ),
                supplier_code=product.supplier_id,
                images=tuple(product.images),
                updated_at=product.updated_at,
                raw=product.model_dump(mode="json"),
            )
        )
        candidates = (
            ("price", product.price, product.currency, True),
            ("tcc", product.tcc_total_cost, product.tcc_currency, product.tcc_enabled),
            ("tsp", product.tsp_value, product.tsp_currency, product.tsp_enabled),
        )
        prices += [
            PricePoint(item_key=key, kind=kind, amount=amount, currency=currency)
            for kind, amount, currency, enabled in candidates
            if amount is not None and enabled is not False
        ]
    return CatalogSnapshot(items=tuple(items), prices=tuple(prices))


class PleasureStockSource:
    """The primary source: catalog and prices here; sales, recommendations, orders and
    webhooks stay with the nouns that already use the client."""

    key = PLEASURESTOCK
    label = "PleasureStock"
    capabilities = frozenset(
        {
            Capability.CATALOG,
            Capability.PRICES,
            Capability.SALES_PUSH,
            Capability.RECOMMENDATIONS,
            Capability.PURCHASE_ORDERS,
            Capability.WEBHOOKS,
        }
    )

    def __init__(self, client: PleasureStockClient) -> None:
        self.client = client

    def check(self) -> SourceCheck:
        """One product page: reachable, latency in ms."""
        started = time.perf_counter()
        try:
            self.client.list_products(limit=1)
        except PleasureStockError as error:
            return SourceCheck(reachable=False, error=str(error))
        return SourceCheck(reachable=True, latency_ms=(time.perf_counter() - started) * 1000)

    def fetch_catalog(self, *, on_progress: ProgressCallback | None = None) -> CatalogSnapshot:
        """The whole catalog with category, TCC and TSP."""
        return catalog_snapshot(
            self.client.fetch_catalog(include_all=True, on_progress=on_progress)
        )
