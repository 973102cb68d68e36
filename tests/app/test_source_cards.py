"""Overview's connection cards for the sources besides PleasureStock: in demo mode all
three sandboxes' cards (items under each source's own noun, who we are logged in as,
the currency note), in live mode a configured source's card beside one line naming the
settings of each source that is not configured."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from streamlit.testing.v1 import AppTest

from lib.sandbox.price2b import Price2BSandboxConfig, RunningPrice2BSandbox
from lib.sandbox.price2b import config as p2b_seeded
from lib.sandbox.price2b import start_in_thread as start_price2b
from tests.app.test_catalog import product, store

P2B_TOKEN = p2b_seeded.DEFAULT_READ_TOKEN


@pytest.fixture
def price2b_sandbox() -> Iterator[RunningPrice2BSandbox]:
    """A Price2B sandbox standing in for the live platform."""
    with start_price2b(Price2BSandboxConfig()) as running:
        yield running


def test_demo_mode_shows_a_card_for_each_sandbox(demo_env: None, app: AppTest) -> None:
    store([product("ps-1", "EUR", sku="AB-1")])
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    metrics = {m.label: m.value for m in app.metric}
    for label in ("Stock2Shop", "Price2B", "PSRESTful"):
        assert metrics[f"{label} API"] == "Reachable"
        assert metrics[f"{label} last sync"] == "never"
    assert metrics["Stock2Shop variants in snapshot"] == "0"
    assert metrics["Price2B products in snapshot"] == "0"
    assert metrics["PSRESTful parts in snapshot"] == "0"
    texts = [t.value for t in app.text]
    assert any("stockdesk-reader (read_only)" in t for t in texts)
    products = p2b_seeded.PRODUCT_TOTAL + p2b_seeded.INACTIVE_PRODUCTS
    assert any(f"token seeing {products:,} products" in t for t in texts)
    assert any("suppliers SanMar, HIT, Gemline, PCNA, Alphabroder" in t for t in texts)
    captions = [c.value for c in app.caption]
    assert "Prices are shown without a currency: set STOCK2SHOP_CURRENCY." in captions
    assert "Prices in USD (PSRESTFUL_CURRENCY)." in captions
    assert not [c for c in captions if c.startswith("Not configured")]


def test_live_mode_names_the_settings_of_each_source_not_configured(
    live_env: Callable[[str], None],
    monkeypatch: pytest.MonkeyPatch,
    price2b_sandbox: RunningPrice2BSandbox,
    app: AppTest,
) -> None:
    live_env()
    monkeypatch.setenv("PRICE2B_TOKEN", P2B_TOKEN)
    monkeypatch.setenv("PRICE2B_BASE_URL", price2b_sandbox.base_url)
    monkeypatch.setenv("PRICE2B_CURRENCY", "EUR")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Price2B API"] == "Reachable"
    assert "Stock2Shop API" not in metrics and "PSRESTful API" not in metrics
    captions = [c.value for c in app.caption]
    assert (
        "Not configured: set STOCK2SHOP_USERNAME and STOCK2SHOP_PASSWORD (a read_only user)."
        in captions
    )
    assert "Not configured: set PSRESTFUL_API_KEY and PSRESTFUL_SUPPLIER_CODES." in captions
    assert "Prices in EUR (PRICE2B_CURRENCY)." in captions
    assert any(price2b_sandbox.base_url in t.value for t in app.text)
