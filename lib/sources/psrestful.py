"""PSRESTful as a ``Source``: the configured suppliers' parts as items (keyed
``supplier:productId:partId``, since a style code is unique only within a supplier), each
product's quantity breaks as list, net and customer price points in the currency the
answer states, and the suppliers' cached inventory as supplier stock lines, joined to
parts through the part-id map. Each row's ``lastModified`` (the only sign of the cache's
age) is kept in its part's ``raw["inventoryModified"]`` by warehouse key, so the stock
table needs no column for it. Read only: PSRESTful has nothing to write."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace

from lib.psrestful import PsRestfulClient, PsRestfulError
from lib.psrestful.models import InventoryRow, PartIdMapping, PriceList, ProductDetail
from lib.sandbox.psrestful.config import SUPPLIERS
from lib.sandbox.psrestful.embedded import DEMO_API_KEY, demo_base_url
from lib.settings import Settings
from lib.sources.records import (
    PSRESTFUL,
    Capability,
    CatalogSnapshot,
    PricePoint,
    SourceCheck,
    SourceItem,
    StockLine,
)
from lib.sources.source import ProgressCallback

logger = logging.getLogger("stockdesk.psrestful")
# Part key -> warehouse key -> the row's lastModified (ISO text, None when unstated).
Modified = dict[str, dict[str, str | None]]
INVENTORY_MODIFIED = "inventoryModified"
_KINDS = (("list", "list_price"), ("net", "net_price"), ("customer", "customer_price"))


def item_key(supplier_code: str, product_id: str, part_id: str) -> str:
    """A part's key: the supplier code, the style code and the part id."""
    return f"{supplier_code}:{product_id}:{part_id}"


@dataclass(frozen=True)
class UnjoinedRow:
    """An inventory row whose part id matches no part, directly or through the map."""

    supplier_code: str
    part_id: str
    warehouse_id: str


def _items(detail: ProductDetail) -> list[SourceItem]:
    parent = f"{detail.supplier_code}:{detail.product_id}"
    items = []
    for part in detail.parts:
        label = " / ".join(x for x in (part.color, part.size) if x)
        items.append(
            SourceItem(
                source=PSRESTFUL,
                item_key=item_key(detail.supplier_code, detail.product_id, part.part_id),
                parent_key=parent,
                name=f"{detail.name} — {label}" if label else detail.name,
                sku=part.part_id.strip() or None,
                category_path=tuple(detail.categories),
                brand=detail.brand,
                supplier_code=detail.supplier_code,
                images=tuple(i for i in (detail.image_url,) if i),
                raw={
                    "extraId": detail.extra_id,
                    "supplierCode": detail.supplier_code,
                    "productId": detail.product_id,
                    "partId": part.part_id,
                    "color": part.color,
                    "size": part.size,
                },
            )
        )
    return items


def _prices(keys: list[str], prices: PriceList) -> list[PricePoint]:
    """Every break of every kind the answer has, for each part (breaks are per product);
    a kind the answer leaves out (customer without credentials) is no price point."""
    return [
        PricePoint(key, kind, amount, prices.currency, b.min_quantity, b.max_quantity)
        for key in keys
        for b in prices.price_breaks
        for kind, name in _KINDS
        if (amount := getattr(b, name)) is not None
    ]


def _stock(
    supplier: str,
    rows: list[InventoryRow],
    parts: dict[str, str],
    mappings: list[PartIdMapping],
) -> tuple[list[StockLine], list[UnjoinedRow], Modified]:
    """Inventory rows as supplier stock lines of the parts they name, by ``partId``
    first, then through the map's ``invId`` (NOTES-peers.md 2.5.6); rows that join
    nothing are returned apart, never guessed. A part without a row stays unknown.
    Also each joined row's ``lastModified`` (ISO, None when unstated) by part and
    warehouse key."""
    by_inv = {m.inv_id: m.ppc_id for m in mappings if m.inv_id and m.ppc_id}
    lines: list[StockLine] = []
    unjoined: list[UnjoinedRow] = []
    modified: Modified = {}
    for row in rows:
        key = parts.get(row.part_id) or parts.get(by_inv.get(row.part_id, ""))
        if key is None:
            unjoined.append(UnjoinedRow(supplier, row.part_id, row.warehouse_id))
            continue
        warehouse = f"{supplier}:{row.warehouse_id}"
        lines.append(
            StockLine(
                item_key=key,
                warehouse_key=warehouse,
                warehouse_name=row.warehouse_name or row.warehouse_id,
                available=row.quantity_available,
                kind="supplier",
            )
        )
        stamp = row.last_modified.isoformat() if row.last_modified else None
        modified.setdefault(key, {})[warehouse] = stamp
    return lines, unjoined, modified


