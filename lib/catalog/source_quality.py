"""Data-quality checks on the sources' stored snapshots (NOTES-peers.md 4.4): which items
of which source have data to question, each with the reason, like ``quality.CHECKS``
does for the catalog table. Pure: snapshots and the confirmed links in, issues out.

What each check reads: Stock2Shop's variant total (``qty``), its warehouses and its
tiers come from the variant's stored ``raw`` (the adapter drops a tier priced 0 from the
price points, and keeps no total); PSRESTful's inventory age from its parts'
``raw["inventoryModified"]``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from lib.catalog.compare import inventory_as_of
from lib.catalog.quality import QualityCheck
from lib.sources.matching import normalised
from lib.sources.records import (
    PRICE2B,
    PSRESTFUL,
    STOCK2SHOP,
    CatalogSnapshot,
    LinkMember,
    SourceItem,
)

UNLINKED = QualityCheck(
    "unlinked",
    "Not linked",
    "The item is in no confirmed link group, so no other source's figures sit beside it.",
)
AMBIGUOUS = QualityCheck(
    "ambiguous-code",
    "Code shared",
    "Another item of the same source has the same SKU or barcode (case and blanks "
    "ignored), so that code cannot be matched to one product.",
)
QTY_MISMATCH = QualityCheck(
    "s2s-qty-mismatch",
    "Stock2Shop total ≠ warehouses",
    "The variant's total quantity (qty) is not the sum of its warehouses' quantities.",
)
ZERO_TIER = QualityCheck(
    "zero-tier",
    "Tier priced 0",
    "A Stock2Shop price tier is priced 0, which means not priced: it is shown as unknown.",
)
STALE_INVENTORY = QualityCheck(
    "stale-inventory",
    "Stale supplier inventory",
    "The supplier's cached availability of the part is older than "
    "PSRESTFUL_INVENTORY_MAX_AGE_HOURS, or its age is not stated.",
)
NO_CURRENCY = QualityCheck(
    "currency-not-configured",
    "Currency not configured",
    "A Stock2Shop price has no currency (STOCK2SHOP_CURRENCY was not set at the sync), or "
    "a Price2B price is in USD while PRICE2B_CURRENCY is unset: Price2B stores USD when "
    "none was given, so USD may be its silent default.",
)
# The sources checked: PleasureStock's items are the catalog itself (its own checks are
# ``quality.CHECKS``), and most of them link to nothing, which is no fault.
CHECKED_SOURCES = (STOCK2SHOP, PRICE2B, PSRESTFUL)
SOURCE_CHECKS = (UNLINKED, AMBIGUOUS, QTY_MISMATCH, ZERO_TIER, STALE_INVENTORY, NO_CURRENCY)


@dataclass(frozen=True)
class SourceIssue:
    """One item a check flags: the check's key, the source and item, and what it found."""

    check: str
    source: str
    item_key: str
    name: str
    detail: str


def source_issues(
    snapshots: Mapping[str, CatalogSnapshot],
    linked: Collection[LinkMember],
    *,
    now: datetime,
    max_inventory_age: timedelta,
    price2b_currency_set: bool,
) -> list[SourceIssue]:
    """Every issue of every check over the ``CHECKED_SOURCES`` among ``snapshots`` (read
    with ``raw``), by check, source and item key. ``linked``: the confirmed groups'
    members; ``price2b_currency_set``: True when PRICE2B_CURRENCY overrides the currency
    Price2B states."""
    issues: list[SourceIssue] = []
    for source in CHECKED_SOURCES:
        if (snapshot := snapshots.get(source)) is None:
            continue
        issues += _unlinked(source, snapshot.items, set(linked))
        issues += _ambiguous(source, snapshot.items)
    s2s = snapshots.get(STOCK2SHOP)
    if s2s is not None:
        issues += [i for item in s2s.items for i in _stock2shop(item)]
        names = {item.item_key: item.name for item in s2s.items}
        no_currency = sorted({p.item_key for p in s2s.prices if p.currency is None})
        issues += [
            SourceIssue(NO_CURRENCY.key, STOCK2SHOP, key, names.get(key, key), "no currency")
            for key in no_currency
        ]
    p2b = snapshots.get(PRICE2B)
    if p2b is not None and not price2b_currency_set:
        names = {item.item_key: item.name for item in p2b.items}
        usd = sorted({p.item_key for p in p2b.prices if p.currency in (None, "USD")})
        issues += [
            SourceIssue(NO_CURRENCY.key, PRICE2B, key, names.get(key, key), "USD, maybe by default")
            for key in usd
        ]
    psr = snapshots.get(PSRESTFUL)
    if psr is not None:
        issues += _stale(psr, now - max_inventory_age)
    order = {check.key: n for n, check in enumerate(SOURCE_CHECKS)}
    return sorted(issues, key=lambda i: (order[i.check], i.source, i.item_key))


def _unlinked(
    source: str, items: Collection[SourceItem], linked: set[LinkMember]
) -> list[SourceIssue]:
    return [
        SourceIssue(UNLINKED.key, source, i.item_key, i.name, "no confirmed link")
        for i in items
        if LinkMember(source, i.item_key) not in linked
    ]


def _ambiguous(source: str, items: Collection[SourceItem]) -> list[SourceIssue]:
    """Items sharing a code with another item of ``source`` (SKU with SKU, barcode with
    barcode: the fields matching compares)."""
    issues = []
    for field in ("sku", "barcode"):
        codes = Counter(normalised(getattr(i, field)) for i in items)
        for item in items:
            code = normalised(getattr(item, field))
            if code and codes[code] > 1:
                detail = f"{field} {getattr(item, field)} on {codes[code]} items"
                issues.append(SourceIssue(AMBIGUOUS.key, source, item.item_key, item.name, detail))
    return issues


def _stock2shop(item: SourceItem) -> list[SourceIssue]:
    """A variant's total against its warehouses, and its tiers priced 0, from ``raw``."""
    raw = item.raw or {}
    issues = []
    warehouses = [w.get("qty") for w in raw.get("qty_availability") or ()]
    total = raw.get("qty")
    if total is not None and warehouses and None not in warehouses and total != sum(warehouses):
        detail = f"qty {total}, warehouses {sum(warehouses)}"
        issues.append(SourceIssue(QTY_MISMATCH.key, STOCK2SHOP, item.item_key, item.name, detail))
    zero = [
        t.get("tier", "")
        for t in raw.get("price_tiers") or ()
        if t.get("price") is not None and Decimal(str(t["price"])) == 0
    ]
    if zero:
        detail = ", ".join(zero)
        issues.append(SourceIssue(ZERO_TIER.key, STOCK2SHOP, item.item_key, item.name, detail))
    return issues


def _stale(snapshot: CatalogSnapshot, cutoff: datetime) -> list[SourceIssue]:
    """Parts with supplier stock whose oldest row is older than ``cutoff`` or undated."""
    stocked = {line.item_key for line in snapshot.stock if line.kind == "supplier"}
    issues = []
    for item in snapshot.items:
        if item.item_key not in stocked:
            continue
        as_of = inventory_as_of(item)
        if as_of is None or as_of < cutoff:
            detail = "no lastModified" if as_of is None else f"as of {as_of:%Y-%m-%d %H:%M} UTC"
            issues.append(
                SourceIssue(STALE_INVENTORY.key, PSRESTFUL, item.item_key, item.name, detail)
            )
    return issues


def issue_counts(issues: Collection[SourceIssue]) -> dict[str, int]:
    """How many items each check flags (every check named, 0 included)."""
    found = Counter(i.check for i in issues)
    return {check.key: found[check.key] for check in SOURCE_CHECKS}
