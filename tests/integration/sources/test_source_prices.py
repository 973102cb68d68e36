"""Stock2Shop's linked prices read from storage, and the cache key the Catalog keeps them
under: it changes with a Stock2Shop sync, a confirmed link and an undone one."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session, sessionmaker

from lib.catalog.source_prices import stock2shop_prices, stock2shop_prices_key
from lib.db import UnitOfWork
from lib.settings import DEMO_EQUAL_SKU_NAMESPACES
from lib.sources.links import confirm_links, propose_links, reject_link
from lib.sources.namespaces import parse_equal_namespaces
from lib.sources.records import (
    PLEASURESTOCK,
    STOCK2SHOP,
    CatalogSnapshot,
    PricePoint,
    SourceItem,
)
from lib.sources.sync import sync_source

from .test_source_sync import FixedSource

SessionFactory = sessionmaker[Session]
PS = CatalogSnapshot(
    tuple(SourceItem(PLEASURESTOCK, f"ps-{n}", f"Oil {n}", sku=f"AB-{n}") for n in (1, 2))
)
S2S = CatalogSnapshot(
    (
        SourceItem(STOCK2SHOP, "v1", "Oil one", sku="AB-1"),
        SourceItem(STOCK2SHOP, "v2", "Oil two", sku="AB-2"),
    ),
    prices=(
        PricePoint("v1", "price", Decimal("125.50"), "ZAR"),
        PricePoint("v1", "tier:Wholesale", Decimal("84.13"), "ZAR"),
        PricePoint("v2", "price", Decimal("99.00"), "ZAR"),
    ),
)


def propose(session_factory: SessionFactory) -> dict[str, str]:
    """Both snapshots stored and their links proposed: ps id -> proposal's group id."""
    for key, snapshot in ((PLEASURESTOCK, PS), (STOCK2SHOP, S2S)):
        sync_source(FixedSource(key, snapshot), session_factory, actor="sync")
    propose_links(session_factory, parse_equal_namespaces(DEMO_EQUAL_SKU_NAMESPACES), actor="test")
    with UnitOfWork(session_factory) as uow:
        groups = uow.links.groups(["proposed"])
    return {m.item_key: g.group_id for g in groups for m in g.members if m.source == PLEASURESTOCK}


def test_only_confirmed_links_bring_prices_and_each_change_moves_the_key(
    session_factory: SessionFactory,
) -> None:
    groups = propose(session_factory)
    assert stock2shop_prices(session_factory).by_product == {}
    keys = [stock2shop_prices_key(session_factory)]

    confirm_links(session_factory, [groups["ps-1"]], actor="ayse")
    [variant] = stock2shop_prices(session_factory).by_product["ps-1"]
    assert (variant.item_key, variant.price, variant.tiers, variant.currency) == (
        "v1",
        Decimal("125.50"),
        {"Wholesale": Decimal("84.13")},
        "ZAR",
    )
    keys.append(stock2shop_prices_key(session_factory))

    confirm_links(session_factory, [groups["ps-2"]], actor="ayse")
    assert set(stock2shop_prices(session_factory).by_product) == {"ps-1", "ps-2"}
    keys.append(stock2shop_prices_key(session_factory))

    reject_link(session_factory, groups["ps-1"], actor="ayse")  # undo a confirmed link
    assert set(stock2shop_prices(session_factory).by_product) == {"ps-2"}
    keys.append(stock2shop_prices_key(session_factory))

    sync_source(FixedSource(STOCK2SHOP, S2S), session_factory, actor="sync")
    keys.append(stock2shop_prices_key(session_factory))
    assert len(set(keys)) == len(keys), keys
