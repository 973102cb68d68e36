"""A pricing plan: the rules, the rounding step and the guard rails that a version saves."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from lib.pricing.formula import Formula, parse
from lib.pricing.guard_rails import GuardRails
from lib.pricing.rounding import Rounding
from lib.pricing.rules import Rule, check_rules


@dataclass(frozen=True)
class PricingPlan:
    """Rules (exactly one company default, no two on one target), rounding and guard rails."""

    rules: tuple[Rule, ...]
    rounding: Rounding = field(default_factory=Rounding)
    guard_rails: GuardRails = field(default_factory=GuardRails)

    def __post_init__(self) -> None:
        check_rules(self.rules)

    @classmethod
    def company_wide(cls, formula: str) -> PricingPlan:
        """A plan with only a company default formula, no rounding and no guard rails."""
        return cls(rules=(Rule("company", None, formula),))

    @property
    def default_formula(self) -> str:
        """The company default formula as typed."""
        return next(rule.formula for rule in self.rules if rule.scope == "company")

    def parsed(self) -> list[Formula]:
        """Every rule's formula parsed, in rule order; raises FormulaError on the first bad one."""
        return [parse(rule.formula) for rule in self.rules]

    def to_json(self) -> dict[str, Any]:
        """The plan as JSON (decimals as strings), e.g. for the audit log."""
        return {
            "rules": [rule.to_json() for rule in self.rules],
            "rounding": {"mode": self.rounding.mode, "in_try": self.rounding.in_try},
            "guard_rails": {
                "min_margin_pct": _text(self.guard_rails.min_margin_pct),
                "max_markup_pct": _text(self.guard_rails.max_markup_pct),
            },
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
