"""Guard rails: margin floor and markup ceiling over TCC, flagged but never changed."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from lib.pricing.guard_rails import GuardRails, check_rails, margin_pct, markup_pct


def test_margin_and_markup() -> None:
    price, cost = np.array([100.0, 50.0, 0.0, 10.0]), np.array([60.0, 50.0, 5.0, 0.0])
    assert margin_pct(price, cost)[:2] == pytest.approx([40.0, 0.0])
    assert np.isnan(margin_pct(price, cost)[2])
    assert markup_pct(price, cost)[:3] == pytest.approx([66.666667, 0.0, -100.0])
    assert np.isnan(markup_pct(price, cost)[3])


def test_breakers_are_flagged() -> None:
    rails = GuardRails(min_margin_pct=Decimal("20"), max_markup_pct=Decimal("300"))
    # margins: 40%, 10%, exactly 20% (as 0.8 * 125 lands a hair off), markup 400%, no TCC.
    price = np.array([100.0, 100.0, 125.0, 50.0, 100.0, np.nan])
    cost = np.array([60.0, 90.0, 0.8 * 125, 10.0, np.nan, 5.0])
    check = check_rails(price, cost, rails)
    assert check.margin_too_low.tolist() == [False, True, False, False, False, False]
    assert check.markup_too_high.tolist() == [False, False, False, True, False, False]
    assert check.cost_unknown.tolist() == [False, False, False, False, True, False]


def test_no_rails_flag_nothing() -> None:
    check = check_rails(np.array([1.0, 2.0]), np.array([5.0, np.nan]), GuardRails())
    assert not check.margin_too_low.any()
    assert not check.markup_too_high.any()
    assert not check.cost_unknown.any()


def test_settings_are_validated_and_kept_as_typed() -> None:
    assert GuardRails(Decimal("20.000000"), Decimal("300.0")) == GuardRails(
        Decimal("20"), Decimal("300")
    )
    assert str(GuardRails(Decimal("20.000000")).min_margin_pct) == "20"
    assert str(GuardRails(Decimal("12.50")).min_margin_pct) == "12.5"
    assert GuardRails(Decimal("20"), Decimal("300")).describe() == "margin ≥ 20%, markup ≤ 300%"
    assert GuardRails().describe() == "none"
    with pytest.raises(ValueError, match="below 100%"):
        GuardRails(min_margin_pct=Decimal("100"))
    with pytest.raises(ValueError, match="above 0%"):
        GuardRails(max_markup_pct=Decimal("0"))
