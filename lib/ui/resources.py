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
from lib.settings import Settings, load_settings
from lib.sources.configured import PEERS, Peer, peer_source
from lib.sources.price2b import Price2BSource
from lib.sources.psrestful import PsRestfulSource
from lib.sources.records import PRICE2B, PSRESTFUL, STOCK2SHOP
from lib.sources.source import Source
from lib.sources.stock2shop import Stock2ShopSource


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
    # Each source besides PleasureStock when configured (or, in demo mode, its sandbox);
    # None: not configured.
    stock2shop: Stock2ShopSource | None = None
    price2b: Price2BSource | None = None
    psrestful: PsRestfulSource | None = None

    def source(self, key: str) -> Source | None:
        """The configured source of ``key`` (a ``PEERS`` key), or None."""
        return {STOCK2SHOP: self.stock2shop, PRICE2B: self.price2b, PSRESTFUL: self.psrestful}[key]

    @property
    def sources(self) -> tuple[Source, ...]:
        """The configured sources besides PleasureStock, in ``PEERS`` order (jobs sync them)."""
        return tuple(s for s in (self.source(p.key) for p in PEERS) if s is not None)

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


@st.cache_resource(show_spinner="Connecting to the sources…")
def _cached_source(
    _settings: Settings, _peer: Peer, key: str, identity: tuple[object, ...], fingerprint: str
) -> Source | None:
    """The configured source ``key`` (``_peer``); in demo mode without its settings, its
    embedded sandbox; otherwise None. ``key``, ``identity`` (mode and the peer's settings)
    and ``fingerprint`` (its secret's) key the cache: a change of any gives a new source."""
    return peer_source(_settings, _peer)


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
    sources = {peer.key: _source(settings, peer) for peer in PEERS}
    return AppContext(
        settings=settings,
        engine=database.engine,
        session_factory=database.session_factory,
        client=_client(settings, base_url, fingerprint, budget, settings.api_budget_wait_seconds),
        job_client=_client(settings, base_url, fingerprint, budget, None),
        stock2shop=sources[STOCK2SHOP],
        price2b=sources[PRICE2B],
        psrestful=sources[PSRESTFUL],
    )


def _source(settings: Settings, peer: Peer) -> Source | None:
    identity = (settings.demo_mode, *peer.identity(settings))
    return _cached_source(settings, peer, peer.key, identity, _fingerprint(peer.secret(settings)))
