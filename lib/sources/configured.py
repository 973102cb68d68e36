"""The sources besides PleasureStock, in one place: how each is configured, what the
app calls its items, and which of them the settings turn on (live, or in demo mode
the embedded sandboxes). The worker, the app's cached resources, the Overview cards and
the Product links section all read this list, so a new source is one entry here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import SecretStr

from lib.settings import Settings
from lib.sources.pleasurestock import PleasureStockSource
from lib.sources.price2b import Price2BSource, demo_price2b, live_price2b
from lib.sources.psrestful import PsRestfulSource, demo_psrestful, live_psrestful
from lib.sources.source import Source
from lib.sources.stock2shop import Stock2ShopSource, demo_stock2shop, live_stock2shop


@dataclass(frozen=True)
class Peer:
    """One source besides PleasureStock: its key and label, the noun of its items, the
    settings that turn it on, and how the settings build it live or on its sandbox."""

    key: str
    label: str
    noun: str
    required: str
    # The setting that names its prices' currency, and what is shown while it is unset.
    currency_setting: str
    no_currency: str
    live: Callable[[Settings], Source | None]
    demo: Callable[[Settings], Source]
    # What, besides the secret, makes a different source: a change gives a new one.
    identity: Callable[[Settings], tuple[object, ...]]
    secret: Callable[[Settings], SecretStr | None]


PEERS = (
    Peer(
        key=Stock2ShopSource.key,
        label=Stock2ShopSource.label,
        noun="variants",
        required="STOCK2SHOP_USERNAME and STOCK2SHOP_PASSWORD (a read_only user)",
        currency_setting="STOCK2SHOP_CURRENCY",
        no_currency="Prices are shown without a currency: set STOCK2SHOP_CURRENCY.",
        live=live_stock2shop,
        demo=demo_stock2shop,
        identity=lambda s: (s.stock2shop_base_url, s.stock2shop_username, s.stock2shop_currency),
        secret=lambda s: s.stock2shop_password,
    ),
    Peer(
        key=Price2BSource.key,
        label=Price2BSource.label,
        noun="products",
        required="PRICE2B_TOKEN (a read-scoped token)",
        currency_setting="PRICE2B_CURRENCY",
        no_currency="Prices in the currency each product states (PRICE2B_CURRENCY overrides it).",
        live=live_price2b,
        demo=demo_price2b,
        identity=lambda s: (
            s.price2b_base_url,
            s.price2b_currency,
            s.price2b_on_hand,
            s.price2b_stock_budget,
            s.price2b_requests_per_second,
        ),
        secret=lambda s: s.price2b_token,
    ),
    Peer(
        key=PsRestfulSource.key,
        label=PsRestfulSource.label,
        noun="parts",
        required="PSRESTFUL_API_KEY and PSRESTFUL_SUPPLIER_CODES",
        currency_setting="PSRESTFUL_CURRENCY",
        no_currency="",  # never unset: USD by default
        live=live_psrestful,
        demo=lambda _settings: demo_psrestful(),
        identity=lambda s: (
            s.psrestful_base_url,
            s.psrestful_suppliers,
            s.psrestful_currency,
            s.psrestful_requests_per_second,
        ),
        secret=lambda s: s.psrestful_api_key,
    ),
)
# Every source's label by key, PleasureStock's included (tables and cards name them).
LABELS = {PleasureStockSource.key: PleasureStockSource.label} | {p.key: p.label for p in PEERS}


def peer_source(settings: Settings, peer: Peer) -> Source | None:
    """The source ``peer``'s settings configure; in demo mode without them, its embedded
    sandbox; otherwise None (not configured)."""
    source = peer.live(settings)
    if source is not None or not settings.demo_mode:
        return source
    return peer.demo(settings)


def live_sources(settings: Settings) -> tuple[Source, ...]:
    """The sources the settings configure, in ``PEERS`` order (the standalone worker's:
    it never serves demo mode, so no sandbox)."""
    return tuple(s for s in (peer.live(settings) for peer in PEERS) if s is not None)
