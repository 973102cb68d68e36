"""StockDesk settings: one pydantic-settings model.

Sources, highest priority first: keyword arguments, environment variables (the
upper-case field names, no prefix), ``.streamlit/secrets.toml`` at the project root
(top-level keys with the same upper-case names), then the defaults below. A missing
secrets file is fine; a malformed one raises ``SecretsFileError`` naming the file.

``Settings.from_secrets_file(path)`` reads another secrets file instead of the
project's, for tests and for deployments that keep secrets elsewhere.

``load_settings()`` turns every invalid setting into one ``SettingsError`` that lists,
per setting, what is wrong and how to fix it, never the value itself, so the app can
show a configuration screen instead of a traceback.
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from lib.sources.namespaces import Namespace, NamespaceError, parse_equal_namespaces

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"

# Demo mode's declaration when none is set: the sandboxes' SKUs are shared on purpose,
# Stock2Shop's ERP keeps PleasureStock's SKU in some variants' barcode field, Price2B
# (which has no barcode) carries it as its sku, and PSRESTful as a part id. One group, so
# a product two others carry is one proposal of three.
DEMO_EQUAL_SKU_NAMESPACES = (
    "pleasurestock.sku=stock2shop.sku=stock2shop.barcode=price2b.sku=psrestful.sku"
)
_MASK = "••••••••"
_BASE_URL_EXAMPLES = {
    "pleasurestock_base_url": "https://pleasurestock.com/api/v1",
    "stock2shop_base_url": "https://app.stock2shop.com/v1",
    "price2b_base_url": "https://app.price2b.com/api",
    "psrestful_base_url": "https://api.psrestful.com",
}
# Showing the tail of a short key would give away too large a share of it.
_SHORTEST_KEY_WITH_VISIBLE_TAIL = 13


class SecretsFileError(ValueError):
    """The secrets file exists but is not valid TOML."""


@dataclass(frozen=True)
class SettingProblem:
    """One invalid setting: its name as the operator writes it, and what to do about it."""

    setting: str
    problem: str


class SettingsError(ValueError):
    """The configuration cannot be used; ``problems`` names each bad setting and the fix."""

    def __init__(self, problems: list[SettingProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.setting}: {p.problem}" for p in problems))


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
    # hide_input_in_errors: a refused secret must not be quoted in the error (or a log).
    model_config = SettingsConfigDict(
        extra="ignore", toml_file=SECRETS_FILE, hide_input_in_errors=True
    )

    pleasurestock_api_key: SecretStr | None = None
    pleasurestock_base_url: str = "https://pleasurestock.com/api/v1"
    pleasurestock_webhook_secret: SecretStr | None = None
    stockdesk_database_url: str = "sqlite:///data/stockdesk.db"
    catalog_max_age_hours: float = Field(default=24, gt=0)
    request_timeout_seconds: float = Field(default=30, gt=0)
    # How long a dashboard request waits for the shared API budget before it says when the
    # budget frees; background work always waits its turn.
    api_budget_wait_seconds: float = Field(default=5, gt=0, le=60)
    # Comma-separated addresses that are always administrators once signed in.
    stockdesk_admin_emails: str = ""
    # The ID-token claim that says the provider has verified the ``email`` claim.
    stockdesk_email_verified_claim: str = "email_verified"
    # Live mode without [auth] serves pages only when the operator asks for it here.
    stockdesk_allow_anonymous: bool = False
    # The app runs background jobs in its own process; replicas that leave them to
    # ``make worker`` turn this off.
    stockdesk_embedded_worker: bool = True
    # When (UTC, HH:MM) the daily catalog sync starts; the TRY rates follow their own time.
    stockdesk_catalog_sync_time: time = time(3, 0)
    # False: this process's worker starts no scheduled job (the catalog sync, rates,
    # source syncs and pulls, the forecast); jobs people start still run. For a worker
    # that should only serve its pages, or a copy that must stay quiet.
    stockdesk_scheduled_jobs: bool = True
    # Stock2Shop (read only): no username means the source is off (demo mode: its sandbox).
    stock2shop_username: str | None = None
    stock2shop_password: SecretStr | None = Field(default=None, validate_default=True)
    stock2shop_base_url: str = "https://app.stock2shop.com/v1"
    # The API never states a currency; None shows its prices without one.
    stock2shop_currency: str | None = None
    # Code namespaces the user declares equal (lib/sources/namespaces.py), for link proposals.
    stockdesk_equal_sku_namespaces: str = ""
    # Sales from Stock2Shop's channel orders: the statuses that count as a sale (comma
    # separated), the shop's time zone (an order's day), how many recent days may still
    # change (held back) and how many days each pull reads again.
    stock2shop_sale_statuses: str = "ordered,processing,fulfilled"
    stock2shop_time_zone: str = "Europe/Istanbul"
    stock2shop_settle_days: int = Field(default=2, ge=0, le=30)
    stock2shop_sales_days: int = Field(default=14, ge=1, le=90)
    # Where the channel pull's stock_on_hand of today comes from: Stock2Shop's warehouses,
    # or Price2B's daily snapshot (figure per PRICE2B_ON_HAND); warehouses summed by us.
    sales_stock_source: Literal["stock2shop", "price2b"] = "stock2shop"

    # Price2B (read only): no token means the source is off (demo mode: its sandbox).
    # The token should carry the inventory:read scope only, so no write is possible.
    price2b_token: SecretStr | None = None
    price2b_base_url: str = "https://app.price2b.com/api"
    # No rate limit is documented: a careful pace (lib/price2b/ratelimit.py says why).
    price2b_requests_per_second: float = Field(default=2, gt=0, le=20)
    # Each product's stock per warehouse costs one request: at most this many per sync,
    # for linked products only.
    price2b_stock_budget: int = Field(default=200, ge=0, le=10_000)
    # Price2B states each price's currency, defaulting silently to USD; set this when the
    # account's prices are known to be in another one.
    price2b_currency: str | None = None
    # Which figure is our on-hand stock: quantity (reserved included) or available.
    price2b_on_hand: Literal["quantity", "available"] = "quantity"
    # PSRESTful (read only; lib/psrestful): no API key means the source is off (demo
    # mode: its sandbox). Supplier codes are comma separated (SanMar,HIT); prices are
    # asked in USD or CAD; the pace is undocumented, so it starts conservatively; supplier
    # inventory older than the max age is shown as stale.
    psrestful_api_key: SecretStr | None = None
    psrestful_base_url: str = "https://api.psrestful.com"
    psrestful_supplier_codes: str = ""
    psrestful_currency: str = "USD"
    psrestful_requests_per_second: float = Field(default=2.0, gt=0, le=20)
    psrestful_inventory_max_age_hours: float = Field(default=6.0, gt=0, le=24 * 7)
    # Which PleasureStock supplier is which PSRESTful supplier, for Reorder's offers:
    # "ps-supplier-id=SanMar,other-id=HIT" (comma separated; each id once).
    psrestful_supplier_map: str = ""

    # The forecast engine's service level per ABC class (issue 19): the share of review
    # cycles without a stockout that its safety stock aims at; A is held tightest.
    stockdesk_service_level_a: float = Field(default=0.98, gt=0.5, lt=1)
    stockdesk_service_level_b: float = Field(default=0.95, gt=0.5, lt=1)
    stockdesk_service_level_c: float = Field(default=0.90, gt=0.5, lt=1)

    @property
    def service_levels(self) -> dict[str, float]:
        """The forecast engine's service level of each ABC class."""
        return {
            "A": self.stockdesk_service_level_a,
            "B": self.stockdesk_service_level_b,
            "C": self.stockdesk_service_level_c,
        }

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

    @field_validator(
        "pleasurestock_api_key",
        "pleasurestock_webhook_secret",
        "stock2shop_username",
        "stock2shop_password",
        "stock2shop_currency",
        "price2b_token",
        "price2b_currency",
        "psrestful_api_key",
        mode="before",
    )
    @classmethod
    def _blank_secret_is_none(cls, value: Any) -> Any:
        """A blank value (e.g. ``PLEASURESTOCK_API_KEY=``) counts as not set at all."""
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if isinstance(value, str):
            return value.strip() or None
        return value

    @field_validator(
        "pleasurestock_api_key",
        "pleasurestock_webhook_secret",
        "stock2shop_password",
        "price2b_token",
        "psrestful_api_key",
    )
    @classmethod
    def _secret_is_one_line(cls, value: SecretStr | None) -> SecretStr | None:
        """Refuse line breaks, NULs and other control characters: a secret pasted with them
        would end up in an HTTP library's error message (the message never quotes it)."""
        if value is not None and any(
            unicodedata.category(char) == "Cc" for char in value.get_secret_value()
        ):
            raise ValueError(
                "contains a line break, tab or other control character. Set it again as one "
                "line, exactly as the platform shows it."
            )
        return value

    @field_validator("pleasurestock_api_key", "price2b_token")
    @classmethod
    def _key_fits_a_header(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        """The key travels in an HTTP header, which carries ASCII only."""
        platform = "Price2B" if info.field_name == "price2b_token" else "PleasureStock"
        if value is not None and not value.get_secret_value().isascii():
            raise ValueError(
                "contains a character that is not plain ASCII (a typographic quote or dash?). "
                f"Copy the key again from {platform}."
            )
        return value

    @field_validator("stock2shop_password")
    @classmethod
    def _password_goes_with_username(
        cls, value: SecretStr | None, info: ValidationInfo
    ) -> SecretStr | None:
        """A username without a password would fail on the first request."""
        if info.data.get("stock2shop_username") and value is None:
            raise ValueError(
                "is not set, but STOCK2SHOP_USERNAME is. Set the password of that (read_only) "
                "Stock2Shop user, or remove STOCK2SHOP_USERNAME to turn Stock2Shop off."
            )
        return value

    @field_validator("stock2shop_currency", "price2b_currency")
    @classmethod
    def _currency_is_a_code(cls, value: str | None) -> str | None:
        """A three-letter ISO 4217 code, stored upper case."""
        if value is not None and not (len(value) == 3 and value.isascii() and value.isalpha()):
            raise ValueError("must be a three-letter currency code such as ZAR, EUR or USD.")
        return None if value is None else value.upper()

    @field_validator("stock2shop_time_zone")
    @classmethod
    def _time_zone_is_known(cls, value: str) -> str:
        """An IANA zone name such as Europe/Istanbul."""
        try:
            ZoneInfo(value.strip())
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                "must be a time zone name such as Europe/Istanbul or Africa/Johannesburg."
            ) from None
        return value.strip()

    @field_validator("stock2shop_sale_statuses")
    @classmethod
    def _some_status_counts(cls, value: str) -> str:
        """At least one status, or no order would ever count as a sale."""
        if not any(part.strip() for part in value.split(",")):
            raise ValueError("must name at least one order status, e.g. ordered,fulfilled.")
        return value

    @property
    def sale_statuses(self) -> tuple[str, ...]:
        """The statuses of ``STOCK2SHOP_SALE_STATUSES``, blanks dropped."""
        return tuple(p.strip() for p in self.stock2shop_sale_statuses.split(",") if p.strip())

    @field_validator("stockdesk_equal_sku_namespaces")
    @classmethod
    def _namespaces_are_readable(cls, value: str) -> str:
        """Refuse a declaration that cannot be read, saying what to write."""
        try:
            parse_equal_namespaces(value)
        except NamespaceError as error:
            raise ValueError(str(error)) from None
        return value

    @field_validator("psrestful_api_key")
    @classmethod
    def _psrestful_key_fits_a_header(cls, value: SecretStr | None) -> SecretStr | None:
        """The key travels in the X-API-Key header, which carries ASCII only."""
        if value is not None and not value.get_secret_value().isascii():
            raise ValueError(
                "contains a character that is not plain ASCII (a typographic quote or dash?). "
                "Copy the key again from PSRESTful."
            )
        return value

    @field_validator("psrestful_currency")
    @classmethod
    def _psrestful_currency_is_offered(cls, value: str) -> str:
        """PSRESTful prices in USD or CAD only."""
        if value.strip().upper() not in ("USD", "CAD"):
            raise ValueError("must be USD or CAD, the only currencies PSRESTful prices in.")
        return value.strip().upper()

    @property
    def psrestful_suppliers(self) -> tuple[str, ...]:
        """The codes of ``PSRESTFUL_SUPPLIER_CODES``, blanks dropped, in the order given."""
        codes = (p.strip() for p in self.psrestful_supplier_codes.split(","))
        return tuple(dict.fromkeys(c for c in codes if c))

    @field_validator("psrestful_supplier_map")
    @classmethod
    def _supplier_map_is_readable(cls, value: str) -> str:
        """Pairs ``id=CODE`` joined by commas, each PleasureStock supplier once."""
        parse_supplier_map(value)
        return value

    @property
    def psrestful_supplier_codes_by_id(self) -> dict[str, str]:
        """PleasureStock supplier id -> PSRESTful supplier code, from
        ``PSRESTFUL_SUPPLIER_MAP``."""
        return parse_supplier_map(self.psrestful_supplier_map)

    @field_validator(
        "pleasurestock_base_url", "stock2shop_base_url", "price2b_base_url", "psrestful_base_url"
    )
    @classmethod
    def _base_url_is_usable(cls, value: str, info: ValidationInfo) -> str:
        """An ``http(s)://host[:port]/path`` address; anything else fails on every request."""
        text = value.strip()
        example = _BASE_URL_EXAMPLES[info.field_name or ""]
        fix = f"Use the API's address, e.g. {example}."
        if any(char.isspace() or unicodedata.category(char) == "Cc" for char in text):
            raise ValueError(f"contains a space or a line break. {fix}")
        try:
            url = httpx.URL(text)
        except httpx.InvalidURL as error:
            raise ValueError(f"is not a valid URL ({error}). {fix}") from None
        if url.scheme not in {"http", "https"}:
            raise ValueError(f"must start with https:// (or http://). {fix}")
        if not url.host or not (url.port is None or 0 < url.port < 65536):
            raise ValueError(f"has no usable host name or port. {fix}")
        return text

    @field_validator("stockdesk_admin_emails", mode="before")
    @classmethod
    def _address_list_is_fine(cls, value: Any) -> Any:
        """A TOML list of addresses reads the same as the comma-separated text."""
        return ", ".join(map(str, value)) if isinstance(value, list) else value

    @field_validator("stockdesk_database_url")
    @classmethod
    def _anchor_sqlite_path(cls, value: str) -> str:
        """Resolve a relative SQLite path against the project root, not the working dir."""
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(
                "is not a database URL. Use e.g. sqlite:///data/stockdesk.db or "
                "postgresql+psycopg://user:password@host:5432/stockdesk."
            ) from None
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
    def api_budget_url(self) -> str | None:
        """Where every process keeps the shared API budget (``lib.pleasurestock.budget``).

        PostgreSQL: the database itself, as libpq's URL (without SQLAlchemy's ``+psycopg``).
        SQLite: a file of its own in the same folder, beside the database file
        (``stockdesk.db`` -> ``stockdesk.ratelimit.db``), so counting requests never waits
        for the app's writes. An in-memory SQLite database: this process only (None).
        """
        store = shared_store(self.stockdesk_database_url, ".ratelimit.db")
        if store.sqlite_file is not None:
            return f"sqlite:///{store.sqlite_file}"
        return store.postgres_dsn

    @property
    def equal_sku_namespaces(self) -> tuple[frozenset[Namespace], ...]:
        """The groups of ``STOCKDESK_EQUAL_SKU_NAMESPACES`` (validated at load); in demo
        mode with none declared, ``DEMO_EQUAL_SKU_NAMESPACES``."""
        return parse_equal_namespaces(self._declared_namespaces)

    @property
    def _declared_namespaces(self) -> str:
        declared = self.stockdesk_equal_sku_namespaces.strip()
        return declared or (DEMO_EQUAL_SKU_NAMESPACES if self.demo_mode else "")

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
            "api_budget_wait_seconds": f"{self.api_budget_wait_seconds:g}",
            "stockdesk_admin_emails": ", ".join(sorted(self.admin_emails)) or "not set",
            "stockdesk_email_verified_claim": self.stockdesk_email_verified_claim,
            "stockdesk_allow_anonymous": "true" if self.stockdesk_allow_anonymous else "false",
            "stockdesk_embedded_worker": "true" if self.stockdesk_embedded_worker else "false",
            "stockdesk_scheduled_jobs": "true" if self.stockdesk_scheduled_jobs else "false",
            "stockdesk_catalog_sync_time": f"{self.stockdesk_catalog_sync_time:%H:%M} UTC",
            "stock2shop_username": self.stock2shop_username or "not set",
            "stock2shop_password": _mask_secret(self.stock2shop_password),
            "stock2shop_base_url": self.stock2shop_base_url,
            "stock2shop_currency": self.stock2shop_currency or "not set",
            "stockdesk_equal_sku_namespaces": self._declared_namespaces or "none declared",
            "stock2shop_sale_statuses": ", ".join(self.sale_statuses),
            "stock2shop_time_zone": self.stock2shop_time_zone,
            "stock2shop_settle_days": str(self.stock2shop_settle_days),
            "stock2shop_sales_days": str(self.stock2shop_sales_days),
            "price2b_token": _mask_secret(self.price2b_token),
            "price2b_base_url": self.price2b_base_url,
            "price2b_requests_per_second": f"{self.price2b_requests_per_second:g}",
            "price2b_stock_budget": str(self.price2b_stock_budget),
            "price2b_currency": self.price2b_currency or "as each price states (USD by default)",
            "price2b_on_hand": self.price2b_on_hand,
            "psrestful_api_key": _mask_secret(self.psrestful_api_key),
            "psrestful_base_url": self.psrestful_base_url,
            "psrestful_supplier_codes": ", ".join(self.psrestful_suppliers) or "not set",
            "psrestful_currency": self.psrestful_currency,
            "psrestful_requests_per_second": f"{self.psrestful_requests_per_second:g}",
            "psrestful_inventory_max_age_hours": f"{self.psrestful_inventory_max_age_hours:g}",
            "psrestful_supplier_map": ", ".join(
                f"{ps}={code}" for ps, code in self.psrestful_supplier_codes_by_id.items()
            )
            or "not set",
            "sales_stock_source": self.sales_stock_source,
            "stockdesk_service_level_a": f"{self.stockdesk_service_level_a:g}",
            "stockdesk_service_level_b": f"{self.stockdesk_service_level_b:g}",
            "stockdesk_service_level_c": f"{self.stockdesk_service_level_c:g}",
        }


