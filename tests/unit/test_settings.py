"""Settings: source priority, defaults, secret masking, paths and file errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from lib.settings import (
    PROJECT_ROOT,
    SecretsFileError,
    Settings,
    SettingsError,
    load_settings,
)

LONG_KEY = "pk_live_0123456789abcdefWXYZ"
VARIABLES = (
    "PLEASURESTOCK_API_KEY",
    "PLEASURESTOCK_BASE_URL",
    "PLEASURESTOCK_WEBHOOK_SECRET",
    "STOCKDESK_DATABASE_URL",
    "CATALOG_MAX_AGE_HOURS",
    "REQUEST_TIMEOUT_SECONDS",
    "API_BUDGET_WAIT_SECONDS",
    "STOCKDESK_ADMIN_EMAILS",
    "STOCKDESK_EMAIL_VERIFIED_CLAIM",
    "STOCKDESK_ALLOW_ANONYMOUS",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hide the developer's own settings from every test."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def secrets_file(tmp_path: Path, text: str) -> Path:
    """A secrets.toml with ``text`` inside ``tmp_path``."""
    path = tmp_path / "secrets.toml"
    path.write_text(text, encoding="utf-8")
    return path


def no_secrets(tmp_path: Path) -> Path:
    """A secrets file path that does not exist."""
    return tmp_path / "absent.toml"


def test_defaults(tmp_path: Path) -> None:
    settings = Settings.from_secrets_file(no_secrets(tmp_path))
    assert settings.pleasurestock_api_key is None
    assert settings.demo_mode
    assert settings.pleasurestock_base_url == "https://pleasurestock.com/api/v1"
    assert settings.pleasurestock_webhook_secret is None
    assert settings.stockdesk_database_url == f"sqlite:///{PROJECT_ROOT / 'data/stockdesk.db'}"
    assert settings.catalog_max_age_hours == 24
    assert settings.request_timeout_seconds == 30
    assert settings.api_budget_wait_seconds == 5


def test_secrets_file_is_read_and_other_sections_ignored(tmp_path: Path) -> None:
    path = secrets_file(
        tmp_path,
        f'PLEASURESTOCK_API_KEY = "{LONG_KEY}"\n'
        "CATALOG_MAX_AGE_HOURS = 6\n"
        '[auth]\nclient_id = "stockdesk"\n',
    )
    settings = Settings.from_secrets_file(path)
    assert settings.pleasurestock_api_key is not None
    assert settings.pleasurestock_api_key.get_secret_value() == LONG_KEY
    assert settings.catalog_max_age_hours == 6
    assert not settings.demo_mode


def test_environment_beats_secrets_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = secrets_file(
        tmp_path, 'PLEASURESTOCK_API_KEY = "from_file"\nREQUEST_TIMEOUT_SECONDS = 5\n'
    )
    monkeypatch.setenv("PLEASURESTOCK_API_KEY", "from_env")
    settings = Settings.from_secrets_file(path)
    assert settings.pleasurestock_api_key is not None
    assert settings.pleasurestock_api_key.get_secret_value() == "from_env"
    assert settings.request_timeout_seconds == 5


def test_keyword_arguments_beat_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CATALOG_MAX_AGE_HOURS", "12")
    settings = Settings.from_secrets_file(no_secrets(tmp_path), catalog_max_age_hours=2)
    assert settings.catalog_max_age_hours == 2


def test_blank_key_means_demo_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = secrets_file(tmp_path, 'PLEASURESTOCK_API_KEY = "from_file"\n')
    monkeypatch.setenv("PLEASURESTOCK_API_KEY", "  ")
    settings = Settings.from_secrets_file(path)
    assert settings.pleasurestock_api_key is None
    assert settings.demo_mode


def test_secrets_never_shown(tmp_path: Path) -> None:
    webhook_secret = "whsec_secret_value_9876"
    settings = Settings.from_secrets_file(
        no_secrets(tmp_path),
        pleasurestock_api_key=LONG_KEY,
        pleasurestock_webhook_secret=webhook_secret,
    )
    shown = [
        repr(settings),
        str(settings),
        str(settings.model_dump()),
        settings.model_dump_json(),
        str(settings.describe()),
    ]
    for text in shown:
        assert LONG_KEY not in text
        assert webhook_secret not in text


def test_describe_masks_secrets_and_database_password(tmp_path: Path) -> None:
    settings = Settings.from_secrets_file(
        no_secrets(tmp_path),
        pleasurestock_api_key=LONG_KEY,
        pleasurestock_webhook_secret="short_secret",
        stockdesk_database_url="postgresql+psycopg://stockdesk:hunter2@db:5432/stockdesk",
    )
    described = settings.describe()
    assert described["pleasurestock_api_key"] == "••••••••WXYZ"
    assert described["pleasurestock_webhook_secret"] == "••••••••"
    assert (
        described["stockdesk_database_url"]
        == "postgresql+psycopg://stockdesk:***@db:5432/stockdesk"
    )
    assert described["catalog_max_age_hours"] == "24"
    assert set(described) == set(Settings.model_fields)


def test_describe_without_secrets(tmp_path: Path) -> None:
    described = Settings.from_secrets_file(no_secrets(tmp_path)).describe()
    assert described["pleasurestock_api_key"] == "not set"


@pytest.mark.parametrize(
    ("database_url", "budget_url"),
    [
        # SQLite: a file of its own beside the database file.
        (
            "sqlite:///data/stockdesk.db",
            f"sqlite:///{PROJECT_ROOT / 'data/stockdesk.ratelimit.db'}",
        ),
        ("sqlite:////srv/stockdesk/app", "sqlite:////srv/stockdesk/app.ratelimit.db"),
        # PostgreSQL: the database itself, as libpq writes it (no +psycopg), password kept.
        (
            "postgresql+psycopg://stock:p%40ss@db:5432/stockdesk?sslmode=require",
            "postgresql://stock:p%40ss@db:5432/stockdesk?sslmode=require",
        ),
        # A database that lives in one process: so does its budget.
        ("sqlite:///:memory:", None),
        ("sqlite://", None),
    ],
)
def test_the_api_budget_lives_with_the_database(
    tmp_path: Path, database_url: str, budget_url: str | None
) -> None:
    settings = Settings.from_secrets_file(no_secrets(tmp_path), stockdesk_database_url=database_url)
    assert settings.api_budget_url == budget_url


@pytest.mark.parametrize("seconds", ["0", "-1", "61"])
def test_the_budget_wait_is_a_few_seconds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seconds: str
) -> None:
    monkeypatch.setenv("API_BUDGET_WAIT_SECONDS", seconds)
    with pytest.raises(ValidationError):
        Settings.from_secrets_file(no_secrets(tmp_path))


def test_relative_sqlite_path_resolves_against_project_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STOCKDESK_DATABASE_URL", "sqlite:///var/app.db")
    settings = Settings.from_secrets_file(no_secrets(tmp_path))
    assert settings.stockdesk_database_url == f"sqlite:///{PROJECT_ROOT / 'var/app.db'}"
    assert (PROJECT_ROOT / "pyproject.toml").is_file()


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////srv/stockdesk/app.db",
        "sqlite://",
        "sqlite:///:memory:",
        "postgresql+psycopg://stockdesk@db/stockdesk",
    ],
)
def test_other_database_urls_are_kept(tmp_path: Path, url: str) -> None:
    settings = Settings.from_secrets_file(no_secrets(tmp_path), stockdesk_database_url=url)
    assert settings.stockdesk_database_url == url


def test_malformed_secrets_file_names_the_file(tmp_path: Path) -> None:
    path = secrets_file(tmp_path, 'PLEASURESTOCK_API_KEY = "unterminated\n')
    with pytest.raises(SecretsFileError, match=str(path)):
        Settings.from_secrets_file(path)


@pytest.mark.parametrize("field", ["catalog_max_age_hours", "request_timeout_seconds"])
def test_durations_must_be_positive(tmp_path: Path, field: str) -> None:
    with pytest.raises(ValidationError):
        Settings.from_secrets_file(no_secrets(tmp_path), **{field: 0})


def test_admin_emails_from_comma_text_or_a_toml_list(tmp_path: Path) -> None:
    listed = secrets_file(tmp_path, 'STOCKDESK_ADMIN_EMAILS = ["IT@example.com", " b@x.com "]\n')
    assert Settings.from_secrets_file(listed).admin_emails == {"it@example.com", "b@x.com"}
    text = Settings.from_secrets_file(
        no_secrets(tmp_path), stockdesk_admin_emails="it@example.com, ,B@x.com"
    )
    assert text.admin_emails == {"it@example.com", "b@x.com"}
    assert text.describe()["stockdesk_admin_emails"] == "b@x.com, it@example.com"
    assert Settings.from_secrets_file(no_secrets(tmp_path)).admin_emails == frozenset()


def test_anonymous_live_use_is_off_unless_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not Settings.from_secrets_file(no_secrets(tmp_path)).stockdesk_allow_anonymous
    monkeypatch.setenv("STOCKDESK_ALLOW_ANONYMOUS", "true")
    settings = Settings.from_secrets_file(no_secrets(tmp_path))
    assert settings.stockdesk_allow_anonymous
    assert settings.describe()["stockdesk_allow_anonymous"] == "true"


@pytest.mark.parametrize("field", ["pleasurestock_api_key", "pleasurestock_webhook_secret"])
@pytest.mark.parametrize("inside", ["\n", "\r\n", "\x00", "\t", "\x1b"])
def test_a_secret_with_a_control_character_is_refused_by_name_not_value(
    tmp_path: Path, field: str, inside: str
) -> None:
    secret = f"pk_live_Half0123{inside}Other4567"
    with pytest.raises(ValidationError) as caught:
        Settings.from_secrets_file(no_secrets(tmp_path), **{field: secret})
    assert "line break" in str(caught.value)
    assert "Half0123" not in str(caught.value) and "Other4567" not in str(caught.value)


def test_a_key_from_the_secrets_file_with_a_line_break_names_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = secrets_file(tmp_path, 'PLEASURESTOCK_API_KEY = "pk_live_Half0123\\nOther4567"\n')
    monkeypatch.setattr("lib.settings.SECRETS_FILE", path)
    monkeypatch.setitem(Settings.model_config, "toml_file", path)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    (problem,) = caught.value.problems
    assert problem.setting == "PLEASURESTOCK_API_KEY"
    assert "line break" in problem.problem
    assert "Half0123" not in str(caught.value)


def test_a_key_with_typographic_characters_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="not plain ASCII"):
        Settings.from_secrets_file(no_secrets(tmp_path), pleasurestock_api_key="pk_live_’0123’")


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://[::1/api/v1", "is not a valid URL"),
        ("pleasurestock.com/api/v1", "must start with https://"),
        ("ftp://pleasurestock.com/api/v1", "must start with https://"),
        ("https:///api/v1", "no usable host"),
        ("https://pleasurestock.com:99999/api/v1", "no usable host name or port"),
        ("https://pleasure stock.com/api/v1", "contains a space"),
    ],
)
def test_an_unusable_base_url_is_refused_when_settings_load(
    tmp_path: Path, url: str, says: str
) -> None:
    with pytest.raises(ValidationError, match=says):
        Settings.from_secrets_file(no_secrets(tmp_path), pleasurestock_base_url=url)


@pytest.mark.parametrize(
    "url", ["https://pleasurestock.com/api/v1", "http://127.0.0.1:8765/api/v1", "http://[::1]:80/"]
)
def test_usable_base_urls_are_kept(tmp_path: Path, url: str) -> None:
    settings = Settings.from_secrets_file(no_secrets(tmp_path), pleasurestock_base_url=url)
    assert settings.pleasurestock_base_url == url


def test_load_settings_lists_every_bad_setting_with_its_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PLEASURESTOCK_BASE_URL", "http://[::1/api/v1")
    monkeypatch.setenv("CATALOG_MAX_AGE_HOURS", "0")
    monkeypatch.setenv("STOCKDESK_DATABASE_URL", "no database here")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    problems = {p.setting: p.problem for p in caught.value.problems}
    assert set(problems) == {
        "PLEASURESTOCK_BASE_URL",
        "CATALOG_MAX_AGE_HOURS",
        "STOCKDESK_DATABASE_URL",
    }
    assert "https://pleasurestock.com/api/v1" in problems["PLEASURESTOCK_BASE_URL"]
    assert "postgresql+psycopg://" in problems["STOCKDESK_DATABASE_URL"]


def test_load_settings_names_a_malformed_secrets_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = secrets_file(tmp_path, 'PLEASURESTOCK_API_KEY = "unterminated\n')
    monkeypatch.setitem(Settings.model_config, "toml_file", path)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    (problem,) = caught.value.problems
    assert problem.setting == "secrets.toml" and str(path) in problem.problem


def test_service_levels_per_abc_class_default_and_refuse_certainty(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = Settings.from_secrets_file(no_secrets(tmp_path))
    assert settings.service_levels == {"A": 0.98, "B": 0.95, "C": 0.90}
    monkeypatch.setenv("STOCKDESK_SERVICE_LEVEL_A", "1")
    monkeypatch.setenv("STOCKDESK_SERVICE_LEVEL_C", "0.4")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    problems = {p.setting: p.problem for p in caught.value.problems}
    assert set(problems) == {"STOCKDESK_SERVICE_LEVEL_A", "STOCKDESK_SERVICE_LEVEL_C"}
    assert "less than 1" in problems["STOCKDESK_SERVICE_LEVEL_A"]
