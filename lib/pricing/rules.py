"""Pricing rules with a scope: company default, category, supplier, product.

The most specific rule wins: product over supplier over category over the company
default. Resolution is a few dictionary maps over whole columns, not a loop per product.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast, get_args

import numpy as np
import pandas as pd

Scope = Literal["company", "category", "supplier", "product"]
# Least to most specific; a later scope overrides an earlier one.
SCOPES: tuple[Scope, ...] = get_args(Scope)
# The column of the products frame that a scope's key is matched against.
SCOPE_COLUMNS: dict[Scope, str] = {
    "category": "category_id",
    "supplier": "supplier_id",
    "product": "ps_id",
}
COMPANY_LABEL = "Company default"


@dataclass(frozen=True)
class Rule:
    """A formula for every product in a scope; ``key`` is the category, supplier or ps id."""

    scope: Scope
    key: str | None
    formula: str

    def __post_init__(self) -> None:
        if self.scope not in SCOPES:
            raise ValueError(f"unknown rule scope {self.scope!r}; use one of {SCOPES}")
        if (self.scope == "company") != (self.key is None):
            raise ValueError("the company rule has no key; every other rule needs one")

    def to_json(self) -> dict[str, str | None]:
        """The rule as a JSON object."""
        return {"scope": self.scope, "key": self.key, "formula": self.formula}

    @classmethod
    def from_json(cls, data: dict[str, str | None]) -> Rule:
        """A rule from ``to_json``'s object."""
        return cls(scope=cast(Scope, data["scope"]), key=data["key"], formula=str(data["formula"]))


@dataclass(frozen=True)
class Target:
    """Something a rule can apply to, with the label people pick it by."""

    scope: Scope
    key: str | None
    label: str


class DuplicateRuleError(ValueError):
    """Two rules target the same category, supplier or product (indexes into the rules)."""

    def __init__(self, first: int, second: int, scope: Scope) -> None:
        super().__init__(
            f"rules {first + 1} and {second + 1} both apply to the same {scope}; keep one"
        )
        self.first = first
        self.second = second


def check_rules(rules: Sequence[Rule]) -> None:
    """Raise ValueError unless there is exactly one company rule and no two share a target."""
    companies = [n for n, rule in enumerate(rules) if rule.scope == "company"]
    if len(companies) != 1:
        raise ValueError(f"a rule set needs exactly one company default; it has {len(companies)}")
    first: dict[tuple[Scope, str | None], int] = {}
    for n, rule in enumerate(rules):
        earlier = first.setdefault((rule.scope, rule.key), n)
        if earlier != n:
            raise DuplicateRuleError(earlier, n, rule.scope)


@dataclass(frozen=True)
class ScopeIndex:
    """Each product's category, supplier and ps id as a code into that scope's distinct keys.

    Built once per catalog (``scope_index``), so resolving a rule set is a few array
    look-ups rather than string matching over every product.
    """

    size: int
    codes: dict[Scope, np.ndarray]
    keys: dict[Scope, pd.Index]


def scope_index(products: pd.DataFrame) -> ScopeIndex:
    """The codes of every scope's key column; a missing key has code -1."""
    codes: dict[Scope, np.ndarray] = {}
    keys: dict[Scope, pd.Index] = {}
    for scope, column in SCOPE_COLUMNS.items():
        codes[scope], keys[scope] = pd.factorize(products[column])
    return ScopeIndex(size=len(products), codes=codes, keys=keys)


def assign_rules(index: ScopeIndex, rules: Sequence[Rule]) -> np.ndarray:
    """For each product, the index in ``rules`` of the rule that prices it."""
    check_rules(rules)
    company = next(n for n, rule in enumerate(rules) if rule.scope == "company")
    assigned = np.full(index.size, company, dtype=np.int64)
    for scope in SCOPES[1:]:
        scoped = [(n, rule.key) for n, rule in enumerate(rules) if rule.scope == scope]
        if not scoped:
            continue
        positions = index.keys[scope].get_indexer([key for _, key in scoped])
        # A slot per distinct key, and a last one that code -1 (no key) lands on.
        lookup = np.full(len(index.keys[scope]) + 1, -1, dtype=np.int64)
        for (n, _), position in zip(scoped, positions.tolist(), strict=True):
            if position >= 0:
                lookup[position] = n
        matched = lookup[index.codes[scope]]
        np.copyto(assigned, matched, where=matched >= 0)
    return assigned


def unmatched_rules(products: pd.DataFrame, rules: Sequence[Rule]) -> list[int]:
    """Indexes of the scoped rules whose key matches no product of the catalog."""
    return [
        n
        for n, rule in enumerate(rules)
        if rule.scope != "company" and not products[SCOPE_COLUMNS[rule.scope]].eq(rule.key).any()
    ]


def rule_targets(products: pd.DataFrame) -> list[Target]:
    """Every category, supplier and product of the catalog a rule can target, labelled."""
    targets = [Target("company", None, COMPANY_LABEL)]
    for scope, order in (("category", "category"), ("supplier", "supplier_id"), ("product", "sku")):
        column = SCOPE_COLUMNS[scope]
        rows = products.dropna(subset=[column]).drop_duplicates(column).sort_values(order)
        targets += [
            Target(scope, str(row[column]), _label(scope, row)) for row in rows.to_dict("records")
        ]
    return targets


def rule_label(rule: Rule, products: pd.DataFrame) -> str:
    """The label of the rule's target, or its scope and key when the catalog does not have it."""
    return rule_labels([rule], products)[0]


def rule_labels(rules: Sequence[Rule], products: pd.DataFrame) -> list[str]:
    """``rule_label`` of each rule, matching each scope's keys in one pass."""
    found: dict[tuple[Scope, str | None], str] = {("company", None): COMPANY_LABEL}
    for scope, column in SCOPE_COLUMNS.items():
        keys = [rule.key for rule in rules if rule.scope == scope]
        if keys:
            rows = products[products[column].isin(keys)].drop_duplicates(column)
            found |= {(scope, row[column]): _label(scope, row) for row in rows.to_dict("records")}
    return [
        found.get(
            (rule.scope, rule.key), f"{rule.scope.capitalize()} · {rule.key} (not in the catalog)"
        )
        for rule in rules
    ]


def _label(scope: Scope, row: Mapping[str, Any]) -> str:
    if scope == "category":
        return f"Category · {row['category']}"
    if scope == "supplier":
        # The id is the rule's target; the name (when the frame has one) is beside it.
        name = row.get("supplier")
        named = isinstance(name, str) and name != row["supplier_id"]
        return f"Supplier · {row['supplier_id']}" + (f" · {name}" if named else "")
    return f"Product · {row['sku']} · {row['name']} · {row['ps_id']}"
