"""Stock2Shop prices beside linked PleasureStock products: a tier priced 0 is unknown, a
product with several variants keeps them all, no configured currency stays None, an
unlinked product gets nothing; the source filter and the columns' place and visibility."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from lib.access.policy import Role, hide_cost_columns
from lib.catalog.filters import CatalogFilters, FilterOptions, filter_mask, unknown_link_values
from lib.catalog.source_prices import (
    LINKED,
    LinkedVariant,
    linked_prices,
    source_price_columns,
)
from lib.catalog.table import COLUMN_LABELS, labelled
from lib.sources.records import PLEASURESTOCK, STOCK2SHOP, LinkMember, PricePoint, SourceItem


def ps(ps_id: str) -> LinkMember:
    return LinkMember(PLEASURESTOCK, ps_id)


def s2s(key: str) -> LinkMember:
    return LinkMember(STOCK2SHOP, key)


ITEMS = [
    SourceItem(STOCK2SHOP, "v1", "Oil", sku="AB-1"),
    SourceItem(STOCK2SHOP, "v2", "Oil, pack of 3", sku="AB-1-3"),
    SourceItem(STOCK2SHOP, "v9", "Unlinked", sku="ZZ"),
]
POINTS = [
    PricePoint("v1", "price", Decimal("125.50"), "ZAR"),
    PricePoint("v1", "tier:Wholesale", Decimal("84.125"), "ZAR"),
    PricePoint("v1", "tier:Was", Decimal("0"), "ZAR"),  # "no was-price", not free
    PricePoint("v2", "price", Decimal("330"), "ZAR"),
    PricePoint("v2", "tier:Was", Decimal("399.99"), "ZAR"),
    PricePoint("v9", "price", Decimal("1"), "ZAR"),
]


def test_a_tier_priced_zero_is_unknown_and_so_is_a_tier_the_variant_lacks() -> None:
    prices = linked_prices([(ps("ps-1"), s2s("v1"))], ITEMS, POINTS)
    [variant] = prices.by_product["ps-1"]
    assert variant == LinkedVariant(
        "v1",
        "AB-1",
        True,
        Decimal("125.50"),
        {"Wholesale": Decimal("84.125"), "Was": None},
        "ZAR",
    )
    assert prices.tiers == ("Was", "Wholesale")

    prices = linked_prices([(ps("ps-2"), s2s("v2"))], ITEMS, POINTS)
    columns = source_price_columns(pd.Series(["ps-2"]), prices).iloc[0]
    assert columns["s2s_tier:Was"] == Decimal("399.99")
    assert prices.tiers == ("Was",)  # only the tiers linked variants carry


def test_a_product_linked_to_several_variants_keeps_each_and_shows_the_first() -> None:
    groups = [(ps("ps-1"), s2s("v2")), (ps("ps-1"), s2s("v1")), (ps("ps-1"), s2s("gone"))]
    prices = linked_prices(groups, ITEMS, POINTS)
    # In the snapshot first, then by key; the one gone from the snapshot has no prices.
    assert [v.item_key for v in prices.by_product["ps-1"]] == ["v1", "v2", "gone"]
    gone = prices.by_product["ps-1"][2]
    assert (gone.in_snapshot, gone.price, gone.tiers, gone.sku) == (False, None, {}, None)

    row = source_price_columns(pd.Series(["ps-1"]), prices).iloc[0]
    assert (row["s2s_item"], row["s2s_sku"], row["s2s_price"]) == ("v1", "AB-1", Decimal("125.50"))
    assert (row["s2s_tier:Wholesale"], row["s2s_tier:Was"]) == (Decimal("84.125"), None)
    assert row["s2s_variants"] == 3


def test_without_a_configured_currency_amounts_have_none_and_say_so() -> None:
    points = [PricePoint("v1", "price", Decimal("10"), None)]
    prices = linked_prices([(ps("ps-1"), s2s("v1"))], ITEMS, points)
    assert prices.by_product["ps-1"][0].currency is None
    assert prices.without_currency
    assert not linked_prices([(ps("ps-1"), s2s("v1"))], ITEMS, POINTS).without_currency


def test_an_unlinked_product_has_no_stock2shop_values() -> None:
    # A group without a PleasureStock member links no product.
    prices = linked_prices([(ps("ps-1"), s2s("v1")), (s2s("v9"),)], ITEMS, POINTS)
    frame = source_price_columns(pd.Series(["ps-1", "ps-2"], index=[10, 11]), prices)
    assert list(frame.index) == [10, 11]
    assert frame[LINKED].tolist() == [True, False]
    unlinked = frame.loc[11]
    assert unlinked["s2s_variants"] == 0
    assert unlinked.drop([LINKED, "s2s_variants"]).isna().all()


def test_no_link_at_all_adds_only_the_linked_flag() -> None:
    frame = source_price_columns(pd.Series(["ps-1"]), linked_prices([], ITEMS, POINTS))
    assert list(frame.columns) == [LINKED]


def _table() -> pd.DataFrame:
    """Two catalog rows in the table's columns, the first linked to v1."""
    base = {
        "ps_id": ["ps-1", "ps-2"],
        "sku": ["AB-1", "CD-2"],
        "name": ["Oil", "Gel"],
        "category_en": ["Oils", "Gels"],
        "category_ru": ["Масла", "Гели"],
        "supplier": ["Lovetoy", "Lovetoy"],
        "supplier_id": ["12", "12"],
        "tcc_enabled": [True, True],
        "tsp_enabled": [True, True],
        "search_text": ["oil", "gel"],
    }
    others = {c: [None, None] for c in COLUMN_LABELS if c not in base and c != "category"}
    table = pd.DataFrame(base | others, dtype=object)
    prices = linked_prices([(ps("ps-1"), s2s("v1"))], ITEMS, POINTS)
    return table.join(source_price_columns(table["ps_id"], prices))


def test_the_source_filter_keeps_linked_or_unlinked_products() -> None:
    table = _table()
    for choice, expected in (
        ("linked", ["ps-1"]),
        ("unlinked", ["ps-2"]),
        ("any", ["ps-1", "ps-2"]),
    ):
        mask = filter_mask(table, CatalogFilters(source=choice))  # type: ignore[arg-type]
        assert table[mask]["ps_id"].tolist() == expected


def test_a_source_link_value_not_offered_is_named() -> None:
    options = FilterOptions(categories=[], suppliers=[], currencies=[])
    asked = {"source": ["stock2shop"], "category": []}
    assert unknown_link_values(asked, options) == {"source": ["stock2shop"]}
    assert unknown_link_values({"source": ["Linked to Stock2Shop"]}, options) == {}


def test_stock2shop_columns_follow_tsp_and_only_tiers_count_as_costs() -> None:
    exported = labelled(_table(), "en")
    headings = list(exported.columns)
    after_tsp = headings[headings.index("TSP currency") + 1 :][:7]
    assert after_tsp == [
        "Stock2Shop variant id",
        "Stock2Shop SKU",
        "Stock2Shop price",
        "Stock2Shop Was tier",
        "Stock2Shop Wholesale tier",
        "Stock2Shop currency",
        "Stock2Shop variants",
    ]
    assert exported.loc[0, "Stock2Shop Wholesale tier"] == Decimal("84.125")  # exact
    assert "Stock2Shop variant id" not in labelled(_table(), "en", ids=False).columns

    staff = hide_cost_columns(exported, Role.STAFF).columns
    assert "Stock2Shop price" in staff  # the shop's own selling price, like TSP
    assert not [h for h in staff if h.endswith(" tier")]
