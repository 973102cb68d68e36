"""Demo mode's link declaration on all four sandboxes' seeded data: one combined group
of namespaces proposes each seeded match once, a PleasureStock product that several
sources carry as one group of all of them, and withholds every ambiguous code."""

from __future__ import annotations

from collections import Counter

from sqlalchemy.orm import Session, sessionmaker

from lib.sandbox.price2b import config as p2b_seeded
from lib.sandbox.psrestful import config as psr_seeded
from lib.sandbox.stock2shop import config as s2s_seeded
from lib.settings import DEMO_EQUAL_SKU_NAMESPACES
from lib.sources.links import links_overview, propose_links
from lib.sources.matching import normalised
from lib.sources.namespaces import parse_equal_namespaces
from lib.sources.records import (
    PLEASURESTOCK,
    PRICE2B,
    PSRESTFUL,
    STOCK2SHOP,
    CatalogSnapshot,
    LinkMember,
)
from lib.sources.sync import sync_source

from .test_source_sync import FixedSource

SessionFactory = sessionmaker[Session]


SEPARATE = (
    "pleasurestock.sku=stock2shop.sku=stock2shop.barcode; pleasurestock.sku=price2b.sku; "
    "pleasurestock.sku=psrestful.sku"
)


def _stored(session_factory: SessionFactory, snapshots: dict[str, CatalogSnapshot]) -> None:
    for key, snapshot in snapshots.items():
        sync_source(FixedSource(key, snapshot), session_factory, actor="sync")


def _groups(session_factory: SessionFactory) -> set[frozenset[LinkMember]]:
    return {v.group.members for v in links_overview(session_factory).proposals}


def test_the_demo_declaration_proposes_every_sources_seeded_share(
    session_factory: SessionFactory,
    ps_snapshot: CatalogSnapshot,
    s2s_snapshot: CatalogSnapshot,
    p2b_snapshot: CatalogSnapshot,
    psr_snapshot: CatalogSnapshot,
) -> None:
    snapshots = {
        PLEASURESTOCK: ps_snapshot,
        STOCK2SHOP: s2s_snapshot,
        PRICE2B: p2b_snapshot,
        PSRESTFUL: psr_snapshot,
    }
    _stored(session_factory, snapshots)
    summary = propose_links(
        session_factory, parse_equal_namespaces(DEMO_EQUAL_SKU_NAMESPACES), actor="ayse"
    )
    proposals = links_overview(session_factory).proposals
    per_source = Counter(m.source for v in proposals for m in v.group.members)
    # A code one source carries twice is withheld from every source: the seeds share
    # some codes, so Price2B loses 3 of its matches and PSRESTful 5 to the others'
    # ambiguous codes (worked out from the codes below); Stock2Shop loses none.
    withheld = _withheld_elsewhere(snapshots)
    assert (withheld[STOCK2SHOP], withheld[PRICE2B], withheld[PSRESTFUL]) == (0, 3, 5)
    assert per_source[STOCK2SHOP] == s2s_seeded.MATCHED_BY_SKU + s2s_seeded.MATCHED_BY_BARCODE
    assert per_source[PRICE2B] == (
        p2b_seeded.MATCHED_BY_SKU + p2b_seeded.MATCHED_BY_FOLDED_SKU - withheld[PRICE2B]
    )
    assert per_source[PSRESTFUL] == psr_seeded.MATCHED_PARTS - withheld[PSRESTFUL]
    assert (per_source[STOCK2SHOP], per_source[PRICE2B], per_source[PSRESTFUL]) == (360, 222, 175)
    # One proposal per PleasureStock product, whichever sources carry it.
    assert per_source[PLEASURESTOCK] == len(proposals) == 719
    assert summary.by_method == {"barcode": s2s_seeded.MATCHED_BY_BARCODE, "sku": 659}
    shapes = Counter(tuple(sorted(m.source for m in v.group.members)) for v in proposals)
    assert shapes[(PLEASURESTOCK, PSRESTFUL, STOCK2SHOP)] == 22
    assert shapes[(PLEASURESTOCK, PRICE2B, PSRESTFUL)] == 16
    # Each ambiguous code's items withheld, its PleasureStock product's included.
    assert summary.ambiguous_items == (
        s2s_seeded.AMBIGUOUS_VARIANTS
        + s2s_seeded.AMBIGUOUS_CODES
        + p2b_seeded.AMBIGUOUS_PRODUCTS
        + p2b_seeded.AMBIGUOUS_CODES
        + psr_seeded.AMBIGUOUS_PARTS
        + psr_seeded.AMBIGUOUS_CODES
        + withheld[PRICE2B]
        + withheld[PSRESTFUL]
    )
    combined = _groups(session_factory)
    # The same namespaces declared as separate groups give the same groups (matching
    # joins a pair to the proposal that already holds its PleasureStock product).
    propose_links(session_factory, parse_equal_namespaces(SEPARATE), actor="ayse")
    assert _groups(session_factory) == combined


def _withheld_elsewhere(snapshots: dict[str, CatalogSnapshot]) -> Counter[str]:
    """Per source, its items whose code matches one PleasureStock product and that the
    source carries once, but that another source carries twice."""
    carried = {
        key: Counter(normalised(c) for i in s.items for c in {i.sku, i.barcode} - {None})
        for key, s in snapshots.items()
    }
    ps_codes = carried.pop(PLEASURESTOCK)
    ambiguous = {c for counts in carried.values() for c, n in counts.items() if n > 1}
    return Counter(
        key
        for key, counts in carried.items()
        for code, n in counts.items()
        if n == 1 and ps_codes[code] == 1 and code in ambiguous
    )
