"""Our own stock (Price2B's daily snapshot) beside each Reorder line, and the mark when
it disagrees with the stock Smart Reordering's recommendation used.

The rule: a line is marked when our stock is known and differs from the
recommendation's ``current_stock`` by more than ``TOLERANCE_UNITS`` units **and** by more
than ``TOLERANCE_SHARE`` of the larger of the two. Small gaps are the hours between the
two readings (a sale, a delivery); a larger one means PleasureStock plans on stock we do
not have, or the other way round. Unknown stock is never marked: it is shown unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import pandas as pd

from lib.sources.own_stock import OwnStock

TOLERANCE_UNITS = 2
TOLERANCE_SHARE = Decimal("0.10")


def stock_disagrees(own: int | None, recommended: int) -> bool:
    """True when ``own`` (our on-hand figure) and the recommendation's stock differ by more
    than the module's tolerance; False when ``own`` is unknown."""
    if own is None:
        return False
    gap = abs(own - recommended)
    return gap > TOLERANCE_UNITS and gap > TOLERANCE_SHARE * max(own, recommended)


def with_own_stock(proposal: pd.DataFrame, own: Mapping[str, OwnStock]) -> pd.DataFrame:
    """``proposal`` with our on-hand, reserved and available stock per line (nullable
    integers: unknown stays unknown), whether the product is linked, and the mark."""
    found = [own.get(ps_id) for ps_id in proposal["ps_id"]]

    def figure(name: str) -> pd.Series:
        values = [None if s is None else getattr(s, name) for s in found]
        return pd.Series(values, index=proposal.index, dtype="Int64")

    return proposal.assign(
        own_on_hand=figure("on_hand"),
        own_reserved=figure("reserved"),
        own_available=figure("available"),
        own_linked=[s is not None for s in found],
        own_disagrees=[
            s is not None and stock_disagrees(s.on_hand, int(stock))
            for s, stock in zip(found, proposal["stock"], strict=True)
        ],
    )
