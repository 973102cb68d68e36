"""Warehouse summing and the delta against the ledger, with hand-checked numbers."""

from __future__ import annotations

import pandas as pd

from lib.sales.ledger import DeltaPlan, empty_sent, plan_delta, sum_warehouses

NA = pd.NA


def day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def frame(rows: list[tuple[str, str, int, object]]) -> pd.DataFrame:
    """``ps_id, date, quantity, stock`` rows (the shape of totals and of ledger extracts)."""
    return pd.DataFrame(
        {
            "ps_id": pd.Series([r[0] for r in rows], dtype="str"),
            "date": pd.Series([day(r[1]) for r in rows], dtype="datetime64[s]"),
            "quantity": pd.Series([r[2] for r in rows], dtype="int64"),
            "stock": pd.Series([r[3] for r in rows], dtype="Int64"),
        }
    )


def actions(plan: DeltaPlan) -> list[tuple[object, ...]]:
    return [
        (
            r.ps_id,
            r.date.date().isoformat(),
            r.action,
            r.send_quantity,
            None if pd.isna(r.send_stock) else r.send_stock,
            r.stock_lower,
        )
        for r in plan.rows.itertuples()
    ]


def test_warehouses_are_summed_quantity_and_stock() -> None:
    good = pd.DataFrame(
        {
            "line": [2, 3, 4, 5, 6],
            "ps_id": ["ps_a", "ps_a", "ps_b", "ps_b", "ps_a"],
            "date": pd.to_datetime(["2025-11-03"] * 4 + ["2025-11-04"]).astype("datetime64[s]"),
            "warehouse": ["A", "B", "A", "B", "A"],
            "quantity": [10, 5, 1, 2, 0],
            "stock": pd.array([500, 300, 7, NA, 0], dtype="Int64"),
        }
    )
    totals = sum_warehouses(good)
    # 500 + 300 = 800 (the server's MAX would say 500); ps_b's stock is unknown in one
    # warehouse, so its total is unknown too; a 0 stock stays 0 (a stockout).
    assert totals.astype({"stock": "object"}).to_dict("records") == [
        {"ps_id": "ps_a", "date": day("2025-11-03"), "quantity": 15, "stock": 800, "rows": 2},
        {"ps_id": "ps_a", "date": day("2025-11-04"), "quantity": 0, "stock": 0, "rows": 1},
        {"ps_id": "ps_b", "date": day("2025-11-03"), "quantity": 3, "stock": None, "rows": 2},
    ]


def test_every_action_against_the_ledger() -> None:
    sent = frame(
        [
            ("ps_a", "2025-11-03", 10, 50),
            ("ps_b", "2025-11-03", 5, NA),
            ("ps_c", "2025-11-03", 8, 30),
            ("ps_d", "2025-11-03", 4, 20),
            ("ps_e", "2025-11-03", 6, 40),
        ]
    )
    totals = frame(
        [
            ("ps_a", "2025-11-03", 10, 50),  # same again: nothing
            ("ps_b", "2025-11-03", 9, 12),  # 9 - 5 = 4 more; first stock figure for the day
            ("ps_c", "2025-11-03", 5, 30),  # 5 < 8: a correction, not sendable
            ("ps_d", "2025-11-03", 4, 25),  # same quantity, stock up 20 -> 25
            ("ps_e", "2025-11-03", 7, 35),  # 1 more; stock 35 < 40 cannot replace 40
            ("ps_f", "2025-11-04", 3, NA),  # new, stock unknown: omitted, not 0
            ("ps_a", "2025-11-04", 0, 0),  # new stockout day: sent as 0 / 0
        ]
    )
    plan = plan_delta(totals, sent)
    assert actions(plan) == [
        ("ps_a", "2025-11-03", "unchanged", 0, None, False),
        ("ps_b", "2025-11-03", "increase", 4, 12, False),
        ("ps_c", "2025-11-03", "correction", 0, None, False),
        ("ps_d", "2025-11-03", "stock", 0, 25, False),
        ("ps_e", "2025-11-03", "increase", 1, None, True),
        ("ps_a", "2025-11-04", "new", 0, 0, False),
        ("ps_f", "2025-11-04", "new", 3, None, False),
    ]
    assert [plan.count(a) for a in ("new", "increase", "stock", "unchanged", "correction")] == [
        2, 2, 1, 1, 1,
    ]  # fmt: skip
    assert plan.payload() == [
        {"internal_id": "ps_b", "date": "2025-11-03", "quantity": 4, "stock_on_hand": 12},
        {"internal_id": "ps_d", "date": "2025-11-03", "quantity": 0, "stock_on_hand": 25},
        {"internal_id": "ps_e", "date": "2025-11-03", "quantity": 1},
        {"internal_id": "ps_a", "date": "2025-11-04", "quantity": 0, "stock_on_hand": 0},
        {"internal_id": "ps_f", "date": "2025-11-04", "quantity": 3},
    ]
    correction = plan.corrections.iloc[0]
    assert (correction["sent_quantity"], correction["quantity"]) == (8, 5)
    assert plan.stock_lowered["ps_id"].tolist() == ["ps_e"]


def test_a_day_sent_as_running_totals_reaches_the_server_exactly_once() -> None:
    """Morning 3 sold (stock 20), afternoon 7 (16), evening 9 (14): the server's SUM ends at 9."""
    server_quantity, server_stock = 0, None
    sent = empty_sent()
    for quantity, stock in ((3, 20), (7, 16), (9, 14)):
        plan = plan_delta(frame([("ps_a", "2025-11-10", quantity, stock)]), sent)
        for row in plan.payload():
            server_quantity += row["quantity"]
            if "stock_on_hand" in row:
                server_stock = max(server_stock or 0, row["stock_on_hand"])
        sent = frame([("ps_a", "2025-11-10", server_quantity, server_stock)])
    assert server_quantity == 9
    # The stock can only go up on the server; the lower ones are flagged, not sent.
    assert server_stock == 20
    assert plan.stock_lowered["stock"].tolist() == [14]


def test_the_same_totals_again_send_nothing() -> None:
    totals = frame([("ps_a", "2025-11-03", 4, 9), ("ps_b", "2025-11-03", 0, NA)])
    assert len(plan_delta(totals, empty_sent()).payload()) == 2
    again = plan_delta(totals, totals)
    assert again.payload() == []
    assert again.count("unchanged") == 2
