"""The sandbox's size options: a larger catalog keeps the seeded match shares, and exact
order counts per day put exactly that many orders on each day."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from lib.sandbox.stock2shop import Stock2ShopSandboxConfig
from lib.sandbox.stock2shop import config as seeded
from lib.sandbox.stock2shop.__main__ import build_parser, config_from
from lib.sandbox.stock2shop.store import ORDERS, PRODUCTS, Stock2ShopStore

from .conftest import TODAY


def _store(**options: object) -> Stock2ShopStore:
    return Stock2ShopStore(Stock2ShopSandboxConfig(today=TODAY, clock_flows=False, **options))


def test_extra_variants_are_unmatched_and_the_seeded_shares_stay() -> None:
    default, larger = _store(), _store(variants=seeded.VARIANT_COUNT + 150)

    def active_skus(store: Stock2ShopStore) -> list[str]:
        return [v["sku"] for p in store.all_live(PRODUCTS) if p["active"] for v in p["variants"]]

    assert len(active_skus(larger)) == seeded.VARIANT_COUNT + 150
    # Every code of the default catalog that matches PleasureStock is still carried.
    assert Counter(active_skus(default)) - Counter(active_skus(larger)) == Counter()
    inactive = [p for p in larger.all_live(PRODUCTS) if not p["active"]]
    assert sum(len(p["variants"]) for p in inactive) == seeded.INACTIVE_VARIANTS


def test_daily_orders_puts_exactly_that_many_orders_on_each_day_before_today() -> None:
    store = _store(daily_orders=(3, 0, 7))
    days = Counter(o["created"][:10] for o in store.all_live(ORDERS))
    assert days == {
        (TODAY - timedelta(days=3)).isoformat(): 3,
        (TODAY - timedelta(days=1)).isoformat(): 7,
    }


def test_the_command_line_sets_the_sizes_and_the_cap() -> None:
    args = build_parser().parse_args(
        ["--variants", "700", "--daily-orders", "5,6", "--result-cap", "50"]
    )
    config = config_from(args)
    assert (config.variants, config.daily_orders) == (700, (5, 6))
    assert (config.result_window, config.total_cap) == (50, 50)


def test_fewer_variants_than_the_seeded_shares_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 600"):
        Stock2ShopSandboxConfig(variants=599)
