"""Reorder's linked sources with hand-checked numbers: our own stock summed over
warehouses (unknown when any is), the disagreement mark, and a PSRESTful supplier's offer
at the proposed quantity (exactly at a break, past the last, CAD without a rate)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from pydantic import ValidationError

from lib.access.policy import Role, visible_columns
from lib.db import LinkGroup
from lib.reorder.own_stock import stock_disagrees, with_own_stock
from lib.reorder.supplier_offers import (
    OFFER_COLUMNS,
    linked_offers,
    offer_line,
    with_supplier_offers,
)
from lib.sales.channel_pull import ChannelRules
from lib.settings import Settings, parse_supplier_map
from lib.sources.own_stock import choose_stock_keys, linked_keys, own_stock_by_product
from lib.sources.records import (
    PLEASURESTOCK,
    PRICE2B,
    PSRESTFUL,
    STOCK2SHOP,
    LinkMember,
    PricePoint,
    SourceItem,
    StockLine,
)
from lib.ui.reorder_view import COLUMNS

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PART = "SanMar:PC61:PC61-BLK-S"


def group(*members: tuple[str, str], state: str = "confirmed") -> LinkGroup:
    return LinkGroup(
        group_id="-".join(k for _, k in members),
        method="sku",
        code="X",
        state=state,  # type: ignore[arg-type]
        members=tuple(LinkMember(s, k) for s, k in members),
        proposed_at=AT,
        confirmed_by="ayse",
        confirmed_at=AT,
    )


def line(item: str, warehouse: str, on_hand: int | None, reserved: int | None = 0) -> StockLine:
    available = None if on_hand is None or reserved is None else on_hand - reserved
    return StockLine(item, warehouse, warehouse, on_hand, reserved, available)


def rate(currency: str) -> Decimal | None:
    return {"USD": Decimal("34.50"), "TRY": Decimal(1)}.get(currency)


def breaks(currency: str = "USD", last_max: int | None = 35) -> list[PricePoint]:
    """The document's example: 4.18 net for 1–11 units, 3.84 for 12–35."""
    return [
        PricePoint(PART, "net", Decimal("4.18"), currency, 1, 11),
        PricePoint(PART, "net", Decimal("3.84"), currency, 12, last_max),
        PricePoint(PART, "list", Decimal("5.98"), currency, 1, None),
    ]


# -- own stock ---------------------------------------------------------------------------


def test_own_stock_is_summed_over_warehouses_and_items_by_us() -> None:
    groups = [group((PLEASURESTOCK, "ps_1"), (PRICE2B, "101"), (PRICE2B, "102"))]
    lines = [line("101", "1", 100, 5), line("101", "2", 20, 0), line("102", "1", 7, 2)]
    stock = own_stock_by_product(groups, lines, PRICE2B)["ps_1"]
    assert (stock.on_hand, stock.reserved, stock.available) == (127, 7, 120)
    assert len(stock.warehouses) == 3


def test_one_unknown_warehouse_or_an_unread_item_makes_the_figure_unknown() -> None:
    groups = [
        group((PLEASURESTOCK, "ps_1"), (PRICE2B, "101")),
        group((PLEASURESTOCK, "ps_2"), (PRICE2B, "201"), (PRICE2B, "202")),
    ]
    lines = [line("101", "1", 10, 1), line("101", "2", 4, None), line("201", "1", 3, 0)]
    found = own_stock_by_product(groups, lines, PRICE2B)
    # Reserved unknown in one warehouse: on hand is still known, reserved and available not.
    assert (found["ps_1"].on_hand, found["ps_1"].reserved, found["ps_1"].available) == (
        14,
        None,
        None,
    )
    # Item 202 was not read that day: nothing about ps_2 is known, and it is never 0.
    assert (found["ps_2"].on_hand, found["ps_2"].available) == (None, None)


