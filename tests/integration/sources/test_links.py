"""Product links through the services, on the two sandboxes' seeded data: the exact
shares that match by SKU and by barcode, ambiguous codes never proposed, unmatched ones
never; bulk confirm, reject, and links that outlive a sync or their item."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from sqlalchemy.orm import Session, sessionmaker

from lib.db import UnitOfWork
from lib.sandbox.stock2shop import config as seeded
from lib.settings import DEMO_EQUAL_SKU_NAMESPACES
from lib.sources.links import confirm_links, links_overview, propose_links, reject_link
from lib.sources.namespaces import parse_equal_namespaces
from lib.sources.records import PLEASURESTOCK, STOCK2SHOP, CatalogSnapshot
from lib.sources.sync import sync_source

from .test_source_sync import FixedSource

SessionFactory = sessionmaker[Session]
DECLARED = parse_equal_namespaces(DEMO_EQUAL_SKU_NAMESPACES)


def seeded_shares(ps: CatalogSnapshot, s2s: CatalogSnapshot) -> dict[str, set[str]]:
    """The Stock2Shop variant keys of each seeded share, worked out from the codes alone."""
    ps_skus = {i.sku for i in ps.items}
    carried = Counter(c for i in s2s.items for c in {i.sku, i.barcode} - {None})
    shares: dict[str, set[str]] = {
        "sku": set(),
        "barcode": set(),
        "ambiguous": set(),
        "none": set(),
    }
    for item in s2s.items:
        hits = {item.sku, item.barcode} & ps_skus
        if not hits:
            shares["none"].add(item.item_key)
        elif any(carried[c] > 1 for c in hits):
            shares["ambiguous"].add(item.item_key)
        else:
            shares["sku" if item.sku in hits else "barcode"].add(item.item_key)
    return shares


def store(session_factory: SessionFactory, ps: CatalogSnapshot, s2s: CatalogSnapshot) -> None:
    for key, snapshot in ((PLEASURESTOCK, ps), (STOCK2SHOP, s2s)):
        sync_source(FixedSource(key, snapshot), session_factory, actor="sync")


@pytest.fixture
def whole(
    session_factory: SessionFactory, ps_snapshot: CatalogSnapshot, s2s_snapshot: CatalogSnapshot
) -> SessionFactory:
    """Both sources' whole snapshots stored."""
    store(session_factory, ps_snapshot, s2s_snapshot)
    return session_factory


@pytest.fixture
def stored(
    session_factory: SessionFactory, ps_snapshot: CatalogSnapshot, s2s_snapshot: CatalogSnapshot
) -> SessionFactory:
    """Stock2Shop's whole snapshot and the PleasureStock products whose SKU some variant
    carries (the rest can match nothing), which keeps these tests quick."""
    codes = {c for i in s2s_snapshot.items for c in (i.sku, i.barcode)}
    carried = tuple(i for i in ps_snapshot.items if i.sku in codes)
    store(session_factory, replace(ps_snapshot, items=carried, prices=()), s2s_snapshot)
    return session_factory


def proposed_variants(session_factory: SessionFactory) -> dict[str, set[str]]:
    """Stock2Shop variant keys of the open proposals, by method."""
    found: dict[str, set[str]] = {"sku": set(), "barcode": set()}
    for view in links_overview(session_factory).proposals:
        linked = view.item_of(STOCK2SHOP)
        assert linked is not None and view.item_of(PLEASURESTOCK) is not None
        found[view.group.method].add(linked.member.item_key)
    return found


def test_proposals_are_the_seeded_shares_exactly(
    whole: SessionFactory, ps_snapshot: CatalogSnapshot, s2s_snapshot: CatalogSnapshot
) -> None:
    summary = propose_links(whole, DECLARED, actor="ayse")
    shares = seeded_shares(ps_snapshot, s2s_snapshot)
    assert summary.by_method == {"sku": seeded.MATCHED_BY_SKU, "barcode": seeded.MATCHED_BY_BARCODE}
    proposed = proposed_variants(whole)
    assert proposed["sku"] == shares["sku"] and len(proposed["sku"]) == seeded.MATCHED_BY_SKU
    assert proposed["barcode"] == shares["barcode"]
    assert len(proposed["barcode"]) == seeded.MATCHED_BY_BARCODE
    everything = proposed["sku"] | proposed["barcode"]
    assert len(shares["ambiguous"]) == seeded.AMBIGUOUS_VARIANTS
    assert not everything & shares["ambiguous"]
    assert len(shares["none"]) == seeded.UNMATCHED and not everything & shares["none"]
    # The ambiguous variants' PleasureStock products are withheld too: one code, three items.
    assert summary.ambiguous_items == seeded.AMBIGUOUS_VARIANTS + seeded.AMBIGUOUS_CODES


