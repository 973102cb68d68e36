"""A plan applied to literal products: prices in Decimal, TRY values, and flagged rows."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from lib.pricing.evaluate import evaluate
from lib.pricing.formula import parse
from lib.pricing.guard_rails import GuardRails
from lib.pricing.plan import PricingPlan
from lib.pricing.price_list import EXPORT_HEADINGS, export_frame, price_list
from lib.pricing.rounding import Rounding
from lib.pricing.rules import Rule
from tests.support.pricing import RATES, frame, product


def one(formula: str, **fields: object) -> dict[str, object]:
    """The price-list row of one product priced by ``formula``."""
    prices = price_list(
        frame(product("ps_1", **fields)), PricingPlan.company_wide(formula), RATES.get
    )
    return prices.iloc[0].to_dict()


def test_price_in_decimal_to_the_cent_and_in_try() -> None:
    row = one("TCC * 2.5 + 1.333")
    assert row["new_tsp"] == Decimal("26.33") and isinstance(row["new_tsp"], Decimal)
    assert row["new_tsp_try"] == Decimal("789.90")  # 26.33 USD * 30
    assert (row["status"], row["issue"], row["rule"]) == ("ok", None, "Company default")


def test_halves_round_up_to_the_cent() -> None:
    assert one("TCC * 0.2675")["new_tsp"] == Decimal("2.68")


def test_a_currency_without_a_rate_has_no_try_value() -> None:
    row = one("TCC * 2", currency="CHF")
    assert row["new_tsp"] == Decimal("20.00")
    assert row["new_tsp_try"] is None
    assert row["status"] == "ok"


def test_division_by_zero_is_a_flagged_row_not_a_crash() -> None:
    row = one("PRICE / (COEF - 2)")
    assert row["new_tsp"] is None and row["new_tsp_try"] is None
    assert (row["status"], row["issue"]) == ("no price", "division by zero")
    assert one("0 / 0")["issue"] == "division by zero"


def test_division_by_zero_mask_only_where_the_divisor_is_zero() -> None:
    variables = {"TCC": np.array([1.0, 2.0]), "PRICE": np.array([0.0, 4.0])}
    evaluation = evaluate(parse("TCC / PRICE").tree, variables, 2)
    assert evaluation.divided_by_zero.tolist() == [True, False]
    assert np.isinf(evaluation.values[0]) and evaluation.values[1] == 0.5


def test_negative_and_zero_prices_are_flagged() -> None:
    row = one("TCC - 100")
    assert row["new_tsp"] is None
    assert (row["status"], row["issue"]) == (
        "no price",
        "the formula gives -90.00, not a positive price",
    )
    assert one("TCC * 0")["status"] == "no price"
    # Half a cent rounds to nothing: no price either.
    assert one("0.004")["status"] == "no price"


def test_overflow_is_flagged() -> None:
    formula = " * ".join(["1000000000000"] * 30)
    assert one(formula)["issue"] == "the result is not a finite number"


def test_missing_inputs_are_named() -> None:
    assert one("TCC * 2", tcc=None)["issue"] == "no total cost (TCC) for this product"
    assert one("PRICE * COEF", price=None)["issue"] == "no supplier price for this product"
    assert one("PRICE * COEF", coef=None)["issue"] == "no TCC coefficient for this product"
    # A formula that does not read TCC does not need it.
    assert one("PRICE * 3", tcc=None)["new_tsp"] == Decimal("15.00")


def test_rules_rounding_and_guard_rails_together() -> None:
    products = frame(
        product("ps_1"),
        product("ps_2", category_id="cat-b", category="Beta"),
        product("ps_3", tcc="100"),
        product("ps_4", currency="CHF"),
    )
    plan = PricingPlan(
        rules=(
            Rule("company", None, "TCC * 2"),
            Rule("category", "cat-b", "TCC * 1.1"),
            Rule("product", "ps_3", "TCC * 10"),
        ),
        rounding=Rounding("end_99", in_try=True),
        guard_rails=GuardRails(min_margin_pct=Decimal("20"), max_markup_pct=Decimal("500")),
    )
    prices = price_list(products, plan, RATES.get).set_index("ps_id")
    # 20 USD = 600 TRY, rounded up to 600.99 TRY, back to USD 20.033 -> 20.03.
    assert prices.loc["ps_1", "new_tsp_try"] == Decimal("600.99")
    assert prices.loc["ps_1", "new_tsp"] == Decimal("20.03")
    assert prices.loc["ps_1", "status"] == "ok"
    # 11 USD = 330 -> 330.99 TRY: margin (11.03 - 10) / 11.03 = 9.3% < 20%.
    assert prices.loc["ps_2", "rule"] == "Category · Beta"
    assert prices.loc["ps_2", "issue"] == "margin 9.3% is below the 20% floor"
    assert prices.loc["ps_2", "status"] == "guard rail"
    # 1,000 USD on a TCC of 100: markup 900% > 500%.
    assert prices.loc["ps_3", "issue"] == "markup 900% is above the 500% maximum"
    # No CHF rate: priced, not rounded, no TRY value.
    assert prices.loc["ps_4", "new_tsp"] == Decimal("20.00")
    assert prices.loc["ps_4", "new_tsp_try"] is None
    assert prices.loc["ps_4", "issue"] == "no TRY rate for CHF: not rounded"
    assert prices.loc["ps_4", "status"] == "not rounded"


def test_guard_rails_need_a_cost() -> None:
    plan = PricingPlan(
        rules=(Rule("company", None, "PRICE * 3"),),
        guard_rails=GuardRails(min_margin_pct=Decimal("10")),
    )
    row = price_list(frame(product("ps_1", tcc=None)), plan, RATES.get).iloc[0]
    assert row["new_tsp"] == Decimal("15.00")
    assert (row["status"], row["issue"]) == (
        "guard rail",
        "no TCC to check the guard rails against",
    )


def test_export_frame_has_readable_headings_in_order() -> None:
    prices = price_list(frame(product("ps_1")), PricingPlan.company_wide("TCC * 2"), RATES.get)
    exported = export_frame(prices)
    assert list(exported.columns) == list(EXPORT_HEADINGS.values())
    assert exported.iloc[0]["New TSP"] == Decimal("20.00")


def test_a_result_above_the_highest_price_is_out_of_range_and_never_priced() -> None:
    # 100 x 10^15 = 10^17: its cents overflowed int64 into a negative TSP with status "ok".
    row = one("TCC * 1000000000000 * 1000", tcc="100")
    assert row["new_tsp"] is None and row["new_tsp_try"] is None
    assert (row["status"], row["issue"]) == (
        "out of range",
        "the formula gives 100,000,000,000,000,000.00, above the highest price "
        "(1,000,000,000.00): check its numbers",
    )
    # 10^16 still fit the cents, and was priced: as absurd, so out of range too.
    assert one("TCC * 1000000000000 * 1000", tcc="10")["status"] == "out of range"


def test_the_highest_price_is_still_priced() -> None:
    assert one("1000000000")["new_tsp"] == Decimal("1000000000.00")
    assert one("1000000000")["new_tsp_try"] == Decimal("30000000000.00")
    assert one("1000000000.01")["status"] == "out of range"


def test_out_of_range_is_never_priced_whatever_the_rounding_and_rails() -> None:
    plan = PricingPlan(
        rules=(Rule("company", None, "TCC * 1000000000000"),),
        rounding=Rounding("multiple_10", in_try=True),
        guard_rails=GuardRails(min_margin_pct=Decimal("20")),
    )
    prices = price_list(frame(product("ps_1"), product("ps_2", tcc="0.0001")), plan, RATES.get)
    rows = prices.set_index("ps_id")
    assert rows.loc["ps_1", "status"] == "out of range"
    assert rows.loc["ps_1", "new_tsp"] is None and rows.loc["ps_1", "new_tsp_try"] is None
    # 0.0001 x 10^12 = 100,000,000 USD is within range: priced, 3,000,000,000 TRY.
    assert rows.loc["ps_2", "new_tsp_try"] == Decimal("3000000000.00")

    exported = export_frame(prices).set_index("ps id")
    assert exported.loc["ps_1", "New TSP"] is None and exported.loc["ps_1", "New TSP (TRY)"] is None
    assert exported.loc["ps_1", "Status"] == "out of range"
