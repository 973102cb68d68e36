"""The unit price at a quantity and the units to the next cheaper break: exactly at a
break, one below it, past the last, open-ended, CAD, a single break."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lib.sources.price_breaks import price_at, units_to_next_break
from lib.sources.records import PricePoint


def breaks(*rows: tuple[int, int | None, str], currency: str = "USD") -> list[PricePoint]:
    return [
        PricePoint("SanMar:PC61-BLK-S", "net", Decimal(a), currency, lo, hi) for lo, hi, a in rows
    ]


# The document's example: 4.18 net for 1–11 units, 3.84 for 12–35, then nothing said.
DOC = breaks((1, 11, "4.18"), (12, 35, "3.84"))


@pytest.mark.parametrize(
    ("quantity", "price"),
    [(1, "4.18"), (11, "4.18"), (12, "3.84"), (35, "3.84")],
)
def test_the_break_covering_a_quantity_gives_its_price(quantity: int, price: str) -> None:
    assert price_at(DOC, quantity) == Decimal(price)


def test_past_the_last_bounded_break_there_is_no_price() -> None:
    assert price_at(DOC, 36) is None
    assert price_at(DOC, 10_000) is None


def test_below_the_first_break_there_is_no_price() -> None:
    assert price_at(breaks((12, 35, "3.84")), 11) is None
    assert price_at(DOC, 0) is None


def test_a_gap_between_breaks_has_no_price() -> None:
    assert price_at(breaks((1, 11, "4.18"), (24, 35, "3.84")), 12) is None


def test_an_open_ended_last_break_covers_every_larger_quantity() -> None:
    points = breaks((1, 11, "4.18"), (12, None, "3.84"))
    assert price_at(points, 5000) == Decimal("3.84")


def test_units_to_the_next_cheaper_break() -> None:
    assert units_to_next_break(DOC, 1) == 11
    assert units_to_next_break(DOC, 11) == 1  # one below the break
    assert units_to_next_break(DOC, 12) is None  # at the last break
    assert units_to_next_break(DOC, 36) is None  # past it: no price at all


def test_a_break_that_is_not_cheaper_is_not_the_next_break() -> None:
    points = breaks((1, 11, "4.18"), (12, 35, "4.18"), (36, 71, "3.9999"))
    assert units_to_next_break(points, 5) == 31


def test_cad_breaks_keep_their_amounts_exactly() -> None:
    cad = breaks((1, 11, "5.7266"), (12, 35, "5.2608"), currency="CAD")
    assert price_at(cad, 12) == Decimal("5.2608")
    assert units_to_next_break(cad, 3) == 9


def test_a_single_break() -> None:
    single = breaks((1, 11, "4.18"))
    assert price_at(single, 11) == Decimal("4.18")
    assert price_at(single, 12) is None
    assert units_to_next_break(single, 1) is None


def test_usd_and_cad_breaks_are_never_mixed() -> None:
    mixed = DOC + breaks((36, 71, "5.00"), currency="CAD")
    with pytest.raises(ValueError, match="one currency"):
        price_at(mixed, 40)
