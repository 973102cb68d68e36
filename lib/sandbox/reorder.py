"""Smart-reordering recommendations computed from the stored sales, as the sandbox's 'AI'."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from lib.sandbox.store import SandboxStore

WINDOW_DAYS = 28
LEAD_DAYS = 14
SAFETY_DAYS = 7
BACKTEST_DAYS = 7


def _average(store: SandboxStore, internal_id: str, days: list[date]) -> float | None:
    """Mean daily quantity over `days`, skipping stockout days (stock_on_hand == 0)."""
    total, count = 0, 0
    for day in days:
        row = store.sales.get((internal_id, day))
        if row is None or row[1] == 0:
            continue
        total += row[0]
        count += 1
    return total / count if count else None


def _last_stock(store: SandboxStore, internal_id: str, day: date) -> int:
    known = [
        d
        for d in store.sales_dates(internal_id)
        if d <= day and store.sales[(internal_id, d)][1] is not None
    ]
    if not known:
        return 0
    return store.sales[(internal_id, max(known))][1] or 0


def _accuracy(store: SandboxStore, internal_id: str, window: list[date]) -> float:
    """1 - relative error of the earlier weeks' average as a forecast of the last week."""
    predicted = _average(store, internal_id, window[:-BACKTEST_DAYS])
    actual = _average(store, internal_id, window[-BACKTEST_DAYS:])
    if predicted is None or actual is None or max(predicted, actual) == 0:
        return 0.5
    return round(max(0.0, 1 - abs(predicted - actual) / max(predicted, actual)), 2)


def recommendations(store: SandboxStore, day: date) -> list[dict[str, Any]]:
    """Products to reorder on `day`: ceil(avg * (lead + safety days)) - stock, when positive."""
    window = [day - timedelta(days=offset) for offset in range(WINDOW_DAYS - 1, -1, -1)]
    calculated = f"{day.isoformat()}T00:00:00Z"
    result: list[dict[str, Any]] = []
    with store.lock:
        for product in store.products:
            if not store.sales_dates(product.internal_id):
                continue
            average = _average(store, product.internal_id, window)
            if average is None:
                continue
            stock = _last_stock(store, product.internal_id, day)
            wanted = math.ceil(round(average * (LEAD_DAYS + SAFETY_DAYS), 6)) - stock
            if wanted <= 0:
                continue
            result.append(
                {
                    "product_internal_id": product.pl_id,
                    "product_name": product.name,
                    "product_sku": product.sku,
                    "recommended_quantity": wanted,
                    "current_stock": stock,
                    "average_daily_sales": round(average, 2),
                    "forecast_accuracy": _accuracy(store, product.internal_id, window),
                    "calculation_date": calculated,
                }
            )
    return result
