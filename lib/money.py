"""Money as a person reads it: rounded once, half up, to the cent (kuruş), from the exact Decimal.

Sums and conversions stay exact ``Decimal`` until a figure is shown or exported; then
``round_money`` rounds it, once. Metrics, grids and exports all use it, so one amount
reads the same everywhere (59.40 EUR × 34.875 = 2,071.575 reads ₺2,071.58).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def round_money(amount: Decimal) -> Decimal:
    """``amount`` to the cent, halves away from zero: 2,071.575 -> 2,071.58, -0.125 -> -0.13."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def grid_money(amount: Decimal | None) -> float | None:
    """``amount`` rounded to the cent, as the float a grid column sorts by and shows.

    The float is the one nearest the rounded cents, so the grid's two-decimal format shows
    exactly those cents; rounding the exact float of 2,071.575 (2,071.57499…) would not.
    """
    return None if amount is None else float(round_money(amount))
