"""StockDesk settings: one pydantic-settings model.

Sources, highest priority first: keyword arguments, environment variables (the
upper-case field names, no prefix), ``.streamlit/secrets.toml`` at the project root
(top-level keys with the same upper-case names), then the defaults below. A missing
secrets file is fine; a malformed one raises ``SecretsFileError`` naming the file.

``Settings.from_secrets_file(path)`` reads another secrets file instead of the
project's, for tests and for deployments that keep secrets elsewhere.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"

_MASK = "••••••••"
# Showing the tail of a short key would give away too large a share of it.
_SHORTEST_KEY_WITH_VISIBLE_TAIL = 13


class SecretsFileError(ValueError):
    """The secrets file exists but is not valid TOML."""


class _SecretsTomlSource(TomlConfigSettingsSource):
    """TOML source whose parse errors name the file, so a typo is found at once."""

    def _read_file(self, file_path: Any) -> dict[str, Any]:
        try:
            return super()._read_file(file_path)
        except tomllib.TOMLDecodeError as exc:
            raise SecretsFileError(f"{file_path} is not valid TOML: {exc}") from exc


class Settings(BaseSettings):
    """Everything StockDesk reads from its environment; no API key means demo mode."""

    # extra="ignore": secrets.toml also holds Streamlit's own sections, e.g. [auth].
    model_config = SettingsConfigDict(extra="ignore", toml_file=SECRETS_FILE)

    pleasurestock_api_key: SecretStr | None = None
    pleasurestock_base_url: str = "https://pleasurestock.com/api/v1"
    pleasurestock_webhook_secret: SecretStr | None = None
    stockdesk_database_url: str = "sqlite:///data/stockdesk.db"
    catalog_max_age_hours: float = Field(default=24, gt=0)
    request_timeout_seconds: float = Field(default=30, gt=0)
    # Comma-separated addresses that are always administrators once signed in.
    stockdesk_admin_emails: str = ""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Keyword arguments, then the environment, then the secrets file."""
        return init_settings, env_settings, _SecretsTomlSource(settings_cls)

    @classmethod
    def from_secrets_file(cls, secrets_file: Path, **values: Any) -> Settings:
        """Settings that read ``secrets_file`` instead of the project's secrets.toml."""
        # model_config is per class, so a throwaway subclass carries the other path.
        namespace = {"__module__": cls.__module__, "model_config": {"toml_file": secrets_file}}
        reader = type(cls.__name__, (cls,), namespace)
        return reader(**values)

    @field_validator("pleasurestock_api_key", "pleasurestock_webhook_secret", mode="before")
    @classmethod
    def _blank_secret_is_none(cls, value: Any) -> Any:
        """A blank value (e.g. ``PLEASURESTOCK_API_KEY=``) counts as no secret at all."""
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if isinstance(value, str):
            return value.strip() or None
        return value

    @field_validator("stockdesk_admin_emails", mode="before")
    @classmethod
    def _address_list_is_fine(cls, value: Any) -> Any:
        """A TOML list of addresses reads the same as the comma-separated text."""
        return ", ".join(map(str, value)) if isinstance(value, list) else value

    @field_validator("stockdesk_database_url")
    @classmethod
    def _anchor_sqlite_path(cls, value: str) -> str:
        """Resolve a relative SQLite path against the project root, not the working dir."""
        url = make_url(value)
        database = url.database
        if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
            return value
        if database.startswith("file:") or Path(database).is_absolute():
            return value
        return url.set(database=str(PROJECT_ROOT / database)).render_as_string(hide_password=False)

    @property
    def demo_mode(self) -> bool:
        """True when no API key is set: the app then runs against the embedded sandbox."""
        return self.pleasurestock_api_key is None

    @property
    def admin_emails(self) -> frozenset[str]:
        """The addresses of ``STOCKDESK_ADMIN_EMAILS``, lower case, blanks dropped."""
        return frozenset(
            address.strip().lower()
            for address in self.stockdesk_admin_emails.split(",")
            if address.strip()
        )

    def describe(self) -> dict[str, str]:
        """Every setting as display text, with secrets and database passwords masked."""
        return {
            "pleasurestock_api_key": _mask_secret(self.pleasurestock_api_key),
            "pleasurestock_base_url": self.pleasurestock_base_url,
            "pleasurestock_webhook_secret": _mask_secret(self.pleasurestock_webhook_secret),
            "stockdesk_database_url": make_url(self.stockdesk_database_url).render_as_string(
                hide_password=True
            ),
            "catalog_max_age_hours": f"{self.catalog_max_age_hours:g}",
            "request_timeout_seconds": f"{self.request_timeout_seconds:g}",
            "stockdesk_admin_emails": ", ".join(sorted(self.admin_emails)) or "not set",
        }


def _mask_secret(secret: SecretStr | None) -> str:
    """``••••••••`` plus the last 4 characters of a long secret; ``not set`` when absent."""
    if secret is None:
        return "not set"
    value = secret.get_secret_value()
    if len(value) >= _SHORTEST_KEY_WITH_VISIBLE_TAIL:
        return _MASK + value[-4:]
    return _MASK


def load_settings() -> Settings:
    """Build the settings from the environment and the project's secrets file."""
    return Settings()
