"""PSRESTful as a third source, on the sandboxes' seeded data: the full read's cost in
requests, parts keyed by supplier, breaks as price points, supplier stock joined through
the part map (a missing row is unknown), link proposals in the exact seeded shares, and
a sync that is one transaction and keeps the previous snapshot when a fetch fails."""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker

from lib.db import UnitOfWork
from lib.psrestful import AuthenticationError
from lib.sandbox.psrestful import RunningPsRestfulSandbox
from lib.sandbox.psrestful import config as seeded
from lib.sandbox.psrestful.seed import inv_id
from lib.sources.links import links_overview, propose_links
from lib.sources.namespaces import parse_equal_namespaces
from lib.sources.price_breaks import price_at, units_to_next_break
from lib.sources.psrestful import INVENTORY_MODIFIED, PsRestfulSource
from lib.sources.records import PLEASURESTOCK, PSRESTFUL, STOCK2SHOP, CatalogSnapshot
from lib.sources.sync import source_status, sync_source

from .conftest import psrestful_source
from .test_source_sync import FixedSource, counts

SessionFactory = sessionmaker[Session]
PS_EQUALS_PSR = parse_equal_namespaces("pleasurestock.sku=psrestful.sku")


def test_a_full_read_costs_the_requests_its_pages_and_products_need(
    psr_sandbox: RunningPsRestfulSandbox, psr_source: PsRestfulSource, psr_snapshot: CatalogSnapshot
) -> None:
    store = psr_sandbox.store
    expected = 0
    for code in seeded.SUPPLIERS:
        products = sum(1 for s in store.styles if s.supplier == code)
        inventory = len(store.inventory_rows(code))
        mappings = sum(1 for m in store.mappings if m["_supplier"] == code)
        # list pages + (detail + prices) per product + the Date read + inventory and map pages
        expected += math.ceil(products / 50) + 2 * products + 1
        expected += math.ceil(inventory / 50) + math.ceil(mappings / 50)
    assert psr_source.client.requests_sent == expected
    assert len(psr_snapshot.items) == seeded.PART_COUNT


def test_parts_are_keyed_by_supplier_and_priced_per_break(
    psr_snapshot: CatalogSnapshot,
) -> None:
    keys = [i.item_key for i in psr_snapshot.items]
    assert len(set(keys)) == len(keys)
    assert all(
        k.split(":")[0] == i.supplier_code for k, i in zip(keys, psr_snapshot.items, strict=True)
    )
    # One style code at two suppliers gives two items, never one.
    skus = Counter(i.sku for i in psr_snapshot.items)
    assert sum(1 for n in skus.values() if n == 2) == seeded.AMBIGUOUS_CODES
    kinds = Counter((p.kind, p.item_key.split(":")[0]) for p in psr_snapshot.prices)
    assert {s for k, s in kinds if k == "customer"} == set(seeded.WITH_CREDENTIALS)
    assert {p.currency for p in psr_snapshot.prices} == {"USD"}


def test_price_at_a_quantity_follows_each_suppliers_last_break(
    psr_snapshot: CatalogSnapshot,
) -> None:
    def net(supplier: str) -> list:
        key = next(i.item_key for i in psr_snapshot.items if i.supplier_code == supplier)
        return [p for p in psr_snapshot.prices if p.item_key == key and p.kind == "net"]

    bounded, open_ended = net("SanMar"), net("HIT")
    assert price_at(bounded, 143) is not None and price_at(bounded, 144) is None
    assert price_at(open_ended, 5000) == price_at(open_ended, 72)
    assert units_to_next_break(bounded, 10) == 2
    assert isinstance(price_at(bounded, 1), Decimal)


def test_supplier_stock_joins_through_the_part_map_and_misses_stay_unknown(
    psr_sandbox: RunningPsRestfulSandbox, psr_source: PsRestfulSource, psr_snapshot: CatalogSnapshot
) -> None:
    store = psr_sandbox.store
    mapped = {(m["_supplier"], m["ppcId"]) for m in store.mappings}
    unmapped = {
        (s.supplier, p["partId"])
        for s in store.styles
        for p in s.parts
        if seeded.INVENTORY_PART_IDS[s.supplier] == "inv"
        and (s.supplier, p["partId"]) not in mapped
    }
    assert len(unmapped) == 2 * seeded.UNMAPPED_PER_INV_SUPPLIER
    served = {(code, r["partId"]) for code in seeded.SUPPLIERS for r in store.inventory_rows(code)}
    expected_unjoined = {(c, inv_id(p)) for c, p in unmapped} & served
    assert {(u.supplier_code, u.part_id) for u in psr_source.unjoined} == expected_unjoined
    assert all(line.kind == "supplier" and line.on_hand is None for line in psr_snapshot.stock)
    joined = len(served) - len(expected_unjoined)
    assert len(psr_snapshot.stock) == sum(
        len(store.inventory_rows(c)) for c in seeded.SUPPLIERS
    ) - len(psr_source.unjoined)
    assert joined > 0
    # A part with no row (zero stock vanished, or unmapped) has no line: unknown, not 0.
    stocked = {line.item_key for line in psr_snapshot.stock}
    assert len(stocked) < seeded.PART_COUNT