def test_nothing_is_proposed_by_sku_until_the_namespaces_are_declared_equal(
    stored: SessionFactory,
) -> None:
    # PleasureStock has no barcodes, so without a declaration no code is shared.
    assert propose_links(stored, (), actor="ayse").proposed == 0
    only_skus = parse_equal_namespaces("pleasurestock.sku=stock2shop.sku")
    assert propose_links(stored, only_skus, actor="ayse").by_method == {
        "sku": seeded.MATCHED_BY_SKU
    }


def test_confirmed_links_are_kept_out_of_new_proposals_and_survive_a_sync(
    stored: SessionFactory, s2s_snapshot: CatalogSnapshot
) -> None:
    propose_links(stored, DECLARED, actor="ayse")
    first = links_overview(stored).proposals[:5]
    assert confirm_links(stored, [v.group.group_id for v in first], actor="mehmet") == 5
    # Confirming again confirms nothing more.
    assert confirm_links(stored, [first[0].group.group_id], actor="mehmet") == 0
    sync_source(FixedSource(STOCK2SHOP, s2s_snapshot), stored, actor="sync")
    summary = propose_links(stored, DECLARED, actor="ayse")
    overview = links_overview(stored)
    assert summary.proposed == seeded.MATCHED_BY_SKU + seeded.MATCHED_BY_BARCODE - 5
    assert {v.group.group_id for v in overview.confirmed} == {v.group.group_id for v in first}
    assert {v.group.confirmed_by for v in overview.confirmed} == {"mehmet"}
    assert not any(v.missing for v in overview.confirmed)
    with UnitOfWork(stored) as uow:
        actions = Counter(e.action for e in uow.audit.recent(limit=20))
    assert actions["links.confirm"] == 1 and actions["links.propose"] == 2


def test_a_confirmed_link_whose_item_disappeared_is_kept_and_flagged(
    stored: SessionFactory, s2s_snapshot: CatalogSnapshot
) -> None:
    propose_links(stored, DECLARED, actor="ayse")
    view = links_overview(stored).proposals[0]
    confirm_links(stored, [view.group.group_id], actor="mehmet")
    gone = view.item_of(STOCK2SHOP)
    assert gone is not None
    without = replace(
        s2s_snapshot,
        items=tuple(i for i in s2s_snapshot.items if i.item_key != gone.member.item_key),
    )
    sync_source(FixedSource(STOCK2SHOP, without), stored, actor="sync")
    propose_links(stored, DECLARED, actor="ayse")
    [kept] = links_overview(stored).confirmed
    assert kept.group.group_id == view.group.group_id and kept.missing
    still = kept.item_of(STOCK2SHOP)
    assert still is not None and still.item is None


def test_a_rejected_proposal_is_not_proposed_again(stored: SessionFactory) -> None:
    propose_links(stored, DECLARED, actor="ayse")
    view = links_overview(stored).proposals[0]
    assert reject_link(stored, view.group.group_id, actor="mehmet")
    assert not reject_link(stored, view.group.group_id, actor="mehmet")
    propose_links(stored, DECLARED, actor="ayse")
    members = {frozenset(v.group.members) for v in links_overview(stored).proposals}
    assert frozenset(view.group.members) not in members
    assert len(members) == seeded.MATCHED_BY_SKU + seeded.MATCHED_BY_BARCODE - 1


def test_an_open_proposal_keeps_its_id_when_proposals_are_made_again(
    stored: SessionFactory,
) -> None:
    propose_links(stored, DECLARED, actor="ayse")
    before = {v.group.group_id for v in links_overview(stored).proposals}
    propose_links(stored, DECLARED, actor="ayse")
    assert {v.group.group_id for v in links_overview(stored).proposals} == before