def parse_supplier_map(text: str) -> dict[str, str]:
    """``"ps-1=SanMar, ps-2=HIT"`` as ``{"ps-1": "SanMar", "ps-2": "HIT"}``; raises
    ValueError saying what to write (blank text maps nothing)."""
    found: dict[str, str] = {}
    example = "e.g. PSRESTFUL_SUPPLIER_MAP=ps-supplier-id=SanMar,other-id=HIT"
    for part in text.split(","):
        if not part.strip():
            continue
        ps_id, equals, code = (p.strip() for p in part.partition("="))
        if not equals or not ps_id or not code or "=" in code:
            raise ValueError(
                f"PSRESTFUL_SUPPLIER_MAP: {part.strip()!r} is not <PleasureStock supplier "
                f"id>=<PSRESTful supplier code>; {example}."
            )
        if ps_id in found:
            raise ValueError(
                f"PSRESTFUL_SUPPLIER_MAP names the supplier {ps_id!r} twice; map each "
                "PleasureStock supplier to one PSRESTful code."
            )
        found[ps_id] = code
    return found


@dataclass(frozen=True)
class SharedStore:
    """Where a store every process shares (the job queue, the API budget) lives beside the
    app's database: the PostgreSQL database itself, or a SQLite file of its own."""

    postgres_dsn: str | None = None  # libpq's URL, without SQLAlchemy's "+psycopg"
    sqlite_file: Path | None = None