def test_only_confirmed_links_to_one_product_count() -> None:
    groups = [
        group((PLEASURESTOCK, "ps_1"), (PRICE2B, "101"), state="proposed"),
        group((PLEASURESTOCK, "ps_2"), (PLEASURESTOCK, "ps_3"), (PRICE2B, "102")),
    ]
    assert own_stock_by_product(groups, [line("101", "1", 5), line("102", "1", 5)], PRICE2B) == {}
    assert linked_keys(groups, PRICE2B) == {"102"}


@pytest.mark.parametrize(
    ("own", "recommended", "marked"),
    [
        (100, 100, False),
        (100, 91, False),  # 9 units apart but within 10 % of 100
        (100, 89, True),  # 11 units and 11 %
        (5, 3, False),  # 40 % apart, but only 2 units
        (5, 2, True),  # 3 units and 60 %
        (0, 3, True),
        (None, 50, False),  # unknown is shown unknown, never marked
    ],
)
def test_the_disagreement_mark(own: int | None, recommended: int, marked: bool) -> None:
    assert stock_disagrees(own, recommended) is marked


def test_reorder_lines_get_our_stock_beside_the_recommendations() -> None:
    groups = [group((PLEASURESTOCK, "ps_1"), (PRICE2B, "101"))]
    own = own_stock_by_product(groups, [line("101", "1", 40, 4)], PRICE2B)
    proposal = pd.DataFrame({"ps_id": ["ps_1", "ps_2"], "stock": [12, 7]})
    shown = with_own_stock(proposal, own)
    assert shown["own_on_hand"].tolist() == [40, pd.NA]
    assert shown["own_available"].tolist() == [36, pd.NA]
    assert shown["own_linked"].tolist() == [True, False]
    assert shown["own_disagrees"].tolist() == [True, False]


def test_the_budget_reads_never_read_first_then_the_oldest() -> None:
    read_at = {"7": AT, "12": AT.replace(hour=8), "100": AT.replace(hour=10)}
    linked = ["100", "12", "7", "9", "30"]
    assert choose_stock_keys(linked, read_at, 3) == ["9", "30", "12"]
    assert choose_stock_keys(linked, read_at, 10) == ["9", "30", "12", "7", "100"]
    assert choose_stock_keys(linked, read_at, 0) == []


# -- supplier offers ---------------------------------------------------------------------


def offers(points: list[PricePoint], stock: list[StockLine] | None = None) -> dict:
    groups = [group((PLEASURESTOCK, "ps_1"), (PSRESTFUL, PART))]
    items = [SourceItem(PSRESTFUL, PART, "Tee", supplier_code="SanMar")]
    return linked_offers(groups, items, points, stock or [])


@pytest.mark.parametrize(
    ("quantity", "unit", "to_next"),
    [
        (1, Decimal("4.18"), 11),
        (11, Decimal("4.18"), 1),
        (12, Decimal("3.84"), None),  # exactly at the break
        (35, Decimal("3.84"), None),  # the last documented quantity
        (36, None, None),  # past the last break: no price, never extrapolated
        (0, None, None),
    ],
)
def test_the_price_at_the_proposed_quantity(
    quantity: int, unit: Decimal | None, to_next: int | None
) -> None:
    shown = offer_line(offers(breaks())["ps_1"], quantity, rate)
    assert shown["supplier_unit_cost"] == unit
    assert shown["units_to_next_break"] == to_next
    assert shown["supplier_cost_kind"] == "net" and shown["supplier_currency"] == "USD"
    assert shown["supplier_unit_cost_try"] == (None if unit is None else unit * Decimal("34.50"))


def test_a_cad_price_has_no_try_value_and_keeps_its_currency() -> None:
    shown = offer_line(offers(breaks("CAD"))["ps_1"], 12, rate)
    assert (shown["supplier_unit_cost"], shown["supplier_currency"]) == (Decimal("3.84"), "CAD")
    assert shown["supplier_unit_cost_try"] is None


