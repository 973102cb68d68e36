"""Rule scopes: the most specific rule prices each product; targets and labels."""

from __future__ import annotations

import pytest

from lib.pricing.rules import (
    COMPANY_LABEL,
    DuplicateRuleError,
    Rule,
    assign_rules,
    rule_label,
    rule_targets,
    scope_index,
    unmatched_rules,
)
from tests.support.pricing import frame, product

PRODUCTS = frame(
    product("ps_1", category_id="cat-a", supplier_id="12"),
    product("ps_2", category_id="cat-a", supplier_id="15"),
    product("ps_3", category_id="cat-b", category="Beta", supplier_id="12"),
    product("ps_4", category_id=None, category=None, supplier_id="15"),
)
INDEX = scope_index(PRODUCTS)


def test_most_specific_rule_wins() -> None:
    rules = [
        Rule("company", None, "TCC * 2"),
        Rule("category", "cat-a", "TCC * 3"),
        Rule("supplier", "12", "TCC * 4"),
        Rule("product", "ps_1", "TCC * 5"),
    ]
    # ps_1: product; ps_2: category; ps_3: supplier; ps_4 (no category): company.
    assert assign_rules(INDEX, rules).tolist() == [3, 1, 2, 0]


def test_rule_order_in_the_list_does_not_matter() -> None:
    rules = [
        Rule("product", "ps_1", "TCC * 5"),
        Rule("supplier", "12", "TCC * 4"),
        Rule("category", "cat-a", "TCC * 3"),
        Rule("company", None, "TCC * 2"),
    ]
    assert assign_rules(INDEX, rules).tolist() == [0, 2, 1, 3]


def test_only_the_company_default() -> None:
    assert assign_rules(INDEX, [Rule("company", None, "TCC")]).tolist() == [0, 0, 0, 0]


def test_exactly_one_company_rule_and_no_duplicate_targets() -> None:
    with pytest.raises(ValueError, match="exactly one company default; it has 0"):
        assign_rules(INDEX, [Rule("category", "cat-a", "TCC")])
    with pytest.raises(ValueError, match="it has 2"):
        assign_rules(INDEX, [Rule("company", None, "TCC"), Rule("company", None, "1")])
    rules = [
        Rule("company", None, "TCC"),
        Rule("category", "cat-a", "TCC * 2"),
        Rule("category", "cat-a", "TCC * 3"),
    ]
    with pytest.raises(DuplicateRuleError) as caught:
        assign_rules(INDEX, rules)
    assert (caught.value.first, caught.value.second) == (1, 2)
    assert "rules 2 and 3 both apply to the same category" in str(caught.value)


def test_a_rule_needs_a_key_unless_it_is_the_company_default() -> None:
    with pytest.raises(ValueError, match="needs one"):
        Rule("category", None, "TCC")
    with pytest.raises(ValueError, match="has no key"):
        Rule("company", "x", "TCC")
    with pytest.raises(ValueError, match="unknown rule scope"):
        Rule("warehouse", "x", "TCC")  # type: ignore[arg-type]


def test_json_round_trip() -> None:
    rule = Rule("supplier", "12", "TCC * 4")
    assert Rule.from_json(rule.to_json()) == rule


def test_unmatched_rules_are_reported() -> None:
    rules = [
        Rule("company", None, "TCC"),
        Rule("category", "gone", "TCC"),
        Rule("supplier", "12", "TCC"),
        Rule("product", "ps_9", "TCC"),
    ]
    assert unmatched_rules(PRODUCTS, rules) == [1, 3]


def test_targets_and_labels() -> None:
    labels = [target.label for target in rule_targets(PRODUCTS)]
    assert labels[:5] == [
        COMPANY_LABEL,
        "Category · Alpha",
        "Category · Beta",
        "Supplier · 12",
        "Supplier · 15",
    ]
    assert "Product · SKU-ps_1 · Product ps_1 · ps_1" in labels
    assert len(labels) == 1 + 2 + 2 + 4
    assert rule_label(Rule("category", "cat-b", "TCC"), PRODUCTS) == "Category · Beta"
    assert rule_label(Rule("company", None, "TCC"), PRODUCTS) == COMPANY_LABEL
    assert rule_label(Rule("product", "ps_9", "TCC"), PRODUCTS) == (
        "Product · ps_9 (not in the catalog)"
    )
