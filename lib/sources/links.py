"""Product links, one function per user action: propose links from the stored
snapshots, confirm proposals (in bulk), reject one; and what the Product links section
shows. Every change is audited. A confirmed link survives every sync; one whose item
has disappeared from its source's snapshot is kept and flagged."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from lib.db import LinkGroup, UnitOfWork
from lib.sources.matching import propose
from lib.sources.namespaces import SOURCE_KEYS, Namespace
from lib.sources.own_stock import OwnStock, own_stock_by_product, own_stock_of_day
from lib.sources.records import PLEASURESTOCK, LinkMember, SourceItem


@dataclass(frozen=True)
class ProposalSummary:
    """What ``propose_links`` found: open proposals per method and items withheld."""

    by_method: dict[str, int]
    ambiguous_items: int
    items_per_source: dict[str, int]

    @property
    def proposed(self) -> int:
        """How many proposals are open now."""
        return sum(self.by_method.values())


def propose_links(
    session_factory: sessionmaker[Session],
    declared: Sequence[frozenset[Namespace]],
    *,
    actor: str,
) -> ProposalSummary:
    """Propose links between the sources' stored items (``matching``) and make them the
    open proposals; confirmed and rejected groups stay as they are."""
    with UnitOfWork(session_factory) as uow:
        items = {source: uow.sources.items(source) for source in SOURCE_KEYS}
        linked = {m for g in uow.links.groups(["confirmed"]) for m in g.members}
        matching = propose(items, declared, linked=linked, rejected=uow.links.rejected())
        uow.links.replace_proposals(matching.proposals, at=datetime.now(UTC))
        summary = ProposalSummary(
            by_method=dict(Counter(link.method for link in matching.proposals)),
            ambiguous_items=len(matching.ambiguous),
            items_per_source={source: len(found) for source, found in items.items()},
        )
        uow.audit.record(
            actor,
            "links.propose",
            "item_links",
            after={"proposed": summary.by_method, "ambiguous_items": summary.ambiguous_items},
        )
        uow.commit()
    return summary


def confirm_links(
    session_factory: sessionmaker[Session], group_ids: Collection[str], *, actor: str
) -> int:
    """Confirm the open proposals among ``group_ids``; how many were confirmed (one
    confirmed meanwhile, or no longer proposed, is skipped)."""
    with UnitOfWork(session_factory) as uow:
        confirmed = uow.links.confirm(group_ids, by=actor, at=datetime.now(UTC))
        if confirmed:
            uow.audit.record(
                actor,
                "links.confirm",
                "item_links",
                after=[_audit_view(group) for group in confirmed],
            )
        uow.commit()
    return len(confirmed)


def reject_link(session_factory: sessionmaker[Session], group_id: str, *, actor: str) -> bool:
    """Reject a proposal (or undo a confirmed link) so it is never proposed again;
    False when there was no such open group."""
    with UnitOfWork(session_factory) as uow:
        group = uow.links.reject(group_id)
        if group is not None:
            uow.audit.record(
                actor, "links.reject", "item_links", group_id, before=_audit_view(group)
            )
        uow.commit()
    return group is not None


def _audit_view(group: LinkGroup) -> dict[str, object]:
    return {
        "group_id": group.group_id,
        "state": group.state,
        "method": group.method,
        "code": group.code,
        "members": [f"{m.source}:{m.item_key}" for m in group.members],
    }


@dataclass(frozen=True)
class LinkedItem:
    """One member of a group as a person reads it; ``item`` None when it has
    disappeared from its source's snapshot."""

    member: LinkMember
    item: SourceItem | None


@dataclass(frozen=True)
class LinkView:
    """A group with its members' items."""

    group: LinkGroup
    items: tuple[LinkedItem, ...]

    @property
    def missing(self) -> bool:
        """True when an item of the group is no longer in its source's snapshot."""
        return any(linked.item is None for linked in self.items)

    def item_of(self, source: str) -> LinkedItem | None:
        """The group's member from ``source``, if it has one."""
        return next((i for i in self.items if i.member.source == source), None)


@dataclass(frozen=True)
class LinksOverview:
    """The open proposals and the confirmed links."""

    proposals: list[LinkView]
    confirmed: list[LinkView]


def links_overview(session_factory: sessionmaker[Session]) -> LinksOverview:
    """Every open proposal and confirmed link with its items (by code)."""
    with UnitOfWork(session_factory) as uow:
        groups = uow.links.groups(["proposed", "confirmed"])
        items = {
            LinkMember(i.source, i.item_key): i
            for source in SOURCE_KEYS
            for i in uow.sources.items(source)
        }
    views = [LinkView(g, tuple(LinkedItem(m, items.get(m)) for m in g.members)) for g in groups]
    return LinksOverview(
        proposals=[v for v in views if v.group.state == "proposed"],
        confirmed=[v for v in views if v.group.state == "confirmed"],
    )


def linked_ps_ids(session_factory: sessionmaker[Session], source: str) -> dict[str, str]:
    """``source``'s SKUs (as its orders name them) -> the PleasureStock product a
    confirmed link gives each. A SKU on several of its items, or a link whose item has
    gone, gives nothing: sales are never guessed onto a product."""
    with UnitOfWork(session_factory) as uow:
        groups = uow.links.groups(["confirmed"])
        items = {i.item_key: i for i in uow.sources.items(source)}
    skus = Counter(i.sku for i in items.values() if i.sku)
    linked: dict[str, str] = {}
    for group in groups:
        ps_ids = [m.item_key for m in group.members if m.source == PLEASURESTOCK]
        for member in group.members:
            item = items.get(member.item_key) if member.source == source else None
            if item is not None and item.sku and skus[item.sku] == 1 and len(ps_ids) == 1:
                linked[item.sku] = ps_ids[0]
    return linked


def linked_stock_on_hand(
    session_factory: sessionmaker[Session], source: str, *, day: date, time_zone: ZoneInfo
) -> dict[str, int]:
    """PleasureStock product -> the on-hand stock of ``source``'s linked items, summed over
    their warehouses by us, from a snapshot taken on ``day`` (in ``time_zone``). A product
    with any warehouse of unknown stock is left out (unknown is never 0), and so is every
    product when the last sync failed or was not that day."""
    with UnitOfWork(session_factory) as uow:
        last = uow.sources.last_sync(source)
        taken = last.finished_at.astimezone(time_zone).date() if last is not None else None
        if last is None or last.status != "ok" or taken != day:
            return {}
        groups = uow.links.groups(["confirmed"])
        lines = uow.sources.stock(source)
    return _known_on_hand(own_stock_by_product(groups, lines, source))


def snapshot_stock_on_hand(
    session_factory: sessionmaker[Session], source: str, *, day: date
) -> dict[str, int]:
    """PleasureStock product -> the on-hand stock of ``source``'s linked items in the daily
    snapshot of ``day`` (Price2B's), summed over warehouses by us; a product with any
    warehouse or linked item unknown that day is left out (unknown is never 0)."""
    return _known_on_hand(own_stock_of_day(session_factory, source, day))


def _known_on_hand(stock: dict[str, OwnStock]) -> dict[str, int]:
    return {ps_id: s.on_hand for ps_id, s in stock.items() if s.on_hand is not None}
