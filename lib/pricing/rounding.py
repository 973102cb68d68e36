"""The optional last pricing step: round up to a .99/.90 ending or a multiple of 5 or 10.

Rounding goes up, never down, so it can only widen the margin the formula set. It
works in whole cents (the formula's result is first rounded half up to the cent), in
the price's own currency or, using the TRY rates, on the lira price.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np

RoundingMode = Literal["none", "end_99", "end_90", "multiple_5", "multiple_10"]
ROUNDING_MODES: dict[RoundingMode, str] = {
    "none": "No rounding",
    "end_99": "Up to a price ending in .99",
    "end_90": "Up to a price ending in .90",
    "multiple_5": "Up to a multiple of 5",
    "multiple_10": "Up to a multiple of 10",
}
# (cents step, cents the price ends in) of each mode.
_STEPS: dict[RoundingMode, tuple[int, int]] = {
    "end_99": (100, 99),
    "end_90": (100, 90),
    "multiple_5": (500, 0),
    "multiple_10": (1000, 0),
}


@dataclass(frozen=True)
class Rounding:
    """How final prices are rounded, and whether in the price currency or in TRY."""

    mode: RoundingMode = "none"
    in_try: bool = False

    def __post_init__(self) -> None:
        if self.mode not in get_args(RoundingMode):
            raise ValueError(f"unknown rounding {self.mode!r}; use one of {get_args(RoundingMode)}")

    def describe(self) -> str:
        """E.g. ``Up to a price ending in .99, in TRY``."""
        if self.mode == "none":
            return ROUNDING_MODES["none"]
        return f"{ROUNDING_MODES[self.mode]}, in {'TRY' if self.in_try else 'the price currency'}"


# The functions below work in place on one fresh array: on our VMs every new
# 100,000-row temporary costs more in page faults than the arithmetic on it.


def to_cents(values: np.ndarray) -> np.ndarray:
    """Whole cents (as float64), halves rounded up; ``values`` are positive amounts."""
    cents = values * 100.0
    # The snap to 6 places first stops 2.675 (stored as 2.67499999…) from becoming 2.67.
    np.round(cents, 6, out=cents)
    cents += 0.5
    return np.floor(cents, out=cents)


def round_prices(values: np.ndarray, mode: RoundingMode) -> np.ndarray:
    """``values`` to the cent, then rounded up as ``mode`` says, in the same currency."""
    cents = to_cents(values)
    if mode != "none":
        step, ending = _STEPS[mode]
        # The smallest k * step + ending that is at least the price.
        cents -= ending
        cents /= step
        np.ceil(cents, out=cents)
        cents *= step
        cents += ending
    cents /= 100.0
    return cents


def round_prices_in_try(
    values: np.ndarray, rate_to_try: np.ndarray, mode: RoundingMode
) -> tuple[np.ndarray, np.ndarray]:
    """Round the TRY price; returns (price in its currency to the cent, rounded TRY price).

    Rows without a rate (NaN) are only rounded to the cent and get NaN in TRY.
    """
    in_try = round_prices(values * rate_to_try, mode)
    back = in_try / rate_to_try
    no_rate = np.isnan(rate_to_try)
    back[no_rate] = values[no_rate]
    return round_prices(back, "none"), in_try
