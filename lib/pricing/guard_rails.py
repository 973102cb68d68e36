"""Guard rails on final prices: a minimum margin % and a maximum markup % over TCC.

Margin % = (price − TCC) / price × 100; markup % = (price − TCC) / TCC × 100. A price
that breaks a rail is flagged, never changed: a person decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

_SLACK = 1e-6


@dataclass(frozen=True)
class GuardRails:
    """The rails in force; None switches a rail off."""

    min_margin_pct: Decimal | None = None
    max_markup_pct: Decimal | None = None

    def __post_init__(self) -> None:
        # Stored with 6 places, typed as floats: keep the value as a person writes it.
        object.__setattr__(self, "min_margin_pct", _plain(self.min_margin_pct))
        object.__setattr__(self, "max_markup_pct", _plain(self.max_markup_pct))
        if self.min_margin_pct is not None and not 0 <= self.min_margin_pct < 100:
            raise ValueError("the minimum margin must be at least 0% and below 100%")
        if self.max_markup_pct is not None and self.max_markup_pct <= 0:
            raise ValueError("the maximum markup must be above 0%")

    @property
    def active(self) -> bool:
        """True when at least one rail is set."""
        return self.min_margin_pct is not None or self.max_markup_pct is not None

    def describe(self) -> str:
        """E.g. ``margin ≥ 20%, markup ≤ 300%`` or ``none``."""
        parts = []
        if self.min_margin_pct is not None:
            parts.append(f"margin ≥ {self.min_margin_pct}%")
        if self.max_markup_pct is not None:
            parts.append(f"markup ≤ {self.max_markup_pct}%")
        return ", ".join(parts) or "none"


def _plain(value: Decimal | None) -> Decimal | None:
    """``20.000000`` or ``20.0`` as ``20``, ``12.50`` as ``12.5``."""
    if value is None:
        return None
    normal = Decimal(value).normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


@dataclass(frozen=True)
class RailCheck:
    """Per-row margin and markup (NaN when unknown) and which rail each row breaks."""

    margin_pct: np.ndarray
    markup_pct: np.ndarray
    margin_too_low: np.ndarray
    markup_too_high: np.ndarray
    cost_unknown: np.ndarray


def margin_pct(price: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """(price − cost) / price × 100; NaN where the price is not positive or either is missing."""
    margin = price - cost
    with np.errstate(all="ignore"):
        margin /= price
    margin *= 100.0
    margin[~(price > 0)] = np.nan
    return margin


def markup_pct(price: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """(price − cost) / cost × 100; NaN where the cost is not positive or either is missing."""
    markup = price - cost
    with np.errstate(all="ignore"):
        markup /= cost
    markup *= 100.0
    markup[~(cost > 0)] = np.nan
    return markup


def check_rails(price: np.ndarray, cost: np.ndarray, rails: GuardRails) -> RailCheck:
    """Check every priced row (``price`` not NaN) against ``rails``; costs are TCC."""
    margin, markup = margin_pct(price, cost), markup_pct(price, cost)
    priced = ~np.isnan(price)
    # A millionth of a percent of slack, so 20% computed as 19.99999999…% passes.
    low = (
        priced & (margin < float(rails.min_margin_pct) - _SLACK)
        if rails.min_margin_pct is not None
        else np.zeros(len(price), dtype=bool)
    )
    high = (
        priced & (markup > float(rails.max_markup_pct) + _SLACK)
        if rails.max_markup_pct is not None
        else np.zeros(len(price), dtype=bool)
    )
    unknown = priced & ~(cost > 0) if rails.active else np.zeros(len(price), dtype=bool)
    return RailCheck(margin, markup, low, high, unknown)
