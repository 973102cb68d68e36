"""Quantity price breaks (PSRESTful's ``priceBreaks``): the unit price at a quantity and
how many more units reach the next cheaper break. Pure, ``Decimal`` only.

Our reading of NOTES-peers.md 2.5 point 2, applied exactly:

- A break covers ``min_qty`` to ``max_qty`` inclusive (the document's 1–11, 12–35).
- A break whose ``max_qty`` is None is open-ended: the source stated no upper bound, so
  it covers every quantity from ``min_qty`` up.
- A quantity past the last break's ``max_qty``, below the first break's ``min_qty``, or
  in a gap between breaks has **no price** (None): nothing is documented there and a
  price is never extrapolated or borrowed from a neighbouring break.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from lib.sources.records import PricePoint


def _checked(points: Sequence[PricePoint]) -> list[PricePoint]:
    """The breaks sorted by ``min_qty``; one item, kind and currency only (a CAD amount
    compared with a USD one would be meaningless)."""
    if len({(p.item_key, p.kind, p.currency) for p in points}) > 1:
        raise ValueError("price breaks must be of one item, one kind and one currency")
    return sorted(points, key=lambda p: p.min_qty)


def break_at(points: Sequence[PricePoint], quantity: int) -> PricePoint | None:
    """The break that applies to ``quantity`` units, or None where no break covers it."""
    for point in _checked(points):
        if point.min_qty <= quantity and (point.max_qty is None or quantity <= point.max_qty):
            return point
    return None


def price_at(points: Sequence[PricePoint], quantity: int) -> Decimal | None:
    """The unit price at ``quantity`` units, or None where no break covers it (past the
    last bounded break, below the first, in a gap; see the module)."""
    found = break_at(points, quantity)
    return None if found is None else found.amount


def units_to_next_break(points: Sequence[PricePoint], quantity: int) -> int | None:
    """How many more units than ``quantity`` reach the nearest break above it with a
    lower unit price, or None when ``quantity`` has no price or no cheaper break follows."""
    current = break_at(points, quantity)
    if current is None:
        return None
    cheaper = [p for p in _checked(points) if p.min_qty > quantity and p.amount < current.amount]
    return cheaper[0].min_qty - quantity if cheaper else None
