"""Which sources besides PleasureStock the settings turn on: the standalone worker syncs
exactly the configured ones, and demo mode serves every unconfigured one from its
sandbox while a configured one stays live."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from lib.settings import Settings
from lib.sources.configured import PEERS, live_sources, peer_source
from lib.sources.records import PRICE2B, PSRESTFUL, STOCK2SHOP

LIVE_KEY = SecretStr("pk_live_ConfiguredSources0001")


def settings(tmp_path: Path, **values: object) -> Settings:
    return Settings.from_secrets_file(tmp_path / "absent.toml", **values)


def close(sources: tuple[object, ...]) -> None:
    for source in sources:
        source.client.close()  # type: ignore[attr-defined]


def test_the_worker_lists_exactly_the_configured_sources(tmp_path: Path) -> None:
    live = {"pleasurestock_api_key": LIVE_KEY}
    assert live_sources(settings(tmp_path, **live)) == ()
    two = live_sources(
        settings(
            tmp_path,
            **live,
            price2b_token=SecretStr("p2b_live_token_0123456789"),
            psrestful_api_key=SecretStr("psr_live_key_0123456789"),
            psrestful_supplier_codes="SanMar,HIT",
        )
    )
    try:
        assert [s.key for s in two] == [PRICE2B, PSRESTFUL]
    finally:
        close(two)
    every = live_sources(
        settings(
            tmp_path,
            **live,
            stock2shop_username="reader",
            stock2shop_password=SecretStr("s2s-password"),
            price2b_token=SecretStr("p2b_live_token_0123456789"),
            psrestful_api_key=SecretStr("psr_live_key_0123456789"),
        )
    )
    try:
        assert [s.key for s in every] == [STOCK2SHOP, PRICE2B, PSRESTFUL]
        assert every[0].client.base_url == "https://app.stock2shop.com/v1"  # type: ignore[attr-defined]
    finally:
        close(every)


def test_live_mode_leaves_an_unconfigured_source_off(tmp_path: Path) -> None:
    live = settings(tmp_path, pleasurestock_api_key=LIVE_KEY)
    assert [peer_source(live, peer) for peer in PEERS] == [None, None, None]
