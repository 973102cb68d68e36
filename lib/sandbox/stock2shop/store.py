"""The Stock2Shop sandbox's state: seeded records, what the search index sees, tokens,
and what clients did (requests, rate-limited requests, queue calls).

The live record is what ``system_products``/``system_orders`` show. The index holds
the version search filters match, which catches up with a change ``index_lag_seconds``
later on the sandbox clock. A change replaces the live record with a new dict, so the
index keeps the old one until then.
"""

from __future__ import annotations

import copy
import secrets
import threading
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from lib.sandbox.stock2shop.clock import SandboxClock
from lib.sandbox.stock2shop.config import SandboxUser, Stock2ShopSandboxConfig
from lib.sandbox.stock2shop.seed import (
    make_orders,
    make_products,
    new_order,
    order_line,
    ps_catalog,
    stamp,
    total_order,
)

PRODUCTS = "products"
ORDERS = "orders"
Record = dict[str, Any]


class Stock2ShopStore:
    """Seeded from the config's seed and clock; ``lock`` guards test-thread access."""

    def __init__(self, config: Stock2ShopSandboxConfig) -> None:
        self.config = config
        self.clock = SandboxClock(config.clock_start(), flows=config.clock_flows)
        self.lock = threading.RLock()
        now = self.clock.now()
        self._rng = np.random.default_rng([config.seed, 2])
        ps = ps_catalog(config.seed, config.resolved_today(), config.ps_product_count)
        products = make_products(self._rng, ps, now, config.variants)
        orders = make_orders(
            self._rng,
            products,
            now,
            config.order_days,
            config.orders_per_day,
            config.daily_orders,
        )
        self._live: dict[str, dict[int, Record]] = {
            PRODUCTS: {p["id"]: p for p in products},
            ORDERS: {o["id"]: o for o in orders},
        }
        self._indexed = {kind: dict(records) for kind, records in self._live.items()}
        self._pending: list[tuple[datetime, str, int]] = []
        self._tokens: dict[str, tuple[SandboxUser, datetime]] = {}
        self.requests = 0
        self.rate_limited = 0
        # (method, path) of every queue write a client sent: StockDesk must send none.
        self.write_calls: list[tuple[str, str]] = []

    # Tokens -------------------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> tuple[SandboxUser, str] | None:
        """A new token for the user with these credentials, or None."""
        user = next(
            (u for u in self.config.users if u.username == username and u.password == password),
            None,
        )
        if user is None:
            return None
        token = secrets.token_hex(20)
        expires = self.clock.now() + timedelta(seconds=self.config.token_ttl_seconds)
        with self.lock:
            self._tokens[token] = (user, expires)
        return user, token

    def user_for(self, token: str | None) -> SandboxUser | None:
        """The user a token belongs to while it has neither expired nor been revoked."""
        with self.lock:
            found = self._tokens.get(token or "")
        if found is None or self.clock.now() >= found[1]:
            return None
        return found[0]

    def revoke_tokens(self) -> None:
        """Make every token issued so far invalid (as if they had all expired)."""
        with self.lock:
            self._tokens.clear()

    # Reading ------------------------------------------------------------------------

    def live(self, kind: str, record_id: int) -> Record:
        """The current record (what system_products / system_orders show)."""
        with self.lock:
            return self._live[kind][record_id]

    def all_live(self, kind: str) -> list[Record]:
        """Every current record of ``kind``, in id order."""
        with self.lock:
            return [self._live[kind][k] for k in sorted(self._live[kind])]

    def searchable(self, kind: str) -> list[Record]:
        """The records as the search index sees them now (changes older than the lag)."""
        now = self.clock.now()
        with self.lock:
            due = [p for p in self._pending if p[0] <= now]
            self._pending = [p for p in self._pending if p[0] > now]
            for _, due_kind, record_id in due:
                self._indexed[due_kind][record_id] = self._live[due_kind][record_id]
            return list(self._indexed[kind].values())

    # Changes (tests and the demo call these) -----------------------------------------

    def change_order(
        self, order_id: int, *, status: str | None = None, quantities: dict[int, int] | None = None
    ) -> Record:
        """Change an order's status and/or line quantities (line id -> qty) now."""
        with self.lock:
            order = copy.deepcopy(self._live[ORDERS][order_id])
            if status is not None:
                order["status"] = status
            for line in order["line_items"]:
                if quantities and line["id"] in quantities:
                    variant = {"price": line["price"], "sku": line["sku"], "grams": line["grams"]}
                    variant["id"] = line["variant_id"]
                    line.update(order_line(line["id"], variant, quantities[line["id"]]))
            total_order(order)
            return self._store(ORDERS, order)

    def add_order(self, status: str = "ordered") -> Record:
        """A new order placed now, on a random channel, of seeded variants."""
        with self.lock:
            orders = self._live[ORDERS]
            order_id = max(orders) + 1
            line_id = max(line["id"] for o in orders.values() for line in o["line_items"]) + 1
            sellable = [
                v for p in self._live[PRODUCTS].values() if p["active"] for v in p["variants"]
            ]
            order = new_order(self._rng, order_id, line_id, self.clock.now(), status, sellable)
            return self._store(ORDERS, order)

    def change_product(self, product_id: int, **fields: Any) -> Record:
        """Change a product's fields now (``active=False`` deactivates it)."""
        with self.lock:
            product = copy.deepcopy(self._live[PRODUCTS][product_id])
            product.update(fields)
            return self._store(PRODUCTS, product)

    def _store(self, kind: str, record: Record) -> Record:
        now = self.clock.now()
        record["modified"] = stamp(now)
        self._live[kind][record["id"]] = record
        lag = timedelta(seconds=self.config.index_lag_seconds)
        self._pending.append((now + lag, kind, record["id"]))
        return record
