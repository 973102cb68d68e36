"""Catalog filters: each filter on a small literal catalog, and the URL helpers."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from lib.catalog.filters import (
    CatalogFilters,
    FilterOptions,
    MoneyRange,
    filter_mask,
    filter_options,
    filter_problems,
    money_bound,
    translate_categories,
    unknown_link_values,
)
from lib.catalog.table import catalog_table
from tests.support.catalog_frames import snapshot_frame, snapshot_row

RATES = {"USD": Decimal("34.50"), "EUR": Decimal("37.25"), "TRY": Decimal(1)}


@pytest.fixture
def table() -> pd.DataFrame:
    """Five products: two vibrators, a lubricant, one without category, one with TSP off."""
    return catalog_table(
        snapshot_frame(
            snapshot_row("ps_a", name="Pulse Vibrator Pink", price=Decimal("10.00")),
            snapshot_row(
                "ps_b",
                name="Aqua Gel",
                sku="LUB-7",
                supplier_id="21",
                currency="EUR",
                price=Decimal("4.99"),
                tcc_currency="EUR",
                tsp_currency="EUR",
                category_id="c-lub",
                category_name="Лубриканты",
                category_name_en="Lubricants",
            ),
            snapshot_row("ps_c", name="Mini Vibrator Black", price=Decimal("25.50")),
            snapshot_row(
                "ps_d", name="Mystery", category_id=None, category_name=None, category_name_en=None
            ),
            snapshot_row("ps_e", name="Toy Cleaner", tsp_enabled=False, tsp_value=None),
        ),
        RATES.get,
    )


def kept(table: pd.DataFrame, filters: CatalogFilters) -> list[str]:
    return list(table.loc[filter_mask(table, filters), "ps_id"])


def test_no_filter_keeps_everything(table: pd.DataFrame) -> None:
    assert kept(table, CatalogFilters()) == ["ps_a", "ps_b", "ps_c", "ps_d", "ps_e"]


def test_category_in_english_or_russian(table: pd.DataFrame) -> None:
    assert kept(table, CatalogFilters(categories=("Lubricants",))) == ["ps_b"]
    russian = CatalogFilters(language="ru", categories=("Вибраторы",))
    assert kept(table, russian) == ["ps_a", "ps_c", "ps_e"]
    # An English name means nothing while names are Russian.
    assert kept(table, CatalogFilters(language="ru", categories=("Lubricants",))) == []


def test_supplier_and_currency(table: pd.DataFrame) -> None:
    assert kept(table, CatalogFilters(suppliers=("21",))) == ["ps_b"]
    assert kept(table, CatalogFilters(currencies=("USD",))) == ["ps_a", "ps_c", "ps_d", "ps_e"]
    both = CatalogFilters(suppliers=("12",), currencies=("EUR",))
    assert kept(table, both) == []


def test_enabled_switches(table: pd.DataFrame) -> None:
    assert kept(table, CatalogFilters(tsp="disabled")) == ["ps_e"]
    assert kept(table, CatalogFilters(tsp="enabled")) == ["ps_a", "ps_b", "ps_c", "ps_d"]
    assert kept(table, CatalogFilters(tcc="disabled")) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vibrator", ["ps_a", "ps_c"]),
        ("  VIBRATOR pink ", ["ps_a"]),
        ("lub-7", ["ps_b"]),
        ("PS_D", ["ps_d"]),
        ("(", []),
    ],
)
def test_search_over_name_sku_and_ps_id(
    table: pd.DataFrame, text: str, expected: list[str]
) -> None:
    assert kept(table, CatalogFilters(search=text)) == expected


def test_ranges_are_inclusive_and_skip_missing_values(table: pd.DataFrame) -> None:
    price = CatalogFilters(ranges={"price": MoneyRange(Decimal("4.99"), Decimal("10.00"))})
    assert kept(table, price) == ["ps_a", "ps_b", "ps_d", "ps_e"]
    # TSP 41.00 USD = 1,414.50 TRY, 41.00 EUR = 1,527.25 TRY; ps_e has no TSP at all.
    tsp = CatalogFilters(ranges={"tsp_try": MoneyRange(high=Decimal("1414.50"))})
    assert kept(table, tsp) == ["ps_a", "ps_c", "ps_d"]
    assert kept(table, CatalogFilters(ranges={"tsp_try": MoneyRange()})) == kept(
        table, CatalogFilters()
    )


def test_filter_options_are_sorted_and_distinct(table: pd.DataFrame) -> None:
    assert filter_options(table, "en") == FilterOptions(
        categories=["Lubricants", "Vibrators"], suppliers=["12", "21"], currencies=["EUR", "USD"]
    )
    assert filter_options(table, "ru").categories == ["Вибраторы", "Лубриканты"]


def test_translate_categories_between_languages(table: pd.DataFrame) -> None:
    assert translate_categories(["Vibrators", "Lubricants"], table, "ru") == [
        "Вибраторы",
        "Лубриканты",
    ]
    assert translate_categories(["Лубриканты"], table, "en") == ["Lubricants"]
    assert translate_categories(["Unknown"], table, "ru") == ["Unknown"]


def test_unknown_link_values_are_named() -> None:
    options = FilterOptions(categories=["Vibrators"], suppliers=["12"], currencies=["USD"])
    requested = {"category": ["Vibrators", "Old name"], "supplier": ["12"], "currency": []}
    assert unknown_link_values(requested, options) == {"category": ["Old name"]}


def test_a_range_from_above_its_to_is_reported() -> None:
    filters = CatalogFilters(
        ranges={"price": MoneyRange(Decimal("50.00"), Decimal("5.00")), "tsp_try": MoneyRange()}
    )
    problems = filter_problems(filters, {"price": "Price"})
    assert problems == [
        "Price: 'from' (50.00) is above 'to' (5.00), so no product can match. "
        "Swap or clear the two values."
    ]


def test_number_inputs_become_exact_cents() -> None:
    assert money_bound(None) is None
    assert money_bound(10.1) == Decimal("10.10")
    assert money_bound(0.125) == Decimal("0.13")
    assert MoneyRange.from_inputs(None, 2.5) == MoneyRange(None, Decimal("2.50"))
