"""Link groups: which items of different sources are one product. A group is proposed by
StockDesk, then confirmed or rejected by a person; a rejected group is kept so the same
items are not proposed again."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import uuid4

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from lib.db.models import ItemLinkRow
from lib.sources.records import LinkMember, LinkMethod, ProposedLink

LinkState = Literal["proposed", "confirmed", "rejected"]


@dataclass(frozen=True)
class LinkGroup:
    """A stored group and what became of it."""

    group_id: str
    method: LinkMethod
    code: str
    state: LinkState
    members: tuple[LinkMember, ...]
    proposed_at: datetime
    confirmed_by: str | None
    confirmed_at: datetime | None


class ItemLinkRepository:
    """Read and change link groups."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def groups(self, states: Collection[LinkState]) -> list[LinkGroup]:
        """The groups in ``states``, by code and group id, members sorted."""
        rows = self._session.scalars(
            select(ItemLinkRow)
            .where(ItemLinkRow.state.in_(list(states)))
            .order_by(ItemLinkRow.code, ItemLinkRow.group_id, ItemLinkRow.source)
        )
        by_group: dict[str, list[ItemLinkRow]] = defaultdict(list)
        for row in rows:
            by_group[row.group_id].append(row)
        return [_group(members) for members in by_group.values()]

    def confirmed_version(self) -> tuple[int, datetime | None]:
        """How many confirmed link rows there are and when the newest was confirmed: a
        cache key that changes whenever a link is confirmed or undone (an undo lowers the
        count; a confirmation moves the newest time)."""
        count, newest = self._session.execute(
            select(func.count(), func.max(ItemLinkRow.confirmed_at)).where(
                ItemLinkRow.state == "confirmed"
            )
        ).one()
        return int(count), newest

    def replace_proposals(self, links: Sequence[ProposedLink], *, at: datetime) -> int:
        """Make ``links`` the open proposals: a proposal already open for the same items
        keeps its id (a person may be ticking it), the others are dropped; the count."""
        open_now = {frozenset(g.members): g.group_id for g in self.groups(["proposed"])}
        wanted = {link.members: link for link in links}
        gone = [group_id for members, group_id in open_now.items() if members not in wanted]
        if gone:
            self._session.execute(delete(ItemLinkRow).where(ItemLinkRow.group_id.in_(gone)))
        rows = []
        for members, link in wanted.items():
            if members in open_now:
                continue
            group_id = uuid4().hex
            rows += [
                {
                    "group_id": group_id,
                    "source": member.source,
                    "item_key": member.item_key,
                    "method": link.method,
                    "code": link.code,
                    "state": "proposed",
                    "proposed_at": at,
                }
                for member in sorted(members)
            ]
        if rows:
            self._session.execute(insert(ItemLinkRow), rows)
        return len(wanted)

    def confirm(self, group_ids: Collection[str], *, by: str, at: datetime) -> list[LinkGroup]:
        """Confirm the open proposals among ``group_ids``; the groups confirmed."""
        pending = [g for g in self.groups(["proposed"]) if g.group_id in set(group_ids)]
        if pending:
            self._session.execute(
                update(ItemLinkRow)
                .where(ItemLinkRow.group_id.in_([g.group_id for g in pending]))
                .values(state="confirmed", confirmed_by=by, confirmed_at=at)
            )
        return [
            g for g in self.groups(["confirmed"]) if g.group_id in {p.group_id for p in pending}
        ]

    def rejected(self) -> set[frozenset[LinkMember]]:
        """The member sets of every rejected group: never proposed again."""
        return {frozenset(g.members) for g in self.groups(["rejected"])}

    def reject(self, group_id: str) -> LinkGroup | None:
        """Reject an open proposal or undo a confirmed link; the group before, or None."""
        group = next(
            (g for g in self.groups(["proposed", "confirmed"]) if g.group_id == group_id), None
        )
        if group is not None:
            self._session.execute(
                update(ItemLinkRow)
                .where(ItemLinkRow.group_id == group_id)
                .values(state="rejected", confirmed_by=None, confirmed_at=None)
            )
        return group


def _group(rows: list[ItemLinkRow]) -> LinkGroup:
    first = rows[0]
    method: LinkMethod = "barcode" if first.method == "barcode" else "sku"
    state: LinkState = first.state  # type: ignore[assignment]
    return LinkGroup(
        group_id=first.group_id,
        method=method,
        code=first.code,
        state=state,
        members=tuple(sorted(LinkMember(r.source, r.item_key) for r in rows)),
        proposed_at=first.proposed_at,
        confirmed_by=first.confirmed_by,
        confirmed_at=first.confirmed_at,
    )
