"""Preview (old vs new TSP, margins, order), category summary, version diff, API formula."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from lib.pricing.api_formula import api_formulas, canonical_formula, starting_formula
from lib.pricing.compare import compare_price_lists
from lib.pricing.guard_rails import GuardRails
from lib.pricing.plan import PricingPlan
from lib.pricing.preview import category_summary, preview_table, preview_totals
from lib.pricing.price_list import price_list
from lib.pricing.rules import Rule
from tests.support.pricing import RATES, frame, product

PRODUCTS = frame(
    product("ps_1", tcc="10", tsp="20"),
    product("ps_2", tcc="10", tsp="25", category_id="cat-b", category="Beta"),
    product("ps_3", tcc="10", tsp="10", currency="EUR"),
    product("ps_4", tcc=None, tsp=None, category_id=None, category=None),
)
PLAN = PricingPlan(
    rules=(Rule("company", None, "TCC * 2.2"), Rule("product", "ps_3", "TCC * 1.1")),
    guard_rails=GuardRails(min_margin_pct=Decimal("15")),
)


@pytest.fixture
def preview() -> pd.DataFrame:
    return preview_table(price_list(PRODUCTS, PLAN, RATES.get), RATES.get)


def test_old_and_new_prices_changes_and_margins(preview: pd.DataFrame) -> None:
    row = preview.set_index("ps_id").loc["ps_1"]
    assert (row["old_tsp"], row["new_tsp"], row["change"]) == (
        Decimal("20"),
        Decimal("22.00"),
        Decimal("2.00"),
    )
    assert (row["old_tsp_try"], row["new_tsp_try"]) == (Decimal("600.00"), Decimal("660.00"))
    assert row["change_pct"] == pytest.approx(10.0)
    assert row["margin_before_pct"] == pytest.approx(50.0)
    assert row["margin_after_pct"] == pytest.approx(100 * 12 / 22)


def test_guard_rail_breakers_first_then_no_price_then_largest_change(
    preview: pd.DataFrame,
) -> None:
    # ps_3: 11 EUR on TCC 10 is a 9.1% margin, below 15%; ps_4 has no TCC.
    # ps_2 changes by -12%, ps_1 by +10%.
    assert preview["ps_id"].tolist() == ["ps_3", "ps_4", "ps_2", "ps_1"]
    assert preview["status"].tolist() == ["guard rail", "no price", "ok", "ok"]
    assert preview.iloc[0]["old_tsp_try"] == Decimal("400.00")


def test_totals(preview: pd.DataFrame) -> None:
    totals = preview_totals(preview)
    assert (totals.products, totals.priced, totals.raised, totals.lowered) == (4, 3, 2, 1)
    assert (totals.guard_rail, totals.no_price) == (1, 1)
    assert totals.median_change_pct == pytest.approx(10.0)


def test_category_summary(preview: pd.DataFrame) -> None:
    summary = category_summary(preview).set_index("category")
    assert list(summary.index) == ["(no category)", "Alpha", "Beta"]
    alpha = summary.loc["Alpha"]
    assert (alpha["products"], alpha["priced"], alpha["flagged"]) == (2, 2, 1)
    assert (alpha["raised"], alpha["lowered"]) == (2, 0)
    assert alpha["median_change_pct"] == pytest.approx((10.0 + 10.0) / 2)
    assert summary.loc["Beta", "lowered"] == 1
    assert summary.loc["(no category)", "flagged"] == 1


def test_compare_lists_only_products_priced_differently() -> None:
    before = price_list(PRODUCTS, PLAN, RATES.get)
    after_plan = PricingPlan(
        rules=(Rule("company", None, "TCC * 2.2"), Rule("category", "cat-b", "TCC * 3"))
    )
    diff = compare_price_lists(before, price_list(PRODUCTS, after_plan, RATES.get))
    assert diff["ps_id"].tolist() == ["ps_3", "ps_2"]
    ps_2 = diff.set_index("ps_id").loc["ps_2"]
    assert (ps_2["tsp_before"], ps_2["tsp_after"], ps_2["change"]) == (
        Decimal("22.00"),
        Decimal("30.00"),
        Decimal("8.00"),
    )
    assert (ps_2["rule_before"], ps_2["rule_after"]) == ("Company default", "Category · Beta")
    assert ps_2["change_pct"] == pytest.approx(100 * 8 / 22)
    assert compare_price_lists(before, before).empty


def test_api_formula_against_the_active_default() -> None:
    products = frame(
        product("ps_1", tsp_formula="TCC * 2.5 + 104"),
        product("ps_2", tsp_formula="TCC*2.5+104"),
        product("ps_3", tsp_formula="TCC * 1.8 + 5"),
        product("ps_4", tsp_formula="TCC ^ 2"),
        product("ps_5", tsp_formula=None),
    )
    found = api_formulas(products, "TCC * 2.50 + 104").set_index("formula")
    assert found.loc["TCC * 2.5 + 104", "products"] == 1
    assert found["matches"].to_dict() == {
        "TCC * 2.5 + 104": True,
        "TCC*2.5+104": True,
        "TCC * 1.8 + 5": False,
        "TCC ^ 2": None,
    }
    assert api_formulas(products, None)["matches"].isna().all()
    assert canonical_formula("TCC ^ 2") is None
    assert starting_formula(frame(product("ps_1", tsp_formula="TCC ^ 2"))) == "TCC * 2"
    assert starting_formula(products) in {"TCC * 2.5 + 104", "TCC*2.5+104", "TCC * 1.8 + 5"}


def test_out_of_range_products_are_listed_with_that_status_and_never_lowered() -> None:
    products = frame(product("ps_1", tcc="100"), product("ps_2", tcc=None), product("ps_3"))
    plan = PricingPlan(
        rules=(
            Rule("company", None, "TCC * 1000000000000 * 1000"),
            Rule("product", "ps_3", "TCC * 2.2"),
        )
    )
    preview = preview_table(price_list(products, plan, RATES.get), RATES.get)

    assert preview["status"].tolist() == ["out of range", "no price", "ok"]
    out = preview.iloc[0]
    assert out["new_tsp"] is None and out["change"] is None and pd.isna(out["change_pct"])
    totals = preview_totals(preview)
    assert (totals.priced, totals.raised, totals.lowered) == (1, 1, 0)
    assert (totals.out_of_range, totals.no_price) == (1, 1)
    assert category_summary(preview).set_index("category").loc["Alpha", "flagged"] == 2
