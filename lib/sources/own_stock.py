"""Our own stock from a source that reads it per product under a budget (Price2B): which
linked items a sync reads (oldest-read first), the daily snapshot it stores, and each
linked PleasureStock product's stock summed over warehouses by us.

Rotation: when more items are linked than the budget allows, a sync reads the items
read longest ago (never-read first), so every linked item is read within
ceil(linked / budget) syncs. An item asked for but not found counts as read; its stock
that day is unknown.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Protocol, runtime_checkable

from sqlalchemy.orm import Session, sessionmaker

from lib.db import LinkGroup, UnitOfWork
from lib.sources.records import PLEASURESTOCK, StockLine, StockReading
from lib.sources.source import Source

_NEVER = datetime.min.replace(tzinfo=UTC)


@runtime_checkable
class BudgetedStockSource(Protocol):
    """A source whose stock costs one request per item, read within ``stock_budget``."""

    key: str
    stock_budget: int

    def with_stock_keys(self, keys: Collection[str]) -> Source:
        """The same source, reading the stock of ``keys`` with its catalog."""
        ...


@dataclass(frozen=True)
class OwnStock:
    """One PleasureStock product's own stock, summed over its linked items' warehouses;
    a figure is None (unknown) when any warehouse does not state it or a linked item has
    no stock read that day."""

    on_hand: int | None
    reserved: int | None
    available: int | None
    warehouses: tuple[StockLine, ...]


def linked_keys(groups: Iterable[LinkGroup], source: str) -> set[str]:
    """``source``'s item keys that belong to a confirmed link group."""
    return {
        m.item_key
        for g in groups
        if g.state == "confirmed"
        for m in g.members
        if m.source == source
    }


def choose_stock_keys(
    linked: Collection[str], read_at: Mapping[str, datetime], budget: int
) -> list[str]:
    """At most ``budget`` of ``linked``: never read first, then the oldest read; equal
    times in numeric key order (Price2B's ids), so the choice is the same every time."""
    order = sorted(linked, key=lambda k: (read_at.get(k, _NEVER), len(k), k))
    return order[: max(budget, 0)]


def _sum(figures: Sequence[int | None]) -> int | None:
    return None if not figures or any(n is None for n in figures) else sum(figures)  # type: ignore[arg-type]


def own_stock_by_product(
    groups: Iterable[LinkGroup], lines: Iterable[StockLine], source: str
) -> dict[str, OwnStock]:
    """PleasureStock product -> its own stock from ``source``'s ``lines`` (kind "own"),
    summed over every warehouse of every item linked to it; only confirmed groups with
    one PleasureStock product count (stock is never guessed onto a product)."""
    by_item: dict[str, list[StockLine]] = {}
    for line in lines:
        if line.kind == "own":
            by_item.setdefault(line.item_key, []).append(line)
    found: dict[str, OwnStock] = {}
    for group in groups:
        ps_ids = [m.item_key for m in group.members if m.source == PLEASURESTOCK]
        items = [m.item_key for m in group.members if m.source == source]
        if group.state != "confirmed" or len(ps_ids) != 1 or not items:
            continue
        warehouses = tuple(w for item in items for w in by_item.get(item, []))
        unread = any(item not in by_item for item in items)
        totals = [
            None if unread else _sum([getattr(w, figure) for w in warehouses])
            for figure in ("on_hand", "reserved", "available")
        ]
        found[ps_ids[0]] = OwnStock(*totals, warehouses=warehouses)
    return found


def store_stock_reading(
    session_factory: sessionmaker[Session],
    source: str,
    reading: StockReading,
    *,
    taken_at: datetime,
    time_zone: tzinfo,
) -> int:
    """Store ``reading`` as the snapshot of ``taken_at``'s day in ``time_zone`` (today's,
    replacing what was read of the same items earlier that day); the lines stored. Keys
    not found at the source count as read, their stock unknown."""
    with UnitOfWork(session_factory) as uow:
        stored = uow.stock_days.store(
            source,
            reading.lines,
            read=reading.read | reading.missing,
            day=taken_at.astimezone(time_zone).date(),
            taken_at=taken_at,
        )
        uow.commit()
    return stored


def chosen_stock_keys(
    session_factory: sessionmaker[Session], source: str, budget: int
) -> list[str]:
    """The linked items of ``source`` the next sync reads (see the module)."""
    with UnitOfWork(session_factory) as uow:
        linked = linked_keys(uow.links.groups(["confirmed"]), source)
        return choose_stock_keys(linked, uow.stock_days.read_times(source), budget)


def own_stock_of_day(
    session_factory: sessionmaker[Session], source: str, day: date
) -> dict[str, OwnStock]:
    """Each linked PleasureStock product's own stock as ``source``'s snapshot of ``day``
    holds it (empty when nothing was read that day)."""
    with UnitOfWork(session_factory) as uow:
        lines = [line for line, _ in uow.stock_days.day(source, day)]
        groups = uow.links.groups(["confirmed"])
    return own_stock_by_product(groups, lines, source)
