"""The manager's edits to the proposal, kept per product (ps id) rather than per table row,
so a quantity typed before a filter or budget change is still there afterwards."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class LineEdit:
    """What the manager chose for one product: the quantity and whether the line is ticked."""

    quantity: int
    include: bool


Edits = Mapping[str, LineEdit]


def apply_edits(proposal: pd.DataFrame, include: pd.Series, edits: Edits) -> pd.DataFrame:
    """The proposal with an ``include`` column, each edited product's quantity and tick
    replacing the proposed ones."""
    edited = [edits.get(ps_id) for ps_id in proposal["ps_id"]]
    # Typed columns: an empty proposal (every line filtered out or held back) would
    # otherwise get float columns, which the editor refuses as quantities and ticks.
    quantity = [
        e.quantity if e else int(q) for e, q in zip(edited, proposal["quantity"], strict=True)
    ]
    ticked = [e.include if e else bool(i) for e, i in zip(edited, include, strict=True)]
    return proposal.assign(
        quantity=pd.Series(quantity, index=proposal.index, dtype="int64"),
        include=pd.Series(ticked, index=proposal.index, dtype=bool),
    )


def updated_edits(
    proposal: pd.DataFrame,
    include: pd.Series,
    quantity: pd.Series,
    included: pd.Series,
    edits: Edits,
) -> dict[str, LineEdit]:
    """``edits`` with the rows of ``proposal`` as the editor now shows them: a row whose
    quantity or tick differs from the proposal is an edit, one back at the proposed values
    is not. Products not in ``proposal`` (filtered out) keep their edits."""
    result = dict(edits)
    rows = zip(proposal["ps_id"], proposal["quantity"], include, quantity, included, strict=True)
    for ps_id, proposed, ticked, chosen, chosen_tick in rows:
        edit = LineEdit(int(chosen), bool(chosen_tick))
        if edit == LineEdit(int(proposed), bool(ticked)):
            result.pop(ps_id, None)
        else:
            result[ps_id] = edit
    return result
