"""Code namespaces a person declares equal, e.g. "our ERP's SKU is Stock2Shop's sku".

A namespace is ``<source>.<field>``: a source key and one of its item codes (``sku`` or
``barcode``). ``STOCKDESK_EQUAL_SKU_NAMESPACES`` lists groups separated by ``;``, each
two or more namespaces joined by ``=``::

    pleasurestock.sku=stock2shop.sku
    pleasurestock.sku=stock2shop.sku=stock2shop.barcode; stock2shop.barcode=price2b.sku

Nothing is equal unless declared: PleasureStock's SKU is the supplier's, not ours
(NOTES-peers.md 4.3). Barcodes need no declaration: a GTIN means the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from lib.sources.records import PLEASURESTOCK, PRICE2B, PSRESTFUL, STOCK2SHOP

# The sources StockDesk can read, and the codes each item may carry.
SOURCE_KEYS = (PLEASURESTOCK, STOCK2SHOP, PRICE2B, PSRESTFUL)
CODE_FIELDS = ("sku", "barcode")
SETTING = "STOCKDESK_EQUAL_SKU_NAMESPACES"
EXAMPLE = "pleasurestock.sku=stock2shop.sku"


class NamespaceError(ValueError):
    """The declaration cannot be read; the message says what to write instead."""


@dataclass(frozen=True, order=True)
class Namespace:
    """One source's code field: ``stock2shop.barcode``."""

    source: str
    field: str

    def __str__(self) -> str:
        return f"{self.source}.{self.field}"


def parse_namespace(text: str) -> Namespace:
    """``"stock2shop.sku"`` as a ``Namespace``; raises ``NamespaceError`` naming the part."""
    source, dot, code = text.strip().lower().partition(".")
    if not dot or source not in SOURCE_KEYS or code not in CODE_FIELDS:
        raise NamespaceError(
            f"{text.strip()!r} is not a namespace. Write <source>.<field> with a source of "
            f"{', '.join(SOURCE_KEYS)} and a field of {', '.join(CODE_FIELDS)}, "
            f"e.g. {EXAMPLE}."
        )
    return Namespace(source, code)


def parse_equal_namespaces(text: str) -> tuple[frozenset[Namespace], ...]:
    """The groups of ``text`` (see the module); empty text declares none. A group must
    span two sources, since codes are only ever matched across sources."""
    groups = []
    for part in text.replace("\n", ";").split(";"):
        if not part.strip():
            continue
        names = part.split("=")
        if len(names) < 2:
            raise NamespaceError(
                f"{part.strip()!r} declares nothing equal. Join two or more namespaces "
                f"with '=', e.g. {EXAMPLE}; separate groups with ';'."
            )
        group = frozenset(parse_namespace(name) for name in names)
        if len({n.source for n in group}) < 2:
            raise NamespaceError(
                f"{part.strip()!r} names one source only; codes are matched across "
                f"sources, e.g. {EXAMPLE}."
            )
        groups.append(group)
    return tuple(groups)


def describe_groups(groups: tuple[frozenset[Namespace], ...]) -> str:
    """The groups as the setting writes them (``a=b; c=d``), or ``none declared``."""
    return "; ".join("=".join(str(n) for n in sorted(g)) for g in groups) or "none declared"