def _with_modified(items: list[SourceItem], modified: Modified) -> list[SourceItem]:
    """``items`` with their inventory rows' ``lastModified`` in ``raw["inventoryModified"]``."""
    return [
        replace(i, raw={**i.raw, INVENTORY_MODIFIED: modified[i.item_key]})
        if i.item_key in modified
        else i
        for i in items
    ]


class PsRestfulSource:
    """Supplier catalogs: parts, quantity price breaks and cached supplier availability."""

    key = PSRESTFUL
    label = "PSRESTful"
    capabilities = frozenset({Capability.CATALOG, Capability.PRICES, Capability.SUPPLIER_STOCK})

    def __init__(
        self, client: PsRestfulClient, *, supplier_codes: tuple[str, ...], currency: str = "USD"
    ) -> None:
        self.client = client
        self.supplier_codes = supplier_codes
        self.currency = currency
        # The inventory rows of the last catalog read that joined no part (a data check).
        self.unjoined: tuple[UnjoinedRow, ...] = ()

    def check(self) -> SourceCheck:
        """List the suppliers: reachable, latency, and any configured code PSRESTful lacks."""
        started = time.perf_counter()
        try:
            known = {s.code.casefold() for s in self.client.suppliers()}
        except PsRestfulError as error:
            return SourceCheck(reachable=False, error=str(error))
        missing = [c for c in self.supplier_codes if c.casefold() not in known]
        return SourceCheck(
            reachable=True,
            latency_ms=(time.perf_counter() - started) * 1000,
            account=f"API key; suppliers {', '.join(self.supplier_codes) or 'none set'}",
            warning=f"PSRESTful has no supplier {', '.join(missing)}." if missing else None,
        )

    def fetch_catalog(self, *, on_progress: ProgressCallback | None = None) -> CatalogSnapshot:
        """Every configured supplier's parts, price breaks and inventory; one product
        detail and one price call per product (the list carries neither)."""
        listed = {code: self.client.products(code) for code in self.supplier_codes}
        total = sum(len(p) for p in listed.values())
        items: list[SourceItem] = []
        prices: list[PricePoint] = []
        stock: list[StockLine] = []
        unjoined: list[UnjoinedRow] = []
        done = 0
        for code, products in listed.items():
            parts: dict[str, str] = {}
            supplier_items: list[SourceItem] = []
            for product in products:
                detail = self.client.product(product.extra_id)
                found = _items(detail)
                supplier_items += found
                parts |= {i.raw["partId"]: i.item_key for i in found}
                breaks = self.client.price_breaks(product.extra_id, currency=self.currency)
                prices += _prices([i.item_key for i in found], breaks)
                done += 1
                if on_progress:
                    on_progress(done, total)
            reading = self.client.inventory(code)
            lines, missed, modified = _stock(
                code, reading.rows, parts, self.client.part_id_mappings(code)
            )
            items += _with_modified(supplier_items, modified)
            stock += lines
            unjoined += missed
        if unjoined:
            logger.warning("%d PSRESTful inventory rows join no part", len(unjoined))
        self.unjoined = tuple(unjoined)
        return CatalogSnapshot(items=tuple(items), prices=tuple(prices), stock=tuple(stock))


def live_psrestful(settings: Settings) -> PsRestfulSource | None:
    """The source the settings configure (``PSRESTFUL_API_KEY`` and the rest), or None
    when no key is set: then PSRESTful is simply not configured."""
    if settings.psrestful_api_key is None:
        return None
    client = PsRestfulClient(
        base_url=settings.psrestful_base_url,
        api_key=settings.psrestful_api_key,
        timeout=settings.request_timeout_seconds,
        requests_per_second=settings.psrestful_requests_per_second,
    )
    return PsRestfulSource(
        client, supplier_codes=settings.psrestful_suppliers, currency=settings.psrestful_currency
    )


def demo_psrestful() -> PsRestfulSource:
    """The source on demo mode's embedded sandbox: every seeded supplier, in USD."""
    client = PsRestfulClient(base_url=demo_base_url(), api_key=DEMO_API_KEY, requests_per_second=4)
    return PsRestfulSource(client, supplier_codes=SUPPLIERS)