def test_the_customer_price_wins_over_net_and_availability_is_summed() -> None:
    points = [*breaks(), PricePoint(PART, "customer", Decimal("3.50"), "USD", 1, None)]
    stock = [
        StockLine(PART, "SanMar:WH1", "Dallas", available=40, kind="supplier"),
        StockLine(PART, "SanMar:WH2", "Reno", available=2, kind="supplier"),
    ]
    shown = offer_line(offers(points, stock)["ps_1"], 500, rate)
    assert (shown["supplier_unit_cost"], shown["supplier_cost_kind"]) == (
        Decimal("3.50"),
        "customer",
    )
    assert shown["supplier_available"] == 42
    # No warehouse row names the part: its availability is unknown, not 0.
    assert offer_line(offers(points)["ps_1"], 5, rate)["supplier_available"] is None


def test_offers_show_only_for_mapped_suppliers_of_the_linked_part() -> None:
    proposal = pd.DataFrame(
        {
            "ps_id": ["ps_1", "ps_1", "ps_2"],
            "supplier_id": ["sup-a", "sup-b", "sup-a"],
            "quantity": [12, 12, 12],
        }
    )
    shown = with_supplier_offers(proposal, offers(breaks()), {"sup-a": "sanmar"}, rate)
    assert shown["supplier_unit_cost"].tolist() == [Decimal("3.84"), None, None]
    assert shown["supplier_code"].tolist() == ["SanMar", None, None]


def test_a_product_linked_to_two_parts_gets_no_offer() -> None:
    other = "SanMar:PC61:PC61-BLK-M"
    groups = [group((PLEASURESTOCK, "ps_1"), (PSRESTFUL, PART), (PSRESTFUL, other))]
    items = [SourceItem(PSRESTFUL, k, "Tee", supplier_code="SanMar") for k in (PART, other)]
    assert linked_offers(groups, items, breaks(), []) == {}


@pytest.mark.parametrize(
    ("text", "says"),
    [("sup-a", "is not <PleasureStock supplier id>"), ("a=SanMar,a=HIT", "twice"), ("=HIT", "not")],
)
def test_a_bad_supplier_map_is_refused_naming_the_setting(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says) as raised:
        parse_supplier_map(text)
    assert "PSRESTFUL_SUPPLIER_MAP" in str(raised.value)


def test_the_supplier_map_reads_pairs() -> None:
    assert parse_supplier_map(" sup-a=SanMar, ,sup-b = HIT ") == {"sup-a": "SanMar", "sup-b": "HIT"}
    assert parse_supplier_map("") == {}


def test_supplier_costs_are_hidden_from_roles_without_costs_and_availability_is_not() -> None:
    columns = [COLUMNS[c] for c in OFFER_COLUMNS] + [
        COLUMNS[c] for c in ("own_on_hand", "own_reserved", "own_available")
    ]
    visible = visible_columns(columns, Role.STAFF)
    assert not {"Supplier unit cost", "Supplier unit cost TRY", "Supplier cost kind"} & set(visible)
    assert {"Supplier available", "Own on hand", "Units to next break"} <= set(visible)


def test_the_settings_refuse_a_bad_map_and_choose_the_sales_stock_source(tmp_path: Path) -> None:
    absent = tmp_path / "absent.toml"
    with pytest.raises(ValidationError, match="PSRESTFUL_SUPPLIER_MAP"):
        Settings.from_secrets_file(absent, psrestful_supplier_map="sup-a:SanMar")
    with pytest.raises(ValidationError, match="'stock2shop' or 'price2b'"):
        Settings.from_secrets_file(absent, sales_stock_source="erp")
    settings = Settings.from_secrets_file(
        absent, psrestful_supplier_map="sup-a=SanMar", sales_stock_source="price2b"
    )
    assert settings.psrestful_supplier_codes_by_id == {"sup-a": "SanMar"}
    assert settings.describe()["psrestful_supplier_map"] == "sup-a=SanMar"
    assert ChannelRules.from_settings(settings).stock_source == PRICE2B
    assert ChannelRules.from_settings(Settings.from_secrets_file(absent)).stock_source == (
        STOCK2SHOP
    )
