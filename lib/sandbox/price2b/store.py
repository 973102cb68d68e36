"""The Price2B sandbox's state: the seeded products with their stock per warehouse, the
tokens, and what clients did (requests by kind, rate-limited requests, write calls)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta
from typing import Any

from lib.sandbox.price2b.config import WAREHOUSES, Price2BSandboxConfig
from lib.sandbox.price2b.seed import category_ids, make_products
from lib.sandbox.stock2shop.clock import SandboxClock

Record = dict[str, Any]
_WAREHOUSE_NAMES = dict(WAREHOUSES)


class Price2BStore:
    """Seeded from the config's seed and day; ``lock`` guards test-thread access."""

    def __init__(self, config: Price2BSandboxConfig) -> None:
        self.config = config
        self.clock = SandboxClock(config.clock_start(), flows=config.clock_flows)
        self.lock = threading.RLock()
        products = make_products(
            config.seed,
            config.resolved_today(),
            self.clock.now(),
            config.ps_product_count,
            config.products,
        )
        self._products: dict[int, Record] = {p["id"]: p for p in products}
        self.category_ids = category_ids(products)
        self.requests = 0
        # Requests by what they asked for: "list", "detail", "stock", "write", "other".
        self.by_kind: Counter[str] = Counter()
        self.rate_limited = 0
        # (method, path) of every write a client sent: StockDesk must send none.
        self.write_calls: list[tuple[str, str]] = []

    # Tokens -------------------------------------------------------------------------

    def scope_of(self, token: str | None) -> str | None:
        """The scope of a known token that has not expired, or None."""
        scope = self.config.tokens.get(token or "")
        ttl = self.config.token_ttl_seconds
        if scope is None or (
            ttl is not None
            and self.clock.now() >= self.config.clock_start() + timedelta(seconds=ttl)
        ):
            return None
        return scope

    # Reading ------------------------------------------------------------------------

    def listed(self) -> list[Record]:
        """Every product not soft-deleted, in ascending id order."""
        with self.lock:
            return [
                self._products[k]
                for k in sorted(self._products)
                if not self._products[k]["deleted"]
            ]

    def product(self, product_id: int) -> Record | None:
        """A product that is not soft-deleted, or None."""
        with self.lock:
            found = self._products.get(product_id)
        return None if found is None or found["deleted"] else found

    def stock_rows(self, product: Record) -> list[Record]:
        """The product's warehouses as the stock endpoint names them."""
        return [
            {
                "warehouse_id": wid,
                "warehouse_name": _WAREHOUSE_NAMES[wid],
                "quantity": quantity,
                "reserved": reserved,
                "available": quantity - reserved,
            }
            for wid, (quantity, reserved) in sorted(product["stock"].items())
        ]

    # Changes (tests, and a write-scoped token's stock adjust) -------------------------

    def soft_delete(self, product_id: int) -> None:
        """Mark a product deleted: gone from the list, its detail and stock 404."""
        with self.lock:
            self._products[product_id]["deleted"] = True

    def adjust(
        self, product_id: int, warehouse_id: int, adjustment: int, kind: str
    ) -> tuple[int, int]:
        """Apply a stock adjustment (add, subtract or set on quantity); (previous, new)."""
        with self.lock:
            stock = self._products[product_id]["stock"]
            previous, reserved = stock.get(warehouse_id, (0, 0))
            new = {"add": previous + adjustment, "subtract": previous - adjustment}.get(
                kind, adjustment
            )
            stock[warehouse_id] = (new, min(reserved, max(new, 0)))
            return previous, new
