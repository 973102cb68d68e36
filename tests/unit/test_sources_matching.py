"""Link proposal rules on literal items: barcodes first, declared namespaces only,
codes trimmed and case-folded, ambiguous codes never proposed, names never used."""

from __future__ import annotations

from lib.sources.matching import propose
from lib.sources.namespaces import parse_equal_namespaces
from lib.sources.records import LinkMember, SourceItem

SKUS = parse_equal_namespaces("pleasurestock.sku=stock2shop.sku")


def ps(key: str, sku: str | None, name: str = "Massage oil") -> SourceItem:
    return SourceItem("pleasurestock", key, name, sku=sku)


def s2s(key: str, sku: str | None, barcode: str | None = None, name: str = "Oil") -> SourceItem:
    return SourceItem("stock2shop", key, name, sku=sku, barcode=barcode)


def pairs(items: dict[str, list[SourceItem]], declared=SKUS, **kwargs) -> set[tuple[str, ...]]:
    return {
        (link.method, *sorted(f"{m.source}:{m.item_key}" for m in link.members))
        for link in propose(items, declared, **kwargs).proposals
    }


def test_skus_match_trimmed_and_case_folded_within_declared_namespaces() -> None:
    items = {"pleasurestock": [ps("1", " ab-12 ")], "stock2shop": [s2s("v1", "AB-12")]}
    assert pairs(items) == {("sku", "pleasurestock:1", "stock2shop:v1")}
    assert pairs(items, declared=()) == set()


def test_a_code_on_two_items_of_one_side_is_never_proposed_and_names_never_count() -> None:
    items = {
        "pleasurestock": [ps("1", "X"), ps("2", "x"), ps("3", "Y", name="Same")],
        "stock2shop": [s2s("v1", "X"), s2s("v2", "Z", name="Same")],
    }
    matching = propose(items, SKUS)
    assert matching.proposals == ()
    assert matching.ambiguous == {
        LinkMember("pleasurestock", "1"),
        LinkMember("pleasurestock", "2"),
        LinkMember("stock2shop", "v1"),
    }


def test_an_item_matched_by_a_stronger_rule_is_not_proposed_again_by_a_weaker_one() -> None:
    declared = parse_equal_namespaces(
        "pleasurestock.sku=stock2shop.barcode; pleasurestock.sku=stock2shop.sku"
    )
    items = {
        "pleasurestock": [ps("1", "6001"), ps("2", "SKU-2")],
        "stock2shop": [s2s("v1", "SKU-2", barcode="6001")],
    }
    assert pairs(items, declared=declared) == {("barcode", "pleasurestock:1", "stock2shop:v1")}


def test_linked_items_and_rejected_groups_are_not_proposed() -> None:
    items = {
        "pleasurestock": [ps("1", "A"), ps("2", "B")],
        "stock2shop": [s2s("v1", "A"), s2s("v2", "B")],
    }
    rejected = frozenset({LinkMember("pleasurestock", "2"), LinkMember("stock2shop", "v2")})
    assert pairs(items, linked={LinkMember("stock2shop", "v1")}, rejected=[rejected]) == set()


def test_two_declared_groups_through_one_product_give_one_group_of_three() -> None:
    separate = parse_equal_namespaces(
        "pleasurestock.sku=stock2shop.sku; pleasurestock.sku=psrestful.sku"
    )
    combined = parse_equal_namespaces("pleasurestock.sku=stock2shop.sku=psrestful.sku")
    items = {
        "pleasurestock": [ps("1", "AB-1"), ps("2", "AB-2")],
        "stock2shop": [s2s("v1", "ab-1")],
        "psrestful": [
            SourceItem("psrestful", "HIT:AB-1:AB-1", "Oil", sku="AB-1"),
            SourceItem("psrestful", "HIT:AB-2:AB-2", "Oil", sku="AB-2"),
        ],
    }
    three = ("sku", "pleasurestock:1", "psrestful:HIT:AB-1:AB-1", "stock2shop:v1")
    two = ("sku", "pleasurestock:2", "psrestful:HIT:AB-2:AB-2")
    assert pairs(items, declared=separate) == pairs(items, declared=combined) == {three, two}
    # A person who rejected the group of three keeps the pair the first rule found.
    rejected = frozenset(LinkMember(*m.split(":", 1)) for m in three[1:])
    assert pairs(items, declared=separate, rejected=[rejected]) == {
        ("sku", "pleasurestock:1", "stock2shop:v1"),
        two,
    }
