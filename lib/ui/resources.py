"""Process-wide resources for the pages: settings, database, API clients (cached once)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from lib.db import open_database
from lib.pleasurestock import PleasureStockClient
from lib.pleasurestock.budget import key_fingerprint
from lib.sandbox.embedded import DEMO_API_KEY, demo_base_url
from lib.sandbox.stock2shop import embedded as stock2shop_demo
from lib.settings import Settings, load_settings
from lib.sources.stock2shop import Stock2ShopSource, live_stock2shop
from lib.stock2shop import Stock2ShopClient


@dataclass(frozen=True)
class AppContext:
    """What every page needs: configuration, database sessions and the API client."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    # The pages' client: a request waits at most API_BUDGET_WAIT_SECONDS for the budget.
    client: PleasureStockClient
    # The background jobs' client: same key and shared budget, but it waits its turn
    # (and leaves the pages their reserve).
    job_client: PleasureStockClient
    # Stock2Shop when configured (or, in demo mode, its sandbox); None: not configured.
    stock2shop: Stock2ShopSource | None = None

    @property
    def sources(self) -> tuple[Stock2ShopSource, ...]:
        """The configured sources besides PleasureStock (jobs sync them)."""
        return () if self.stock2shop is None else (self.stock2shop,)

    @property
    def mode_label(self) -> str:
        """How the sidebar names the data source."""
        return "Demo data — sandbox" if self.settings.demo_mode else "Live — PleasureStock API"


@st.cache_resource(show_spinner="Connecting to PleasureStock…")
def _client(
    _settings: Settings,
    base_url: str | None,
    fingerprint: str,
    budget_url: str | None,
    max_wait: float | None,
) -> PleasureStockClient:
    """A client sharing the key's budget (kept at ``budget_url``) with every process,
    waiting ``max_wait`` seconds for it (None: as long as it takes). The budget's place
    keys the cache too: another database gets a client counting in that database's budget,
    not in the first one's."""
    if _settings.demo_mode:
        base, key = demo_base_url(_settings), SecretStr(DEMO_API_KEY)
    else:
        base, key = _settings.pleasurestock_base_url, _settings.pleasurestock_api_key
    return PleasureStockClient(
        base_url=base,
        api_key=key,
        timeout=_settings.request_timeout_seconds,
        budget_url=budget_url,
        max_wait=max_wait,
    )


@st.cache_resource(show_spinner="Connecting to Stock2Shop…")
def _stock2shop(
    _settings: Settings, identity: tuple[object, ...], fingerprint: str
) -> Stock2ShopSource | None:
    """The configured Stock2Shop source; in demo mode without a username, the embedded
    sandbox on its read-only login; otherwise None. ``identity`` (mode, base URL, user,
    currency) and ``fingerprint`` key the cache: a change of any gives a new source."""
    source = live_stock2shop(_settings)
    if source is not None or not _settings.demo_mode:
        return source
    user = stock2shop_demo.DEMO_USER
    client = Stock2ShopClient(
        base_url=stock2shop_demo.demo_base_url(),
        username=user.username,
        password=user.password,
        timeout=_settings.request_timeout_seconds,
    )
    return Stock2ShopSource(client, currency=_settings.stock2shop_currency)


def _fingerprint(key: SecretStr | None) -> str:
    """A short hash that changes with the key, so a new key gets a new client."""
    return "" if key is None else key_fingerprint(key.get_secret_value())


def app_context() -> AppContext:
    """Settings, database (migrated to the latest revision) and clients, built once per process."""
    settings = load_settings()
    database = open_database(settings.stockdesk_database_url)
    base_url = None if settings.demo_mode else settings.pleasurestock_base_url
    fingerprint = _fingerprint(settings.pleasurestock_api_key)
    budget = settings.api_budget_url
    return AppContext(
        settings=settings,
        engine=database.engine,
        session_factory=database.session_factory,
        client=_client(settings, base_url, fingerprint, budget, settings.api_budget_wait_seconds),
        job_client=_client(settings, base_url, fingerprint, budget, None),
        stock2shop=_stock2shop(
            settings,
            (
                settings.demo_mode,
                settings.stock2shop_base_url,
                settings.stock2shop_username,
                settings.stock2shop_currency,
            ),
            _fingerprint(settings.stock2shop_password),
        ),
    )
