"""PSRESTFUL_* settings: off without a key, the key masked everywhere, supplier codes
as a list, USD or CAD only, the configured source built from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from lib.settings import Settings
from lib.sources.psrestful import live_psrestful

KEY = "psr_live_SecretKey0123456789"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hide the developer's own PSRESTful settings."""
    for name in (
        "PSRESTFUL_API_KEY",
        "PSRESTFUL_BASE_URL",
        "PSRESTFUL_SUPPLIER_CODES",
        "PSRESTFUL_CURRENCY",
        "PSRESTFUL_REQUESTS_PER_SECOND",
        "PSRESTFUL_INVENTORY_MAX_AGE_HOURS",
    ):
        monkeypatch.delenv(name, raising=False)


def settings(tmp_path: Path, **values: object) -> Settings:
    return Settings.from_secrets_file(tmp_path / "absent.toml", **values)


def test_no_key_means_psrestful_is_off(tmp_path: Path) -> None:
    assert live_psrestful(settings(tmp_path, psrestful_api_key="  ")) is None


def test_the_key_is_masked_in_describe_repr_and_the_client(tmp_path: Path) -> None:
    configured = settings(
        tmp_path, psrestful_api_key=KEY, psrestful_supplier_codes=" SanMar, HIT,,SanMar "
    )
    assert configured.psrestful_suppliers == ("SanMar", "HIT")
    shown = configured.describe()
    assert shown["psrestful_api_key"].endswith("6789") and KEY not in str(shown)
    assert KEY not in repr(configured)
    source = live_psrestful(configured)
    assert source is not None and source.supplier_codes == ("SanMar", "HIT")
    assert KEY not in repr(source.client)
    source.client.close()


def test_prices_are_asked_in_usd_or_cad_only(tmp_path: Path) -> None:
    assert settings(tmp_path, psrestful_currency="cad").psrestful_currency == "CAD"
    with pytest.raises(ValidationError, match="USD or CAD"):
        settings(tmp_path, psrestful_currency="EUR")


def test_a_key_that_cannot_travel_in_a_header_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="ASCII"):
        settings(tmp_path, psrestful_api_key="psr_live_“quoted”")
    with pytest.raises(ValidationError, match="line break"):
        settings(tmp_path, psrestful_api_key="psr_live_\nsplit")
