"""Seeded daily sales history: weekly seasonality, trends, slow movers and stockouts."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from lib.sandbox.models import Product

SALES_DAYS = 120
ACTIVE_PRODUCTS = 800
# Monday..Sunday demand multipliers: weekends sell more.
_WEEKDAY_FACTOR = np.array([0.85, 0.85, 0.9, 0.95, 1.1, 1.4, 1.3])

SalesRow = tuple[int, int | None]


def make_sales(
    rng: np.random.Generator, products: list[Product], today: date
) -> dict[tuple[str, date], SalesRow]:
    """Daily (quantity, stock_on_hand) for ~800 products over the 120 days before `today`."""
    n, days = ACTIVE_PRODUCTS, SALES_DAYS
    chosen = rng.choice(len(products), size=n, replace=False)
    dates = [today - timedelta(days=days - d) for d in range(days)]
    weekday = _WEEKDAY_FACTOR[[d.weekday() for d in dates]]

    slow = rng.random(n) < 0.3
    base_rate = np.where(slow, rng.uniform(0.05, 0.4, n), rng.lognormal(1.0, 0.8, n))
    trend = rng.uniform(-0.5, 0.8, n)
    ramp = 1.0 + trend[:, None] * (np.arange(days)[None, :] / days)
    rate = base_rate[:, None] * ramp * weekday[None, :]
    demand = rng.poisson(np.clip(rate, 0.0, None))

    quantity = np.zeros((n, days), dtype=np.int64)
    stock_end = np.zeros((n, days), dtype=np.int64)
    stock = np.ceil(base_rate * rng.uniform(15, 60, n)).astype(np.int64) + 2
    wait = np.zeros(n, dtype=np.int64)
    refill = np.ceil(base_rate * rng.uniform(30, 60, n)).astype(np.int64) + 5
    lead = rng.integers(2, 9, size=(n, days))
    for d in range(days):
        # Goods arrive in the morning after the lead time that started at the stockout.
        arriving = (stock == 0) & (wait == 0)
        stock = np.where(arriving, refill, stock)
        sold = np.minimum(demand[:, d], stock)
        stock = stock - sold
        wait = np.where((stock == 0) & (wait == 0) & ~arriving, lead[:, d], np.maximum(wait - 1, 0))
        quantity[:, d] = sold
        stock_end[:, d] = stock

    # A few shops never report stock: their rows carry quantity only.
    no_stock = rng.random(n) < 0.05
    sales: dict[tuple[str, date], SalesRow] = {}
    for row, product_index in enumerate(chosen.tolist()):
        internal_id = products[product_index].internal_id
        stocks: list[int | None] = [None] * days if no_stock[row] else stock_end[row].tolist()
        for day, qty, soh in zip(dates, quantity[row].tolist(), stocks, strict=True):
            sales[(internal_id, day)] = (qty, soh)
    return sales
