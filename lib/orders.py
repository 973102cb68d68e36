"""Order facts the dashboard derives from the order list."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from lib.pleasurestock.models import ORDER_STATUSES, Order


def orders_by_status(orders: Iterable[Order]) -> dict[str, int]:
    """Order count per status, in workflow order, every status present (0 when none)."""
    counts = Counter(order.status for order in orders)
    ordered = {status: counts.pop(status, 0) for status in ORDER_STATUSES}
    # A status the documents do not know is still counted, after the known ones.
    return ordered | dict(sorted(counts.items()))
