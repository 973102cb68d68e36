"""Process-wide resources for the pages: settings, database, API client (cached once)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import streamlit as st
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from streamlit import config as streamlit_config

from lib.db import open_database
from lib.pleasurestock import PleasureStockClient
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
def _client(_settings: Settings, base_url: str | None, key_fingerprint: str) -> PleasureStockClient:
    if _settings.demo_mode:
        sandbox_url = demo_base_url(_settings, server_port=_server_port())
        return PleasureStockClient(base_url=sandbox_url, api_key=DEMO_API_KEY)
    return PleasureStockClient(
        base_url=_settings.pleasurestock_base_url,
        api_key=_settings.pleasurestock_api_key,
        timeout=_settings.request_timeout_seconds,
    )


def _server_port() -> int | None:
    """The port this process's Streamlit server listens on; None when it serves no HTTP.

    Only when Streamlit runs the server itself is ``server.port`` the real port (it
    moves to the next free one if taken). Under AppTest no server runs and the
    default port may belong to another app, so no webhook should go there.
    """
    # Streamlit 1.67 records how it was started in config._server_mode (None in AppTest);
    # the two st.App modes are the ones that serve our routes on server.port.
    if streamlit_config._server_mode not in {"starlette-app", "starlette-app-direct"}:
        return None
    return int(st.get_option("server.port"))


def _fingerprint(key: SecretStr | None) -> str:
    """A short hash that changes with the key, so a new key gets a new client."""
    if key is None:
        return ""
    return hashlib.sha256(key.get_secret_value().encode()).hexdigest()[:16]


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
