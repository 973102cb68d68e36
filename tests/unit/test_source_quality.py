"""Data-quality checks on the sources: unlinked items, codes shared within a source,
Stock2Shop's total against its warehouses, tiers priced 0, stale or undated supplier
inventory, and currencies nobody configured."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from lib.catalog.source_quality import issue_counts, source_issues
from lib.sources.records import (
    PRICE2B,
    PSRESTFUL,
    STOCK2SHOP,
    CatalogSnapshot,
    LinkMember,
    PricePoint,
    SourceItem,
    StockLine,
)

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)
FRESH = "2026-03-02T09:00:00+00:00"


def variant(
    key: str, sku: str, qty: int | None, warehouses: list[int | None], tiers: dict
) -> SourceItem:
    raw = {
        "qty": qty,
        "qty_availability": [{"description": f"W{n}", "qty": q} for n, q in enumerate(warehouses)],
        "price_tiers": [{"tier": name, "price": price} for name, price in tiers.items()],
    }
    return SourceItem(STOCK2SHOP, key, f"Variant {key}", sku=sku, raw=raw)


def part(key: str, modified: dict[str, str | None]) -> SourceItem:
    return SourceItem(PSRESTFUL, key, f"Part {key}", raw={"inventoryModified": modified})


SNAPSHOTS = {
    STOCK2SHOP: CatalogSnapshot(
        (
            variant("v1", "AB-1", 7, [4, 3], {"Wholesale": "84.13", "Was": "0"}),
            variant("v2", "ab-1 ", 9, [4, 3], {"Was": "120.00"}),
            variant("v3", "AB-3", None, [1], {}),  # no total: nothing to compare
        ),
        prices=(PricePoint("v1", "price", Decimal("125.50"), None),),
    ),
    PRICE2B: CatalogSnapshot(
        (SourceItem(PRICE2B, "17", "Oil", sku="P-17"), SourceItem(PRICE2B, "18", "Gel")),
        prices=(
            PricePoint("17", "price", Decimal("9.99"), "EUR"),
            PricePoint("18", "price", Decimal("3"), "USD"),
        ),
    ),
    PSRESTFUL: CatalogSnapshot(
        (
            part("S:1:a", {"S:WH1": FRESH}),  # 3 h old: fresh
            part(
                "S:1:b",
                {"S:WH1": "2026-03-02T09:00:00+00:00", "S:WH2": "2026-03-01T00:00:00+00:00"},
            ),
            part("S:1:c", {"S:WH1": None}),
            part("S:1:d", {}),  # no inventory row at all: unknown, not stale
        ),
        stock=tuple(
            StockLine(key, "S:WH1", "Dallas", available=5, kind="supplier")
            for key in ("S:1:a", "S:1:b", "S:1:c")
        ),
    ),
}
LINKED = {LinkMember(STOCK2SHOP, "v1"), LinkMember(PRICE2B, "17"), LinkMember(PSRESTFUL, "S:1:a")}


def issues(*, price2b_currency_set: bool = False) -> dict[str, set[tuple[str, str]]]:
    found = source_issues(
        SNAPSHOTS,
        LINKED,
        now=NOW,
        max_inventory_age=timedelta(hours=6),
        price2b_currency_set=price2b_currency_set,
    )
    by_check: dict[str, set[tuple[str, str]]] = {}
    for issue in found:
        by_check.setdefault(issue.check, set()).add((issue.source, issue.item_key))
    return by_check


def test_every_check_names_the_items_it_flags() -> None:
    found = issues()
    assert found["unlinked"] == {
        (STOCK2SHOP, "v2"),
        (STOCK2SHOP, "v3"),
        (PRICE2B, "18"),
        (PSRESTFUL, "S:1:b"),
        (PSRESTFUL, "S:1:c"),
        (PSRESTFUL, "S:1:d"),
    }
    assert found["ambiguous-code"] == {(STOCK2SHOP, "v1"), (STOCK2SHOP, "v2")}
    assert found["s2s-qty-mismatch"] == {(STOCK2SHOP, "v2")}
    assert found["zero-tier"] == {(STOCK2SHOP, "v1")}
    assert found["stale-inventory"] == {(PSRESTFUL, "S:1:b"), (PSRESTFUL, "S:1:c")}
    assert found["currency-not-configured"] == {(STOCK2SHOP, "v1"), (PRICE2B, "18")}


def test_a_configured_price2b_currency_is_not_questioned() -> None:
    assert issues(price2b_currency_set=True)["currency-not-configured"] == {(STOCK2SHOP, "v1")}


def test_counts_name_every_check_and_details_say_what_was_found() -> None:
    found = source_issues(
        SNAPSHOTS, LINKED, now=NOW, max_inventory_age=timedelta(hours=6), price2b_currency_set=True
    )
    assert issue_counts(found) == {
        "unlinked": 6,
        "ambiguous-code": 2,
        "s2s-qty-mismatch": 1,
        "zero-tier": 1,
        "stale-inventory": 2,
        "currency-not-configured": 1,
    }
    details = {(i.check, i.item_key): i.detail for i in found}
    assert details[("s2s-qty-mismatch", "v2")] == "qty 9, warehouses 7"
    assert details[("zero-tier", "v1")] == "Was"
    assert details[("stale-inventory", "S:1:b")] == "as of 2026-03-01 00:00 UTC"
    assert details[("stale-inventory", "S:1:c")] == "no lastModified"
    assert details[("ambiguous-code", "v1")] == "sku AB-1 on 2 items"
    assert issue_counts([]) == dict.fromkeys(issue_counts(found), 0)