def _store(session_factory: SessionFactory, *snapshots: tuple[str, CatalogSnapshot]) -> None:
    for key, snapshot in snapshots:
        sync_source(FixedSource(key, snapshot), session_factory, actor="sync")


def test_link_proposals_are_the_seeded_shares_exactly(
    session_factory: SessionFactory, ps_snapshot: CatalogSnapshot, psr_snapshot: CatalogSnapshot
) -> None:
    _store(session_factory, (PLEASURESTOCK, ps_snapshot), (PSRESTFUL, psr_snapshot))
    assert propose_links(session_factory, (), actor="ayse").proposed == 0
    summary = propose_links(session_factory, PS_EQUALS_PSR, actor="ayse")
    assert summary.by_method == {"sku": seeded.MATCHED_PARTS}
    # Each ambiguous code: two parts and the PleasureStock product, all withheld.
    assert summary.ambiguous_items == seeded.AMBIGUOUS_PARTS + seeded.AMBIGUOUS_CODES
    assert summary.items_per_source[PSRESTFUL] == seeded.PART_COUNT


def test_a_third_source_links_beside_stock2shop(
    session_factory: SessionFactory,
    ps_snapshot: CatalogSnapshot,
    s2s_snapshot: CatalogSnapshot,
    psr_snapshot: CatalogSnapshot,
) -> None:
    _store(
        session_factory,
        (PLEASURESTOCK, ps_snapshot),
        (STOCK2SHOP, s2s_snapshot),
        (PSRESTFUL, psr_snapshot),
    )
    # One group: an item belongs to one open proposal, so a PleasureStock product that
    # both others carry is proposed as one group of three.
    declared = parse_equal_namespaces(
        "pleasurestock.sku=stock2shop.sku=stock2shop.barcode=psrestful.sku"
    )
    propose_links(session_factory, declared, actor="ayse")
    ps_skus = {p.sku for p in ps_snapshot.items}
    s2s_codes = Counter(c for i in s2s_snapshot.items for c in {i.sku, i.barcode} - {None})
    psr_skus = Counter(i.sku for i in psr_snapshot.items if i.sku in ps_skus)
    # A code any one source carries twice is withheld for every source.
    linkable = {c for c, n in psr_skus.items() if n == 1 and s2s_codes[c] <= 1}
    assert len(linkable) == seeded.MATCHED_PARTS - sum(
        1 for c, n in psr_skus.items() if n == 1 and s2s_codes[c] > 1
    )
    with_psr = [
        v for v in links_overview(session_factory).proposals if v.item_of(PSRESTFUL) is not None
    ]
    assert {v.group.code for v in with_psr} == {c.casefold() for c in linkable}
    three = [v for v in with_psr if v.item_of(STOCK2SHOP) is not None]
    assert len(three) == sum(1 for c in linkable if s2s_codes[c] == 1)
    assert three and all(len(v.group.members) == 3 for v in three)


def test_a_sync_stores_the_snapshot_and_a_failed_one_keeps_it(
    session_factory: SessionFactory,
    psr_sandbox: RunningPsRestfulSandbox,
    psr_snapshot: CatalogSnapshot,
) -> None:
    sync_source(FixedSource(PSRESTFUL, psr_snapshot), session_factory, actor="ayse")
    stored = counts(session_factory, PSRESTFUL)
    assert stored == (seeded.PART_COUNT, len(psr_snapshot.prices), len(psr_snapshot.stock))
    refused = psrestful_source(psr_sandbox.base_url, api_key="psr_live_Revoked000000001")
    with pytest.raises(AuthenticationError):
        sync_source(refused, session_factory, actor="ayse")
    refused.client.close()
    assert counts(session_factory, PSRESTFUL) == stored
    status = source_status(session_factory, PSRESTFUL)
    assert status.last_sync is not None and status.last_sync.status == "failed"
    assert "psr_live_Revoked000000001" not in (status.last_sync.error or "")
    with UnitOfWork(session_factory) as uow:
        lines = uow.sources.stock(PSRESTFUL)
    assert {line.kind for line in lines} == {"supplier"}
    assert all(line.on_hand is None for line in lines)


def test_each_inventory_rows_last_modified_is_kept_with_its_part(
    session_factory: SessionFactory,
    psr_sandbox: RunningPsRestfulSandbox,
    psr_snapshot: CatalogSnapshot,
) -> None:
    served: dict[tuple[str, str], set[datetime]] = {}
    for code in seeded.SUPPLIERS:
        for row in psr_sandbox.store.inventory_rows(code):
            served.setdefault((code, f"{code}:{row['warehouseId']}"), set()).add(
                row["lastModified"]
            )
    sync_source(FixedSource(PSRESTFUL, psr_snapshot), session_factory, actor="sync")
    with UnitOfWork(session_factory) as uow:
        parts = {i.item_key: i for i in uow.sources.items(PSRESTFUL, with_raw=True)}
    for line in psr_snapshot.stock:
        item = parts[line.item_key]
        stamp = item.raw[INVENTORY_MODIFIED][line.warehouse_key]
        assert datetime.fromisoformat(stamp) in served[(item.supplier_code, line.warehouse_key)]
    stocked = {line.item_key for line in psr_snapshot.stock}
    assert all(INVENTORY_MODIFIED not in i.raw for k, i in parts.items() if k not in stocked)
