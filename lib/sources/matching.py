"""Link proposals (NOTES-peers.md 4.3): which items of different sources share a code.

Rules, strongest first: the same barcode (a GTIN means the same everywhere), then the
same code within each group of namespaces a person declared equal (``namespaces``).
Codes are trimmed and case-folded. A code carried by more than one item of any one
source is ambiguous: none of the items carrying it is ever proposed, by any rule. A
match sharing an item with a proposal already made joins it (when that keeps one item
per source), so separate declarations give the groups one combined declaration gives.
Names are never used. Pure: the service in ``links`` loads the items and stores the result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from lib.sources.namespaces import Namespace
from lib.sources.records import LinkMember, ProposedLink, SourceItem

# code -> source -> item key -> the fields of that item that carry the code
_Index = dict[str, dict[str, dict[str, set[str]]]]


@dataclass(frozen=True)
class Matching:
    """What the rules found: the proposals, and the items withheld as ambiguous."""

    proposals: tuple[ProposedLink, ...]
    ambiguous: frozenset[LinkMember]


def normalised(code: str | None) -> str:
    """A code as the rules compare it: trimmed and case-folded ("" for no code)."""
    return (code or "").strip().casefold()


def _index(items: Iterable[SourceItem], group: Collection[Namespace]) -> _Index:
    index: _Index = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))
    for item in items:
        for name in group:
            if name.source != item.source:
                continue
            code = normalised(getattr(item, name.field))
            if code:
                index[code][item.source][item.item_key].add(name.field)
    return index


def rules(
    sources: Collection[str], declared: Sequence[frozenset[Namespace]]
) -> list[frozenset[Namespace]]:
    """The namespace groups to match on, strongest first: every source's barcode, then
    each declared group in the order given."""
    return [frozenset(Namespace(s, "barcode") for s in sources), *declared]


def propose(
    items: Mapping[str, Sequence[SourceItem]],
    declared: Sequence[frozenset[Namespace]],
    *,
    linked: Collection[LinkMember] = (),
    rejected: Collection[frozenset[LinkMember]] = (),
) -> Matching:
    """Proposals over ``items`` (source key -> its items): items already ``linked`` are
    left out, a group a person ``rejected`` is never proposed again."""
    everything = [item for source_items in items.values() for item in source_items]
    candidates: list[ProposedLink] = []
    ambiguous: set[LinkMember] = set()
    for group in rules(items.keys(), declared):
        for code, by_source in sorted(_index(everything, group).items()):
            if len(by_source) < 2:
                continue  # one source only: nothing to link
            carriers = {LinkMember(s, k) for s, keys in by_source.items() for k in keys}
            if any(len(keys) > 1 for keys in by_source.values()):
                ambiguous |= carriers
                continue
            fields = {f for keys in by_source.values() for fs in keys.values() for f in fs}
            method = "barcode" if "barcode" in fields else "sku"
            candidates.append(ProposedLink(method, code, frozenset(carriers)))
    withheld = ambiguous | set(linked)
    refused = set(rejected)
    proposals: list[ProposedLink] = []
    owner: dict[LinkMember, int] = {}  # an item -> the proposal (index) that holds it
    for link in candidates:
        if link.members & withheld or link.members in refused:
            continue
        _add(proposals, owner, link, refused)
    return Matching(tuple(proposals), frozenset(ambiguous))


def _add(
    proposals: list[ProposedLink],
    owner: dict[LinkMember, int],
    link: ProposedLink,
    refused: set[frozenset[LinkMember]],
) -> None:
    """Add ``link``, or join it to the one proposal it shares an item with: two declared
    groups (``ps.sku=s2s.sku; ps.sku=psr.sku``) then give the group of three one combined
    declaration gives. It is left out when it shares items with two proposals, when the
    join would hold two items of one source (the stronger rule's pair stands), or when a
    person rejected the joined group. The joined group keeps the stronger rule's method."""
    shared = {owner[m] for m in link.members if m in owner}
    if not shared:
        owner |= dict.fromkeys(link.members, len(proposals))
        proposals.append(link)
        return
    if len(shared) > 1:
        return
    index = shared.pop()
    joined = proposals[index].members | link.members
    if len({m.source for m in joined}) < len(joined) or joined in refused:
        return
    owner |= dict.fromkeys(link.members, index)
    proposals[index] = replace(proposals[index], members=joined)
