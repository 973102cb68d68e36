"""The Catalog's compare rows: each source's price in its own currency, TRY only with a
rate, PSRESTful at one unit or its first break and never past the last, own stock summed
with unknown kept unknown, and the supplier's availability with its oldest row's time."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pandas as pd

from lib.catalog.compare import compare_frame, compare_labelled, supplier_price
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

RATES = {"USD": Decimal("34.5"), "EUR": Decimal("37"), "TRY": Decimal(1)}
PART = "SanMar:PC61:PC61-BLK-S"
OLD, NEW = "2026-03-01T08:00:00+00:00", "2026-03-02T09:30:00+00:00"


def breaks(key: str, kind: str, currency: str, *rows: tuple[int, int | None, str]) -> list:
    return [PricePoint(key, kind, Decimal(a), currency, lo, hi) for lo, hi, a in rows]


def ps_table(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    """Catalog-table rows: ps id, name, price and currency (TCC/TSP in the same currency)."""
    return pd.DataFrame(
        [
            {
                "ps_id": ps_id,
                "name": name,
                "price": Decimal(price),
                "currency": currency,
                "tcc": Decimal(price) * 2,
                "tcc_currency": currency,
                "tcc_try": None,
                "tsp": Decimal("41.00"),
                "tsp_currency": currency,
                "tsp_try": None,
            }
            for ps_id, name, price, currency in rows
        ],
        dtype=object,
    )


def group(**keys: str) -> frozenset[LinkMember]:
    return frozenset(LinkMember(source, key) for source, key in keys.items())


SNAPSHOTS = {
    STOCK2SHOP: CatalogSnapshot(
        (SourceItem(STOCK2SHOP, "v1", "Oil one"),),
        prices=(PricePoint("v1", "price", Decimal("125.50"), "ZAR"),),
        stock=(StockLine("v1", "JHB", "JHB", on_hand=4), StockLine("v1", "CPT", "CPT", on_hand=3)),
    ),
    PRICE2B: CatalogSnapshot(
        (SourceItem(PRICE2B, "17", "Oil"), SourceItem(PRICE2B, "18", "Gel")),
        prices=(
            PricePoint("17", "price", Decimal("9.995"), "EUR"),
            PricePoint("18", "price", Decimal("3"), "USD"),
        ),
        stock=(
            StockLine("17", "w1", "Main", on_hand=10, reserved=2, available=8),
            StockLine("17", "w2", "Back", on_hand=5, reserved=None, available=None),
        ),
    ),
    PSRESTFUL: CatalogSnapshot(
        (
            SourceItem(
                PSRESTFUL,
                PART,
                "Tee — Black / S",
                raw={"inventoryModified": {"SanMar:WH1": NEW, "SanMar:WH2": OLD}},
            ),
            SourceItem(PSRESTFUL, "HIT:7:7-R", "Mug — Red"),
        ),
        prices=(
            *breaks(PART, "net", "CAD", (1, 11, "4.18"), (12, 35, "3.84")),
            *breaks(PART, "list", "CAD", (1, 11, "5.98")),
            *breaks("HIT:7:7-R", "net", "USD", (12, 35, "2.00"), (36, 71, "1.80")),
            *breaks("HIT:7:7-R", "customer", "USD", (12, 35, "1.90")),
        ),
        stock=(
            StockLine(PART, "SanMar:WH1", "Dallas", available=120, kind="supplier"),
            StockLine(PART, "SanMar:WH2", "Reno", available=30, kind="supplier"),
        ),
    ),
}


def frame() -> pd.DataFrame:
    groups = [
        group(pleasurestock="ps-1", stock2shop="v1", price2b="17", psrestful=PART),
        group(pleasurestock="ps-2", price2b="18", psrestful="HIT:7:7-R"),
        group(stock2shop="v9", price2b="99"),  # no PleasureStock product; both gone
    ]
    table = ps_table(("ps-1", "Oil", "10.00", "USD"), ("ps-2", "Mug", "8.00", "CAD"))
    return compare_frame(groups, table, SNAPSHOTS, RATES.get).set_index("ps_id", drop=False)


def test_each_price_stays_in_its_own_currency_and_try_needs_a_rate() -> None:
    rows = frame()
    one = rows.loc["ps-1"]
    assert (one["ps_price"], one["ps_currency"], one["ps_price_try"]) == (
        Decimal("10.00"),
        "USD",
        Decimal("345.000"),
    )
    assert (one["tcc"], one["tsp"]) == (Decimal("20.00"), Decimal("41.00"))
    assert (one["s2s_price"], one["s2s_currency"], one["s2s_price_try"]) == (
        Decimal("125.50"),
        "ZAR",
        None,
    )
    assert (one["p2b_price"], one["p2b_currency"]) == (Decimal("9.995"), "EUR")
    assert one["p2b_price_try"] == Decimal("369.815")  # exact: rounded only where shown
    # CAD has no rate: the amount stays, in CAD, with no TRY value.
    assert (one["psr_price"], one["psr_kind"], one["psr_currency"]) == (
        Decimal("4.18"),
        "net",
        "CAD",
    )
    assert one["psr_price_try"] is None
    assert (one["psr_quantity"], one["psr_next_quantity"]) == (1, 12)
    assert rows.loc["ps-2", "ps_price_try"] is None


def test_psrestful_prefers_the_customer_price_at_its_first_break() -> None:
    mug = frame().loc["ps-2"]
    assert (mug["psr_price"], mug["psr_kind"], mug["psr_quantity"]) == (
        Decimal("1.90"),
        "customer",
        12,
    )
    assert mug["psr_next_quantity"] is None  # no cheaper customer break follows
    assert mug["psr_price_try"] == Decimal("65.550")


def test_no_supplier_price_past_the_last_break() -> None:
    points = breaks(PART, "net", "USD", (1, 11, "4.18"), (12, 35, "3.84"))
    assert supplier_price(points, 35).amount == Decimal("3.84")
    assert supplier_price(points, 36) is None
    assert supplier_price(points, 12).next_quantity is None


def test_own_stock_is_summed_and_unknown_stays_unknown() -> None:
    rows = frame()
    assert rows.loc["ps-1", "s2s_stock"] == 7
    assert rows.loc["ps-1", "p2b_on_hand"] == 15
    assert rows.loc["ps-1", "p2b_available"] is None  # one warehouse does not say
    assert rows.loc["ps-2", "p2b_on_hand"] is None  # no stock read for product 18
    assert rows.loc["ps-2", "s2s_stock"] is None  # no Stock2Shop item in the group


def test_supplier_availability_is_summed_with_its_oldest_row_time() -> None:
    rows = frame()
    assert rows.loc["ps-1", "supplier_available"] == 150
    assert rows.loc["ps-1", "supplier_as_of"] == datetime(2026, 3, 1, 8, tzinfo=UTC)
    assert rows.loc["ps-2", "supplier_available"] is None  # no row: unknown, not 0
    assert rows.loc["ps-2", "supplier_as_of"] is None


def test_a_group_without_a_product_or_items_left_is_a_row_of_unknowns() -> None:
    rows = frame().reset_index(drop=True)
    assert rows["ps_id"].tolist() == [None, "ps-1", "ps-2"]
    gone = rows.iloc[0]
    assert gone["name"] is None
    assert all(gone[c] is None for c in ("s2s_price", "p2b_price", "s2s_stock", "p2b_on_hand"))


def test_costs_are_left_out_for_a_role_without_see_costs() -> None:
    shown = compare_labelled(frame(), see_costs=False).columns
    assert "TSP" in shown and "Stock2Shop price" in shown
    assert not {"TCC", "TCC (TRY)", "PleasureStock price", "PSRESTful price"} & set(shown)
    assert "TCC" in compare_labelled(frame(), see_costs=True).columns
