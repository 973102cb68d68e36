"""Rounding up to .99/.90 endings and multiples of 5 and 10, in the price currency or TRY."""

from __future__ import annotations

import numpy as np
import pytest

from lib.pricing.rounding import Rounding, RoundingMode, round_prices, round_prices_in_try


@pytest.mark.parametrize(
    ("mode", "prices", "expected"),
    [
        ("none", [2.675, 12.0, 0.004], [2.68, 12.0, 0.0]),
        # The price is first rounded to the cent: 11.994 is 11.99, 11.995 is 12.00.
        (
            "end_99",
            [12.0, 11.99, 11.5, 0.5, 11.994, 11.995],
            [12.99, 11.99, 11.99, 0.99, 11.99, 12.99],
        ),
        ("end_90", [12.91, 12.90, 12.00, 0.10], [13.90, 12.90, 12.90, 0.90]),
        ("multiple_5", [12.01, 15.00, 0.01, 14.999], [15, 15, 5, 15]),
        ("multiple_10", [101, 110, 109.99, 0.5], [110, 110, 110, 10]),
    ],
)
def test_round_up(mode: RoundingMode, prices: list[float], expected: list[float]) -> None:
    assert round_prices(np.array(prices), mode) == pytest.approx(expected)


def test_never_rounds_down_and_keeps_nan() -> None:
    prices = np.array([1.01, 7.5, 99.99, np.nan])
    for mode in ("end_99", "end_90", "multiple_5", "multiple_10"):
        rounded = round_prices(prices, mode)  # type: ignore[arg-type]
        assert (rounded[:3] >= prices[:3]).all()
        assert np.isnan(rounded[3])


def test_in_try_rounds_the_lira_price_and_converts_back() -> None:
    prices = np.array([10.0, 10.0, 5.0])
    rates = np.array([34.2, np.nan, 1.0])
    back, in_try = round_prices_in_try(prices, rates, "end_99")
    assert in_try[0] == pytest.approx(342.99)
    assert back[0] == pytest.approx(10.03)  # 342.99 / 34.2 = 10.0289…
    # No rate: the price is only rounded to the cent and there is no TRY price.
    assert back[1] == 10.0 and np.isnan(in_try[1])
    assert back[2] == pytest.approx(5.99) and in_try[2] == pytest.approx(5.99)


def test_settings() -> None:
    assert Rounding().describe() == "No rounding"
    assert Rounding("end_99", in_try=True).describe() == "Up to a price ending in .99, in TRY"
    assert Rounding("multiple_5").describe() == "Up to a multiple of 5, in the price currency"
    with pytest.raises(ValueError, match="unknown rounding"):
        Rounding("end_95")  # type: ignore[arg-type]
