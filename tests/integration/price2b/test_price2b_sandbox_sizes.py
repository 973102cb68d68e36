"""The Price2B sandbox's size option: a larger catalog keeps the seeded match shares and
its inactive and deleted products; the extra products are unmatched house SKUs."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from lib.sandbox.price2b import Price2BSandboxConfig
from lib.sandbox.price2b import config as seeded
from lib.sandbox.price2b.__main__ import build_parser, config_from
from lib.sandbox.price2b.store import Price2BStore

TODAY = date(2025, 11, 10)


def _store(**options: object) -> Price2BStore:
    return Price2BStore(Price2BSandboxConfig(today=TODAY, clock_flows=False, **options))  # type: ignore[arg-type]


def test_extra_products_are_unmatched_and_the_seeded_shares_stay() -> None:
    default, larger = _store(), _store(products=seeded.PRODUCT_TOTAL + 150)

    def active_skus(store: Price2BStore) -> list[str]:
        return [p["sku"] for p in store.listed() if p["status"] == "active"]

    assert len(active_skus(larger)) == seeded.PRODUCT_TOTAL + 150
    # Every SKU of the default catalog that meets PleasureStock is still carried.
    matching = [s for s in active_skus(default) if not s.startswith("P2B-") and not s.isdigit()]
    assert Counter(matching) - Counter(active_skus(larger)) == Counter()
    assert len(set(active_skus(larger))) == len(active_skus(larger)), "SKUs unique per account"
    statuses = Counter(p["status"] for p in larger.listed())
    assert statuses["inactive"] == seeded.INACTIVE_PRODUCTS


def test_the_command_line_sets_the_size() -> None:
    assert config_from(build_parser().parse_args(["--products", "700"])).products == 700
    assert config_from(build_parser().parse_args([])).products == seeded.PRODUCT_TOTAL


def test_fewer_products_than_the_seeded_shares_are_refused() -> None:
    with pytest.raises(ValueError, match=f"at least {seeded.PRODUCT_TOTAL}"):
        Price2BSandboxConfig(products=seeded.PRODUCT_TOTAL - 1)
