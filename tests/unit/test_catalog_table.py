"""The catalog table: margins, TRY conversion and 'no rate', with hand-checked numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lib.catalog.table import (
    COLUMN_LABELS,
    catalog_table,
    labelled,
    margin,
    margin_percent,
    to_try,
    try_note,
)
from tests.support.catalog_frames import snapshot_frame, snapshot_row

RATES = {"USD": Decimal("34.50"), "EUR": Decimal("37.25"), "TRY": Decimal(1)}


def rate(currency: str) -> Decimal | None:
    return RATES.get(currency)


def test_margin_is_tsp_minus_tcc_in_one_currency() -> None:
    assert margin(Decimal("20.00"), "USD", Decimal("41.00"), "USD") == Decimal("21.00")
    assert margin(Decimal("20.00"), "USD", Decimal("15.50"), "USD") == Decimal("-4.50")


@pytest.mark.parametrize(
    ("tcc", "tcc_currency", "tsp", "tsp_currency"),
    [
        (None, "USD", Decimal("41"), "USD"),
        (Decimal("20"), "USD", None, "USD"),
        (Decimal("20"), "USD", Decimal("41"), "TRY"),
    ],
)
def test_no_margin_without_both_prices_in_one_currency(
    tcc: Decimal | None, tcc_currency: str, tsp: Decimal | None, tsp_currency: str
) -> None:
    assert margin(tcc, tcc_currency, tsp, tsp_currency) is None


def test_margin_percent_of_tsp_rounds_half_up_to_cents() -> None:
    # 21 / 41 = 0.512195… -> 51.22 %
    assert margin_percent(Decimal("21.00"), Decimal("41.00")) == Decimal("51.22")
    # 1 / 8 = 12.5 % exactly; -1 / 3 = -33.333… %
    assert margin_percent(Decimal("1"), Decimal("8")) == Decimal("12.50")
    assert margin_percent(Decimal("-1"), Decimal("3")) == Decimal("-33.33")
    assert margin_percent(Decimal("5"), Decimal("0")) is None
    assert margin_percent(None, Decimal("3")) is None


def test_to_try_multiplies_exactly_and_never_guesses() -> None:
    assert to_try(Decimal("20.00"), "USD", RATES) == Decimal("690.0000")
    assert to_try(Decimal("0.10"), "EUR", RATES) == Decimal("3.7250")
    assert to_try(Decimal("99.99"), "TRY", RATES) == Decimal("99.99")
    assert to_try(Decimal("20.00"), "CNY", {**RATES, "CNY": None}) is None
    assert to_try(Decimal("20.00"), None, RATES) is None
    assert to_try(None, "USD", RATES) is None


def test_try_note_names_each_currency_without_a_rate_once() -> None:
    no_cny = {**RATES, "CNY": None}
    assert try_note(Decimal(1), "USD", Decimal(2), "USD", RATES) == ""
    assert try_note(Decimal(1), "CNY", Decimal(2), "CNY", no_cny) == "no rate for CNY"
    assert try_note(None, "CNY", None, "CNY", no_cny) == ""
    assert try_note(Decimal(1), None, Decimal(2), "CNY", no_cny) == (
        "no rate for an unstated currency, CNY"
    )


def test_catalog_table_computes_every_column_per_row() -> None:
    snapshot = snapshot_frame(
        snapshot_row("ps_usd"),
        snapshot_row(
            "ps_cny",
            price=Decimal("50"),
            currency="CNY",
            tcc_total_cost=Decimal("100"),
            tcc_currency="CNY",
            tsp_value=Decimal("150"),
            tsp_currency="CNY",
        ),
        snapshot_row(
            "ps_off",
            tcc_enabled=False,
            tcc_coefficient=None,
            tcc_total_cost=None,
            tsp_enabled=False,
            tsp_value=None,
        ),
    )
    asked: list[str] = []

    def counting_rate(currency: str) -> Decimal | None:
        asked.append(currency)
        return rate(currency)

    table = catalog_table(snapshot, counting_rate)

    usd, cny, off = (table.iloc[i] for i in range(3))
    assert (usd["tcc"], usd["tsp"], usd["margin"]) == (
        Decimal("20.00"),
        Decimal("41.00"),
        Decimal("21.00"),
    )
    assert usd["margin_pct"] == Decimal("51.22")
    assert usd["tcc_try"] == Decimal("690.0000")  # 20.00 × 34.50
    assert usd["tsp_try"] == Decimal("1414.5000")  # 41.00 × 34.50
    assert usd["try_note"] == ""
    assert cny["margin"] == Decimal("50")
    assert cny["tcc_try"] is None and cny["tsp_try"] is None
    assert cny["try_note"] == "no rate for CNY"
    assert off["margin"] is None and off["tcc_try"] is None and off["try_note"] == ""
    assert sorted(asked) == ["CNY", "USD"]  # once per currency, not per product
    assert list(table.index) == list(snapshot.index)


def test_category_names_fall_back_to_the_other_language() -> None:
    snapshot = snapshot_frame(
        snapshot_row("ps_1", category_name_en=None),
        snapshot_row("ps_2", category_name=None, category_name_en="Lingerie"),
        snapshot_row("ps_3", category_id=None, category_name=None, category_name_en=None),
    )
    table = catalog_table(snapshot, rate)
    assert list(table["category_en"]) == ["Вибраторы", "Lingerie", None]
    assert list(table["category_ru"]) == ["Вибраторы", "Lingerie", None]


def test_search_text_holds_ps_id_sku_and_name_in_lower_case() -> None:
    table = catalog_table(snapshot_frame(snapshot_row("ps_AB1", name="Silk ŞAL")), rate)
    assert table["search_text"].iloc[0] == "ps_ab1\nsku-ps_ab1\nsilk şal"


def test_labelled_shows_the_page_headings_and_the_chosen_language() -> None:
    table = catalog_table(snapshot_frame(snapshot_row("ps_1")), rate)
    english, russian = labelled(table, "en"), labelled(table, "ru")
    assert list(english.columns) == list(COLUMN_LABELS.values())
    assert english["Category"].iloc[0] == "Vibrators"
    assert russian["Category"].iloc[0] == "Вибраторы"
    assert english["TCC (TRY)"].iloc[0] == Decimal("690.0000")
