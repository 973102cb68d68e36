"""One compare-and-set for rows that move through states (sales batches, order requests).

A move succeeds only if the row is still in one of the expected states, so two runs that
race for the same row cannot both claim it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from sqlalchemy import update
from sqlalchemy.orm import Session


def move_state(
    session: Session,
    row_type: type[Any],
    row_id: int,
    from_states: Iterable[str],
    to_state: str,
    values: Mapping[str, Any],
) -> bool:
    """Set ``row_type`` row ``row_id`` to ``to_state`` (and ``values``) if it is in
    ``from_states``; True when this call made the move."""
    result = session.execute(
        update(row_type)
        .where(row_type.id == row_id, row_type.state.in_(list(from_states)))
        .values(state=to_state, **values)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return cast(int, result.rowcount) == 1  # type: ignore[attr-defined]