def shared_store(database_url: str, suffix: str) -> SharedStore:
    """The shared store beside ``database_url``: the same PostgreSQL database, or a file
    in the same folder as the SQLite file (``stockdesk.db`` -> ``stockdesk<suffix>``), so
    its writes never wait for the app's. An in-memory or ``file:`` URI SQLite database
    names no file to sit beside: then this process only (neither field set)."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        return SharedStore(
            postgres_dsn=url.set(drivername="postgresql").render_as_string(hide_password=False)
        )
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return SharedStore()
    if database.startswith("file:"):
        return SharedStore()
    return SharedStore(sqlite_file=Path(database).with_suffix(suffix))


def _mask_secret(secret: SecretStr | None) -> str:
    """``••••••••`` plus the last 4 characters of a long secret; ``not set`` when absent."""
    if secret is None:
        return "not set"
    value = secret.get_secret_value()
    if len(value) >= _SHORTEST_KEY_WITH_VISIBLE_TAIL:
        return _MASK + value[-4:]
    return _MASK


def load_settings() -> Settings:
    """Build the settings from the environment and the project's secrets file.

    Raises ``SettingsError`` naming every invalid setting and its fix.
    """
    try:
        return Settings()
    except SecretsFileError as error:
        raise SettingsError([SettingProblem(SECRETS_FILE.name, str(error))]) from None
    except ValidationError as error:
        raise SettingsError([_problem(detail) for detail in error.errors()]) from None


def _problem(detail: Any) -> SettingProblem:
    """One pydantic error as a ``SettingProblem``: the variable's name, the message, no input."""
    setting = str(detail["loc"][0]).upper() if detail["loc"] else "settings"
    message = str(detail["msg"]).removeprefix("Value error, ")
    return SettingProblem(setting, message[:1].lower() + message[1:])
