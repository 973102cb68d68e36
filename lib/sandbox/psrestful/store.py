"""The PSRESTful sandbox's state: the seeded records, the clock inventory times and the
``Date`` header are measured on, and what clients did (requests, rate-limited requests,
every product path id asked for)."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

from lib.sandbox.psrestful.config import PsRestfulSandboxConfig
from lib.sandbox.psrestful.seed import Style, make_seed
from lib.sandbox.stock2shop.clock import SandboxClock

Record = dict[str, Any]


class PsRestfulStore:
    """Seeded from the config's seed and clock; ``lock`` guards test-thread access."""

    def __init__(self, config: PsRestfulSandboxConfig) -> None:
        self.config = config
        self.clock = SandboxClock(config.clock_start(), flows=config.clock_flows)
        self.lock = threading.RLock()
        seeded = make_seed(
            config.seed,
            config.resolved_today(),
            config.ps_product_count,
            self.clock.now(),
            Decimal(config.cad_rate),
        )
        self.suppliers = seeded.suppliers
        self.styles = seeded.styles
        self.by_extra_id = {s.extra_id: s for s in seeded.styles}
        self.inventory = seeded.inventory
        self.mappings = seeded.mappings
        self.requests = 0
        self.rate_limited = 0
        # The {product_id} of every product path asked for: StockDesk sends extraIds only.
        self.product_path_ids: list[str] = []

    def resolve(self, product_id: str) -> Style | None:
        """The product a path id names: an extraId first, else the style code's product
        with the lowest extraId (an assumption: the document does not say)."""
        if product_id.isdigit() and int(product_id) in self.by_extra_id:
            return self.by_extra_id[int(product_id)]
        found = [s for s in self.styles if s.product_id == product_id]
        return min(found, key=lambda s: s.extra_id) if found else None

    def inventory_rows(self, supplier: str) -> list[Record]:
        """One supplier's inventory rows as served now (zero rows gone when they vanish)."""
        with self.lock:
            rows = [r for r in self.inventory if r["_supplier"] == supplier]
        if self.config.zero_rows_vanish:
            rows = [r for r in rows if r["quantityAvailable"] != 0]
        return rows

    def set_quantity(self, supplier: str, part_id: str, warehouse_id: str, quantity: int) -> Record:
        """A supplier's stock change now (on the sandbox clock) for one served part id."""
        with self.lock:
            row = next(
                r
                for r in self.inventory
                if (r["_supplier"], r["partId"], r["warehouseId"])
                == (supplier, part_id, warehouse_id)
            )
            row["quantityAvailable"] = quantity
            row["lastModified"] = self.clock.now().replace(microsecond=0)
            return row
