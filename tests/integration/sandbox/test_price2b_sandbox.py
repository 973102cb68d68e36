"""The Price2B sandbox over HTTP, as the document and its named assumptions describe it:
seeded shares built on the PleasureStock catalog (and apart from Stock2Shop's), the
same data for the same seed, every list filter, the per_page cap, scopes on writes,
stock adjust by a write token, the rate limit and the command line."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

import httpx
import pytest

from lib.sandbox.price2b import Price2BSandboxConfig, RunningPrice2BSandbox, start_in_thread
from lib.sandbox.price2b import config as seeded
from lib.sandbox.price2b.__main__ import build_parser, config_from
from lib.sandbox.price2b.config import DEFAULT_READ_TOKEN, DEFAULT_WRITE_TOKEN
from lib.sandbox.price2b.store import Price2BStore
from lib.sandbox.stock2shop import Stock2ShopSandboxConfig
from lib.sandbox.stock2shop.seed import ps_catalog
from lib.sandbox.stock2shop.store import PRODUCTS, Stock2ShopStore

TODAY = date(2025, 11, 10)
PRODUCTS_PATH = "/v1/inventory/products"


def _config(**options: object) -> Price2BSandboxConfig:
    return Price2BSandboxConfig(today=TODAY, clock_flows=False, **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def p2b() -> Iterator[RunningPrice2BSandbox]:
    with start_in_thread(_config()) as running:
        yield running


def _client(sandbox: RunningPrice2BSandbox, token: str = DEFAULT_READ_TOKEN) -> httpx.Client:
    return httpx.Client(base_url=sandbox.base_url, headers={"Authorization": f"Bearer {token}"})


def _all(http: httpx.Client, **params: object) -> list[dict]:
    answer = http.get(PRODUCTS_PATH, params={"per_page": 100, **params}).json()["data"]
    rows = list(answer["products"])
    for page in range(2, answer["pagination"]["last_page"] + 1):
        rows += http.get(PRODUCTS_PATH, params={"per_page": 100, "page": page, **params}).json()[
            "data"
        ]["products"]
    assert len(rows) == answer["pagination"]["total"]
    return rows


def test_the_seeded_shares_meet_the_pleasurestock_catalog_as_configured() -> None:
    store = Price2BStore(_config())
    ps_skus = {p.sku for p in ps_catalog(42, TODAY, 2650)}
    active = [p for p in store.listed() if p["status"] == "active"]
    folded = Counter(p["sku"].strip().casefold() for p in active)
    by_ps = {s.casefold(): s for s in ps_skus}
    exact = [p for p in active if p["sku"] in ps_skus and folded[p["sku"].casefold()] == 1]
    loose = [p for p in active if p["sku"] not in ps_skus and p["sku"].strip().casefold() in by_ps]
    ambiguous = [p for p in active if folded[p["sku"].strip().casefold()] > 1]
    assert len(active) == seeded.PRODUCT_TOTAL
    assert len(exact) == seeded.MATCHED_BY_SKU
    assert len(loose) == seeded.MATCHED_BY_FOLDED_SKU + seeded.AMBIGUOUS_CODES
    assert len(ambiguous) == seeded.AMBIGUOUS_PRODUCTS
    assert len({p["sku"] for p in store.listed()}) == len(store.listed()), "SKUs unique per account"
    s2s = Stock2ShopStore(Stock2ShopSandboxConfig(today=TODAY, clock_flows=False))
    s2s_codes = {
        c for p in s2s.all_live(PRODUCTS) for v in p["variants"] for c in (v["sku"], v["barcode"])
    }
    assert not {p["sku"].strip().upper() for p in active} & s2s_codes & ps_skus


def test_the_same_seed_gives_the_same_products_and_another_seed_others() -> None:
    first, again, other = (Price2BStore(_config(seed=s)) for s in (42, 42, 7))
    assert first.listed() == again.listed()
    assert [p["sku"] for p in first.listed()] != [p["sku"] for p in other.listed()]


def test_the_default_status_is_active_and_all_adds_the_inactive_never_the_deleted(
    p2b: RunningPrice2BSandbox,
) -> None:
    with _client(p2b) as http:
        counts = {
            status: http.get(PRODUCTS_PATH, params={"status": status} if status else {}).json()[
                "data"
            ]["pagination"]["total"]
            for status in (None, "active", "inactive", "all")
        }
        default_page = http.get(PRODUCTS_PATH).json()["data"]["pagination"]
    assert counts == {
        None: seeded.PRODUCT_TOTAL,
        "active": seeded.PRODUCT_TOTAL,
        "inactive": seeded.INACTIVE_PRODUCTS,
        "all": seeded.PRODUCT_TOTAL + seeded.INACTIVE_PRODUCTS,
    }
    assert default_page["per_page"] == 20


def test_the_filters_narrow_the_list(p2b: RunningPrice2BSandbox) -> None:
    with _client(p2b) as http:
        everything = _all(http, status="all")
        stocked = _all(http, has_stock="true")
        sku = everything[7]["sku"].strip()
        searched = _all(http, search=sku.lower(), status="all")
        category = p2b.store.category_ids["House"]
        house = _all(http, category_id=category, status="all")
        moment = sorted(p["created_at"] for p in everything)[100]
        after = _all(http, created_after=moment, status="all")
    available = {p["id"]: sum(q - r for q, r in p["stock"].values()) for p in p2b.store.listed()}
    assert {p["id"] for p in stocked} == {
        p["id"] for p in everything if p["status"] == "active" and available[p["id"]] > 0
    }
    assert 0 < len(stocked) < seeded.PRODUCT_TOTAL
    assert everything[7]["id"] in {p["id"] for p in searched}
    assert {p["category"] for p in house} == {"House"}
    assert len(after) == len([p for p in everything if p["created_at"] > moment])


def test_per_page_above_100_is_clamped_or_refused() -> None:
    for clamp, expected in ((True, 200), (False, 422)):
        with start_in_thread(_config(clamp_per_page=clamp)) as running, _client(running) as http:
            answer = http.get(PRODUCTS_PATH, params={"per_page": 500})
            assert answer.status_code == expected
            if clamp:
                assert answer.json()["data"]["pagination"]["per_page"] == 100
            else:
                assert answer.json() == {
                    "success": False,
                    "message": "per_page must be at most 100",
                }


def test_writes_need_the_write_scope_and_are_recorded(p2b: RunningPrice2BSandbox) -> None:
    adjust = f"{PRODUCTS_PATH}/12345/stock/adjust"
    body = {"warehouse_id": 1, "adjustment": 5, "adjustment_type": "add"}
    with _client(p2b) as reader, _client(p2b, DEFAULT_WRITE_TOKEN) as writer:
        before = reader.get(f"{PRODUCTS_PATH}/12345/stock").json()["data"]["total"]["quantity"]
        refused = reader.post(adjust, json=body)
        applied = writer.post(adjust, json=body)
        twice = writer.post(adjust, json=body)  # not idempotent: the stock moves again
        after = reader.get(f"{PRODUCTS_PATH}/12345/stock").json()["data"]["total"]["quantity"]
        created = writer.post(PRODUCTS_PATH, json={"sku": "X", "name": "X", "price": 1})
    assert refused.status_code == 403 and refused.json()["success"] is False
    assert applied.json()["data"]["new_quantity"] == applied.json()["data"]["previous_quantity"] + 5
    assert twice.status_code == 200 and after == before + 10
    assert created.status_code == 501
    recorded = [("POST", "/api" + adjust)] * 3 + [("POST", "/api" + PRODUCTS_PATH)]
    assert p2b.store.write_calls[-4:] == recorded


def test_the_rate_limit_answers_429_with_retry_after() -> None:
    with start_in_thread(_config(rate_limit_per_second=2)) as running, _client(running) as http:
        statuses = [http.get(PRODUCTS_PATH).status_code for _ in range(3)]
        limited = http.get(PRODUCTS_PATH)
    assert statuses == [200, 200, 429]
    assert limited.headers["Retry-After"] == "1"
    assert running.store.rate_limited == 2


def test_the_command_line_builds_the_config_it_says() -> None:
    args = build_parser().parse_args(
        ["--seed", "7", "--today", "2025-11-10", "--rate-limit", "3", "--refuse-large-pages",
         "--token-ttl", "60", "--fault-500", "0.2"]
    )  # fmt: skip
    config = config_from(args)
    assert (config.seed, config.today, config.rate_limit_per_second) == (7, TODAY, 3)
    assert not config.clamp_per_page and config.token_ttl_seconds == 60
    assert config.fault_500 == 0.2 and args.port == 8767
    assert config_from(build_parser().parse_args([])).rate_limit_per_second is None
