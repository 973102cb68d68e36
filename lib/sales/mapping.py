"""Which column of the file holds the product, date, quantity, stock and warehouse.

Headers are guessed from English and Turkish names (``Ürün Kodu``, ``Tarih``,
``Adet``, ``Stok``, ``Depo``…), compared after folding case and Turkish letters; an
exact name beats a name that merely contains a known word, so ``Stok Kodu`` is the
product code and not the stock. The mapping used last time wins where its columns
still exist. A mapping is checked before use: required roles set, no column twice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Role = Literal["product", "date", "quantity", "stock", "warehouse"]
ROLES: tuple[Role, ...] = ("product", "date", "quantity", "stock", "warehouse")
REQUIRED_ROLES: tuple[Role, ...] = ("product", "date", "quantity")
ROLE_LABELS: dict[Role, str] = {
    "product": "Product (SKU or PleasureStock id)",
    "date": "Date",
    "quantity": "Quantity sold",
    "stock": "Stock on hand",
    "warehouse": "Warehouse",
}

# Folded header names (see ``fold``) that name each role.
SYNONYMS: dict[Role, tuple[str, ...]] = {
    "product": (
        "sku", "product", "product id", "product code", "productcode", "item", "item code",
        "article", "article code", "internal id", "ps id", "psid", "pleasurestock id",
        "urun", "urun kodu", "urun id", "urun no", "stok kodu", "stok no", "malzeme kodu",
        "malzeme", "kod",
    ),
    "date": (
        "date", "day", "sales date", "sale date", "sold on", "tarih", "satis tarihi", "gun",
        "islem tarihi", "fatura tarihi",
    ),
    "quantity": (
        "quantity", "qty", "sold", "units sold", "quantity sold", "sales", "sales qty",
        "adet", "miktar", "satis", "satis adedi", "satis miktari", "satilan",
        "satilan adet", "satilan miktar",
    ),
    "stock": (
        "stock", "stock on hand", "on hand", "stock qty", "inventory", "closing stock",
        "stok", "stok miktari", "stok adedi", "mevcut stok", "eldeki stok", "kalan stok",
        "kalan", "envanter",
    ),
    "warehouse": (
        "warehouse", "store", "shop", "location", "branch", "depo", "depo adi", "ambar",
        "magaza", "sube",
    ),
}  # fmt: skip

_TURKISH = str.maketrans("çğıİöşüÇĞÖŞÜâîû", "cgiiosucgosuaiu")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_EXACT_SCORE = 100


def fold(header: str) -> str:
    """Lowercase, Turkish letters as ASCII, no punctuation: ``Ürün-Kodu`` → ``urun kodu``."""
    return _NOT_WORD.sub(" ", header.translate(_TURKISH).lower()).strip()


@dataclass(frozen=True)
class ColumnMapping:
    """The file column chosen for each role; ``None`` for an optional role left out."""

    product: str | None = None
    date: str | None = None
    quantity: str | None = None
    stock: str | None = None
    warehouse: str | None = None

    def column(self, role: Role) -> str | None:
        """The column mapped to ``role``."""
        return getattr(self, role)

    def as_dict(self) -> dict[str, str]:
        """Role → column for the mapped roles (what the database remembers)."""
        return {role: column for role in ROLES if (column := self.column(role)) is not None}

    def problems(self, headers: Sequence[str]) -> list[str]:
        """What stops this mapping from being used on a file with ``headers``."""
        found = []
        for role in REQUIRED_ROLES:
            if self.column(role) is None:
                found.append(f"Choose the column that holds the {ROLE_LABELS[role].lower()}.")
        used = [c for c in self.as_dict().values()]
        for column in sorted({c for c in used if used.count(c) > 1}):
            roles = [ROLE_LABELS[r].lower() for r in ROLES if self.column(r) == column]
            found.append(f"Column “{column}” is chosen for {' and '.join(roles)}; pick one.")
        for column in sorted(set(used) - set(headers)):
            found.append(f"The file has no column “{column}”.")
        return found


def _score(folded: str, synonym: str) -> int:
    if folded == synonym:
        return _EXACT_SCORE + len(synonym)
    if re.search(rf"\b{re.escape(synonym)}\b", folded):
        return len(synonym)
    return 0


def guess_mapping(headers: Sequence[str]) -> ColumnMapping:
    """The most likely column for each role, each column used at most once."""
    candidates = []
    for header in headers:
        folded = fold(header)
        for role in ROLES:
            score = max((_score(folded, synonym) for synonym in SYNONYMS[role]), default=0)
            if score:
                candidates.append((score, header, role))
    chosen: dict[str, str] = {}
    for _, header, role in sorted(candidates, key=lambda c: -c[0]):
        if role not in chosen and header not in chosen.values():
            chosen[role] = header
    return ColumnMapping(**chosen)


def initial_mapping(headers: Sequence[str], remembered: Mapping[str, str] | None) -> ColumnMapping:
    """The remembered mapping for every role whose column this file has, guesses elsewhere."""
    guessed = guess_mapping(headers).as_dict()
    kept = {
        role: column
        for role, column in (remembered or {}).items()
        if role in ROLES and column in headers
    }
    merged = dict(kept)
    for role, column in guessed.items():
        if role not in merged and column not in merged.values():
            merged[role] = column
    return ColumnMapping(**merged)
