"""Process-wide resources for the pages: settings, database, API client (cached once)."""

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


@dataclass(frozen=True)
class AppContext:
    """What every page needs: configuration, database sessions and the API client."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    client: PleasureStockClient

    @property
    def mode_label(self) -> str:
        """How the sidebar names the data source."""
        return "Demo data — sandbox" if self.settings.demo_mode else "Live — PleasureStock API"


@st.cache_resource(show_spinner="Connecting to PleasureStock…")
def _client(_settings: Settings, base_url: str | None, fingerprint: str) -> PleasureStockClient:
    """The dashboard's client: it shares the key's budget with every process and, being
    interactive, waits at most ``API_BUDGET_WAIT_SECONDS`` for it."""
    if _settings.demo_mode:
        base, key = demo_base_url(_settings), SecretStr(DEMO_API_KEY)
    else:
        base, key = _settings.pleasurestock_base_url, _settings.pleasurestock_api_key
    return PleasureStockClient(
        base_url=base,
        api_key=key,
        timeout=_settings.request_timeout_seconds,
        budget_url=_settings.api_budget_url,
        max_wait=_settings.api_budget_wait_seconds,
    )


def _fingerprint(key: SecretStr | None) -> str:
    """A short hash that changes with the key, so a new key gets a new client."""
    return "" if key is None else key_fingerprint(key.get_secret_value())


def app_context() -> AppContext:
    """Settings, database (migrated to the latest revision) and client, built once per process."""
    settings = load_settings()
    database = open_database(settings.stockdesk_database_url)
    base_url = None if settings.demo_mode else settings.pleasurestock_base_url
    client = _client(settings, base_url, _fingerprint(settings.pleasurestock_api_key))
    return AppContext(
        settings=settings,
        engine=database.engine,
        session_factory=database.session_factory,
        client=client,
    )
