"""The one rounding rule for money a person reads: half up, to the cent, from Decimal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lib.money import grid_money, round_money


@pytest.mark.parametrize(
    ("exact", "rounded"),
    [
        ("2071.575", "2071.58"),
        ("350.145", "350.15"),
        ("372.715", "372.72"),
        ("517.905", "517.91"),
        ("0.125", "0.13"),  # half up, not to the even cent
        ("-4.505", "-4.51"),  # halves away from zero
        ("10655.3249999", "10655.32"),
        ("7", "7.00"),
    ],
)
def test_money_is_rounded_half_up_to_the_cent(exact: str, rounded: str) -> None:
    assert str(round_money(Decimal(exact))) == rounded


def test_a_grid_gets_the_float_of_the_rounded_cents() -> None:
    # float(2071.575) is 2071.57499…, which a grid's "%.2f" shows as 2071.57.
    assert f"{float(Decimal('2071.575')):.2f}" == "2071.57"
    assert f"{grid_money(Decimal('2071.575')):.2f}" == "2071.58"
    assert grid_money(None) is None
