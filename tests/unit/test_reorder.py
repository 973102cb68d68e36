"""Reorder calculations with hand-checked numbers."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from lib.pleasurestock.models import Order, OrderLine, Recommendation
from lib.reorder.edits import LineEdit, apply_edits, updated_edits
from lib.reorder.forecast import (
    NORMAL,
    POISSON,
    ForecastSettings,
    backtest,
    compare_with_api,
    cross_check,
    our_quantity,
    sales_matrix,
)
from lib.reorder.ordering import lines_by_supplier
from lib.reorder.proposal import (
    ProposalFilter,
    SupplierSettings,
    abc_classes,
    build_proposal,
    days_of_cover,
    filter_proposal,
    join_recommendations,
    overstock,
    quantities_on_order,
    round_to_pack,
    settings_columns,
    stockout_dates,
    supplier_totals,
    uncounted_lines,
    within_budget,
)
from lib.reorder.unresolved import hold_back

TODAY = date(2026, 11, 25)  # a Wednesday
RATES = {"USD": Decimal("40"), "TRY": Decimal("1")}


def rate(currency: str) -> Decimal | None:
    return RATES.get(currency)


def catalog() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ps_id": ["ps_1", "ps_2", "ps_3"],
            "sku": ["A-1", "B-2", "C-3"],
            "name": ["Apple", "Bean", "Corn"],
            "category_name": ["Fruit", "Veg", "Veg"],
            "supplier_id": ["s1", "s1", "s2"],
            "price": [Decimal("1.25"), Decimal("5.00"), Decimal("3.00")],
            "currency": ["USD", "TRY", "USD"],
            "tcc_total_cost": [Decimal("2.50"), Decimal("10.00"), None],
            "tcc_currency": ["USD", "TRY", None],
            "tsp_value": [Decimal("150.00"), Decimal("20.00"), None],
            "tsp_currency": ["TRY", "TRY", None],
        },
        dtype=object,
    )


def rec(pid: str, sku: str | None, qty: int, stock: int, avg: str) -> Recommendation:
    return Recommendation(
        product_internal_id=pid,
        product_sku=sku,
        recommended_quantity=qty,
        current_stock=stock,
        average_daily_sales=Decimal(avg),
        forecast_accuracy=Decimal("0.8"),
    )


def test_join_on_id_then_sku_and_lists_the_unmatched() -> None:
    recs = [
        rec("pl_1", "zzz", 10, 4, "2"),
        rec("pl_x", "B-2", 5, 0, "1"),
        rec("pl_y", "Q", 1, 0, "1"),
    ]
    joined = join_recommendations(recs, catalog())
    assert joined.frame["ps_id"].tolist() == ["ps_1", "ps_2"]
    assert joined.frame["matched_on"].tolist() == ["id", "SKU"]
    assert [r.product_internal_id for r in joined.unmatched] == ["pl_y"]


def test_days_of_cover_and_stockout_date() -> None:
    cover = days_of_cover(pd.Series([10, 5, 3]), pd.Series([4.0, 0.0, 3.0]))
    assert cover[0] == 2.5 and np.isnan(cover[1]) and cover[2] == 1.0
    dates = stockout_dates(cover, TODAY)
    assert dates.tolist() == [TODAY + timedelta(days=2), None, TODAY + timedelta(days=1)]


def test_moq_and_case_pack_rounding() -> None:
    rounded = round_to_pack(pd.Series([0, 3, 13, 25]), pd.Series([10] * 4), pd.Series([6] * 4))
    # 3 -> MOQ 10 -> 12 (two packs of 6); 13 -> 18; 25 -> 30; nothing needed stays 0.
    assert rounded.tolist() == [0, 12, 18, 30]


def test_on_order_counts_only_open_orders() -> None:
    def order(status: str, qty: int) -> Order:
        return Order.model_validate(
            {
                "orderNumber": f"O-{status}",
                "status": status,
                "items": [{"psId": "ps_1", "quantity": qty}],
            }
        )

    orders = [order("new", 3), order("shipped", 4), order("delivered", 50), order("cancelled", 9)]
    assert quantities_on_order(orders) == {"ps_1": 7}


def proposal() -> pd.DataFrame:
    recs = [rec("pl_1", None, 10, 4, "2"), rec("pl_2", None, 5, 30, "1.5")]
    joined = join_recommendations(recs, catalog()).frame
    settings = settings_columns(
        joined["supplier_id"],
        {"s1": SupplierSettings(lead_time_days=3, case_pack=4)},
        SupplierSettings(),
    )
    return build_proposal(joined, {"ps_1": 3}, settings, rate, TODAY)


def test_proposal_nets_on_order_rounds_and_prices() -> None:
    frame = proposal()
    first, second = frame.iloc[0], frame.iloc[1]
    # ps_1: 10 recommended - 3 on order = 7 -> case pack 4 -> 8; cover 4/2 = 2 days < lead 3.
    assert (first["on_order"], first["quantity"], first["days_of_cover"]) == (3, 8, 2.0)
    assert bool(first["urgent"]) and first["stockout_date"] == TODAY + timedelta(days=2)
    assert first["line_cost"] == Decimal("20.00")  # 8 × 2.50 USD
    assert first["line_cost_try"] == Decimal("800.00")  # 8 × 100 TRY
    assert first["tsp_revenue_try"] == Decimal("1200.00")
    assert first["margin_try"] == Decimal("400.00")
    # ps_2: 5 -> 8 (case pack 4); 30 / 1.5 = 20 days, not urgent.
    assert (second["quantity"], bool(second["urgent"])) == (8, False)
    assert second["line_cost_try"] == Decimal("80.00")
    totals = supplier_totals(frame)
    assert totals.to_dict("records") == [
        {
            "supplier": "s1",
            "lines": 2,
            "units": 16,
            "cost_try": Decimal("880.00"),
            "uncounted": 0,
            # At the supplier's price, as PleasureStock records the order: 8 × 1.25 USD and
            # 8 × 5.00 TRY are in different currencies, so no single order total is given.
            "currency": "TRY, USD",
            "purchase_total": None,
            "purchase_total_try": None,
        }
    ]


def test_abc_classes_80_15_5() -> None:
    revenue = pd.Series([Decimal(x) for x in ("6", "50", "4", "30", "10")])
    # Sorted 50, 30, 10, 6, 4 of 100: running shares .5 .8 | .9 | .96 1.0
    assert abc_classes(revenue).tolist() == ["C", "A", "C", "A", "B"]
    assert abc_classes(revenue, 0.5, 0.4).tolist() == ["C", "A", "C", "B", "B"]


def test_budget_keeps_most_urgent_then_highest_margin() -> None:
    frame = pd.DataFrame(
        {
            "days_of_cover": [5.0, 1.0, 1.0, np.nan],
            "margin_try": [Decimal("1"), Decimal("5"), Decimal("50"), Decimal("99")],
            "line_cost_try": [Decimal("100"), Decimal("300"), Decimal("200"), Decimal("10")],
        }
    )
    # Order: row 2 (cover 1, margin 50) 200, row 1 (cover 1) 500, row 0 600, row 3 610.
    assert within_budget(frame, Decimal("500")).tolist() == [False, True, True, False]
    assert within_budget(frame, Decimal("199")).tolist() == [False, False, False, False]


def test_filter_and_overstock() -> None:
    frame = proposal().assign(abc=["A", "B"])
    assert filter_proposal(frame, ProposalFilter(only_urgent=True))["ps_id"].tolist() == ["ps_1"]
    assert filter_proposal(frame, ProposalFilter(abc=("B",)))["ps_id"].tolist() == ["ps_2"]
    assert filter_proposal(frame, ProposalFilter(categories=("Veg",)))["ps_id"].tolist() == ["ps_2"]
    cover = catalog().assign(stock=[100, 2, 5], avg_daily_sales=[1.0, 1.0, 0.0])
    over = overstock(cover, 30, rate)
    assert over["ps_id"].tolist() == ["ps_1", "ps_3"]
    assert over.iloc[0]["tied_up_try"] == Decimal("10000.00")  # 100 × 2.50 USD × 40


def history(
    rows: dict[str, list[int]], stock: dict[str, list[int | None]] | None = None
) -> pd.DataFrame:
    start = TODAY - timedelta(days=len(next(iter(rows.values()))))
    records = []
    for ps_id, quantities in rows.items():
        stocks = (stock or {}).get(ps_id, [5] * len(quantities))
        for offset, (qty, soh) in enumerate(zip(quantities, stocks, strict=True)):
            records.append((ps_id, start + timedelta(days=offset), qty, soh))
    return pd.DataFrame(records, columns=["ps_id", "day", "quantity", "stock_on_hand"])


def test_average_excludes_stockout_days() -> None:
    matrix = sales_matrix(history({"ps_1": [4, 0, 2]}, {"ps_1": [3, 0, 1]}))
    result = cross_check(matrix, ForecastSettings(2, 0, 0.95), TODAY)
    assert result["our_avg_daily_sales"].tolist() == [3.0]  # (4 + 2) / 2, the 0 is a stockout


def test_normal_safety_stock_for_regular_movers() -> None:
    # Every day sells: 2,6 alternating -> mean 4, sample sd = sqrt(28 × 4 / 27) for 28 days.
    quantities = [2, 6] * 14
    matrix = sales_matrix(history({"ps_1": quantities}))
    result = cross_check(matrix, ForecastSettings(3, 1, 0.95), TODAY).iloc[0]
    sd = np.std(quantities, ddof=1)
    assert result["method"] == NORMAL
    assert result["safety_stock"] == pytest.approx(1.6449 * sd * 2, rel=1e-4)  # z × sd × √4


def test_poisson_quantile_for_intermittent_demand() -> None:
    # One unit every other day: mean 0.5, interval 2 > 1.32 -> intermittent.
    matrix = sales_matrix(history({"ps_1": [1, 0] * 14}))
    result = cross_check(matrix, ForecastSettings(3, 1, 0.95), TODAY).iloc[0]
    # Demand over 4 days ~ Poisson(2): P(X<=4) = .947, P(X<=5) = .983 -> level 5, safety 3.
    assert result["method"] == POISSON
    assert result["forecast_horizon"] == pytest.approx(2.0)
    assert result["safety_stock"] == pytest.approx(3.0)
    quantity = our_quantity(
        pd.Series([result["order_up_to"]], dtype=float), pd.Series([1]), pd.Series([1])
    )
    assert quantity.tolist() == [3]  # 5 - 1 in stock - 1 on order


def test_weekday_aware_forecast() -> None:
    # Four weeks where Saturdays sell 10 and other days 1 (no stockouts).
    start = TODAY - timedelta(days=28)
    quantities = [10 if (start + timedelta(days=d)).weekday() == 5 else 1 for d in range(28)]
    matrix = sales_matrix(history({"ps_1": quantities}))
    # From Wednesday for 4 days: Wed, Thu, Fri, Sat -> 1 + 1 + 1 + 10.
    result = cross_check(matrix, ForecastSettings(4, 0, 0.95), TODAY).iloc[0]
    assert result["forecast_lead_time"] == pytest.approx(13.0)


def test_backtest_wape_and_bias() -> None:
    # Flat 2 a day for 42 days, then 4 weeks of 3 a day: forecast 2 vs actual 3.
    matrix = sales_matrix(history({"ps_1": [2] * 42 + [3] * 28}))
    result = backtest(matrix)
    assert result.wape == pytest.approx(1 / 3)
    assert result.bias == pytest.approx(-1 / 3)


def test_compare_with_api_flags_large_disagreements() -> None:
    frame = proposal()  # ps_1: API 10, on order 3, stock 4; ps_2: API 5, stock 30
    ours = pd.DataFrame(
        {
            "ps_id": ["ps_1"],
            "our_avg_daily_sales": [2.0],
            "forecast_lead_time": [6.0],
            "forecast_horizon": [20.0],
            "safety_stock": [4.0],
            "order_up_to": [24.0],
            "method": [NORMAL],
            "last_stock": [4.0],
        }
    )
    result = compare_with_api(frame, ours)
    # ps_1: 24 - 4 - 3 = 17 against the API's 10 - 3 = 7: gap 10 > half of 17.
    assert result["our_quantity"].tolist()[0] == 17 and bool(result["disagrees"][0])
    assert result["method"].tolist()[1] == "no history" and not bool(result["disagrees"][1])


def test_missing_days_after_the_first_row_count_as_no_sales() -> None:
    frame = pd.DataFrame(
        [
            ("ps_1", TODAY - timedelta(days=4), 6, None),
            ("ps_2", TODAY - timedelta(days=3), 2, None),
            ("ps_1", TODAY - timedelta(days=1), 2, None),
        ],
        columns=["ps_id", "day", "quantity", "stock_on_hand"],
    )
    result = cross_check(sales_matrix(frame), ForecastSettings(1, 0, 0.9), TODAY)
    # ps_1: 6 + 0 + 0 + 2 over 4 days; ps_2 starts later: 2 + 0 + 0 over 3 days.
    assert result["our_avg_daily_sales"].tolist() == [2.0, pytest.approx(2 / 3)]


def one_line_proposal(
    tcc: str, currency: str, quantity: int, rates: dict[str, Decimal | None], price: str = "1.00"
) -> pd.DataFrame:
    """A proposal of one product (supplier s1) recommending ``quantity`` units."""
    product = (
        catalog()
        .iloc[[0]]
        .assign(
            tcc_total_cost=[Decimal(tcc)],
            tcc_currency=[currency],
            price=[Decimal(price)],
            currency=[currency],
        )
    )
    joined = join_recommendations([rec("pl_1", None, quantity, 0, "1")], product).frame
    settings = settings_columns(joined["supplier_id"], {}, SupplierSettings())
    known = {"TRY": Decimal(1), **rates}
    return build_proposal(joined, {}, settings, known.get, TODAY)


def test_line_totals_are_rounded_once_from_the_exact_unit_cost_in_try() -> None:
    # 0.333 USD × 34.5012 = 11.4888996 TRY a unit; × 1,000 = 11,488.8996 -> 11,488.90.
    # Rounding the unit to 11.49 first would give 11,490.00.
    frame = one_line_proposal("0.333", "USD", 1000, {"USD": Decimal("34.5012")})
    assert frame.iloc[0]["line_cost_try"] == Decimal("11488.90")
    assert supplier_totals(frame).iloc[0]["cost_try"] == Decimal("11488.90")
    # The budget counts the same figure: 11,489 TRY is enough.
    assert within_budget(frame, Decimal("11489")).tolist() == [True]


def test_a_line_total_is_rounded_half_up_to_the_kurus() -> None:
    # 1.005 TRY exactly: half up gives 1.01 (banker's rounding would give 1.00).
    frame = one_line_proposal("1.005", "TRY", 1, {})
    assert frame.iloc[0]["line_cost_try"] == Decimal("1.01")


def test_without_a_rate_try_figures_are_missing_and_the_budget_says_what_it_left_out() -> None:
    frame = one_line_proposal("2.50", "USD", 4, {"USD": None})
    line = frame.iloc[0]
    assert line["line_cost"] == Decimal("10.00") and line["line_cost_try"] is None
    assert within_budget(frame, Decimal("1000000")).tolist() == [False]
    assert uncounted_lines(frame) == {"no USD rate": 1}
    totals = supplier_totals(frame).iloc[0]
    assert (totals["cost_try"], totals["uncounted"]) == (Decimal(0), 1)
    assert (totals["purchase_total"], totals["purchase_total_try"]) == (Decimal("4.00"), None)


def test_order_total_at_the_supplier_price_as_pleasurestock_records_it() -> None:
    # PleasureStock rounds each line (3 × 0.335 = 1.005 -> 1.01), sums the lines, and the
    # TRY figure is the order total times the rate, rounded once: 1.01 × 34.5012 = 34.85.
    frame = one_line_proposal("0.50", "USD", 3, {"USD": Decimal("34.5012")}, price="0.335")
    totals = supplier_totals(frame).iloc[0]
    assert totals["currency"] == "USD"
    assert totals["purchase_total"] == Decimal("1.01")
    assert totals["purchase_total_try"] == Decimal("34.85")


def test_edits_are_kept_per_product_when_the_rows_change() -> None:
    frame = proposal()  # ps_1 quantity 8, ps_2 quantity 8
    ticked = pd.Series([True, True])
    edits = updated_edits(frame, ticked, pd.Series([8, 20]), pd.Series([True, False]), {})
    assert edits == {"ps_2": LineEdit(20, False)}
    # Filtered down to ps_1 only: ps_2's edit stays; ps_1 is edited and then put back.
    only_first = frame.iloc[[0]].reset_index(drop=True)
    one = pd.Series([True])
    edits = updated_edits(only_first, one, pd.Series([9]), one, edits)
    assert edits == {"ps_1": LineEdit(9, True), "ps_2": LineEdit(20, False)}
    edits = updated_edits(only_first, one, pd.Series([8]), one, edits)
    assert edits == {"ps_2": LineEdit(20, False)}
    # Back to both rows, in another order: the edit lands on ps_2, wherever it is.
    flipped = frame.iloc[[1, 0]].reset_index(drop=True)
    shown = apply_edits(flipped, pd.Series([True, True]), edits)
    assert shown[["ps_id", "quantity", "include"]].values.tolist() == [
        ["ps_2", 20, False],
        ["ps_1", 8, True],
    ]


def test_an_empty_proposal_keeps_whole_quantities_and_ticks_for_the_editor() -> None:
    # Every line held back (just ordered) or filtered out: the editor still gets a
    # checkbox column of booleans, not floats it refuses.
    empty = proposal().iloc[[]]
    shown = apply_edits(empty, pd.Series([], dtype=bool), {})
    assert (shown["quantity"].dtype, shown["include"].dtype) == ("int64", bool)


def test_lines_are_grouped_per_supplier_and_held_back_while_it_has_an_unresolved_request() -> None:
    frame = proposal().assign(supplier_id=["s1", None], quantity=[8, 0])
    assert lines_by_supplier(frame) == {"s1": [OrderLine(ps_id="ps_1", quantity=8)]}
    offered, held = hold_back(frame, {"s1": ["SD-1"]})
    assert (offered["ps_id"].tolist(), held["ps_id"].tolist()) == (["ps_2"], ["ps_1"])
    offered, held = hold_back(frame, {None: ["SD-2"]})
    assert (offered["ps_id"].tolist(), held["ps_id"].tolist()) == (["ps_1"], ["ps_2"])
