"""The PSRESTful client against its sandbox over HTTP: the key, products per supplier by
extraId, both price shapes in USD and CAD, paging that never trusts ``next``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import Decimal

import httpx
import pytest

from lib.psrestful import (
    ApiError,
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    PagingError,
    PsRestfulClient,
)
from lib.sandbox.psrestful import RunningPsRestfulSandbox
from lib.sandbox.psrestful import config as seeded
from lib.sandbox.psrestful.config import DEFAULT_BEARER

from .conftest import API_KEY

MakeClient = Callable[..., PsRestfulClient]
MakeSandbox = Callable[..., RunningPsRestfulSandbox]


def test_no_key_is_a_configuration_error_naming_the_setting() -> None:
    with pytest.raises(ConfigurationError, match="PSRESTFUL_API_KEY"):
        PsRestfulClient(base_url="https://api.psrestful.com", api_key="  ")


def test_a_wrong_key_is_refused_in_words_that_never_quote_it(
    sandbox: RunningPsRestfulSandbox, make_client: MakeClient
) -> None:
    wrong = "psr_live_WrongKey987654321"
    client = make_client(sandbox.base_url, api_key=wrong)
    with pytest.raises(AuthenticationError, match="PSRESTFUL_API_KEY") as caught:
        client.suppliers()
    assert "invalid" in str(caught.value)  # the server's {"detail"} is shown
    assert wrong not in str(caught.value) + repr(caught.value) + repr(client)


def test_the_sandbox_takes_a_bearer_token_and_refuses_no_credentials(
    sandbox: RunningPsRestfulSandbox,
) -> None:
    url = f"{sandbox.base_url}/extra/v2/suppliers"
    bearer = httpx.get(url, headers={"Authorization": f"Bearer {DEFAULT_BEARER}"})
    assert bearer.status_code == 200
    refused = httpx.get(url)
    assert refused.status_code == 401 and set(refused.json()) == {"detail"}
    scraper = httpx.get(
        f"{sandbox.base_url}/extra/v1/scrape/SanMar/", headers={"X-API-Key": API_KEY}
    )
    assert scraper.status_code == 403 and "detail" in scraper.json()


def test_each_supplier_lists_only_its_own_products(
    sandbox: RunningPsRestfulSandbox, make_client: MakeClient
) -> None:
    client = make_client(sandbox.base_url)
    assert [s.code for s in client.suppliers()] == list(seeded.SUPPLIERS)
    per_supplier = {code: client.products(code) for code in seeded.SUPPLIERS}
    expected = Counter(s.supplier for s in sandbox.store.styles)
    assert {c: len(p) for c, p in per_supplier.items()} == dict(expected)
    assert all(p.supplier_code == c for c, ps in per_supplier.items() for p in ps)
    # One style code at two suppliers: only (supplier, style) or the extraId is a key.
    codes = Counter(p.product_id for ps in per_supplier.values() for p in ps)
    assert sum(1 for n in codes.values() if n == 2) == seeded.AMBIGUOUS_CODES
    extra_ids = [p.extra_id for ps in per_supplier.values() for p in ps]
    assert len(set(extra_ids)) == len(extra_ids)


def test_product_paths_are_called_with_extra_ids_only(
    sandbox: RunningPsRestfulSandbox, make_client: MakeClient
) -> None:
    client = make_client(sandbox.base_url)
    numeric = next(s for s in sandbox.store.styles if s.product_id.isdigit())
    with pytest.raises(ValueError, match="extraId"):
        client.product("PC61")
    # The numeric style code is another product's extraId: asked by its own extraId,
    # the right product comes back.
    detail = client.product(str(numeric.extra_id))
    assert (detail.supplier_code, detail.product_id) == ("HIT", numeric.product_id)
    assert client.product(numeric.product_id).product_id != numeric.product_id
    assert all(i.isdigit() for i in sandbox.store.product_path_ids)


def test_get_extra_id_finds_a_style_per_supplier_and_404s_otherwise(
    sandbox: RunningPsRestfulSandbox, make_client: MakeClient
) -> None:
    client = make_client(sandbox.base_url)
    shared = Counter(s.product_id for s in sandbox.store.styles).most_common(1)[0][0]
    found = {
        s.supplier: client.extra_id_of(s.supplier, shared).extra_id
        for s in sandbox.store.styles
        if s.product_id == shared
    }
    assert len(set(found.values())) == 2
    with pytest.raises(NotFoundError, match="not found"):
        client.extra_id_of("SanMar", "NO-SUCH-STYLE")
    metas = client.metafields(list(found.values()))
    assert {m.supplier_code for m in metas} == set(found)


def _first(sandbox: RunningPsRestfulSandbox, supplier: str) -> str:
    return str(next(s.extra_id for s in sandbox.store.styles if s.supplier == supplier))


@pytest.mark.parametrize("casing", ["snake", "camel"])
def test_v1_price_breaks_read_the_same_as_v2_in_either_casing(
    casing: str, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    running = make_sandbox(v1_casing=casing)
    client = make_client(running.base_url)
    extra_id = _first(running, "SanMar")
    v2 = client.price_breaks(extra_id)
    v1 = client.price_breaks(extra_id, version="v1")
    assert v1.price_breaks == v2.price_breaks and v1.currency == v2.currency == "USD"
    assert v2.price_breaks[0].customer_price is not None  # SanMar: with credentials


def test_cad_prices_differ_and_keep_their_currency(
    sandbox: RunningPsRestfulSandbox, make_client: MakeClient
) -> None:
    client = make_client(sandbox.base_url)
    extra_id = _first(sandbox, "HIT")
    usd, cad = client.price_breaks(extra_id), client.price_breaks(extra_id, currency="CAD")
    assert (usd.currency, cad.currency) == ("USD", "CAD")
    assert all(
        c.net_price > u.net_price for u, c in zip(usd.price_breaks, cad.price_breaks, strict=True)
    )
    assert all(b.customer_price is None for b in usd.price_breaks)  # HIT: no credentials
    with pytest.raises(ValueError, match="USD or CAD"):
        client.price_breaks(extra_id, currency="EUR")


def test_the_last_break_reads_as_each_supplier_writes_it(
    sandbox: RunningPsRestfulSandbox, make_client: MakeClient
) -> None:
    client = make_client(sandbox.base_url)
    last = {
        code: client.price_breaks(_first(sandbox, code)).price_breaks[-1].max_quantity
        for code in seeded.SUPPLIERS
    }
    assert last == {
        "SanMar": 143,
        "HIT": None,
        "Gemline": None,
        "PCNA": seeded.LARGE_MAX_QUANTITY,
        "Alphabroder": 143,
    }


def test_money_with_four_decimals_stays_exact(
    sandbox: RunningPsRestfulSandbox, make_client: MakeClient
) -> None:
    client = make_client(sandbox.base_url)
    style = next(s for s in sandbox.store.styles if s.places == Decimal("0.0001"))
    breaks = client.price_breaks(str(style.extra_id)).price_breaks
    assert [b.net_price for b in breaks] == [b["netPrice"] for b in style.breaks["USD"]]


@pytest.mark.parametrize("mode", ["dropped", "loop", "foreign", "kept"])
def test_paging_ignores_next_links_however_they_are_written(
    mode: str, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    elsewhere = make_sandbox()
    running = make_sandbox(next_mode=mode, foreign_origin=elsewhere.base_url)
    client = make_client(running.base_url, page_size=7)
    listed = client.products("Alphabroder")
    expected = [s.extra_id for s in running.store.styles if s.supplier == "Alphabroder"]
    assert [int(p.extra_id) for p in listed] == expected
    assert elsewhere.store.requests == 0  # the key never went to another origin


def test_a_clamped_page_size_still_reads_everything(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    running = make_sandbox()
    client = make_client(running.base_url, page_size=500)
    assert len(client.inventory("SanMar").rows) == len(running.store.inventory_rows("SanMar"))
    refusing = make_sandbox(oversize="refuse")
    with pytest.raises(ApiError, match="page_size must be at most 50"):
        make_client(refusing.base_url, page_size=500).products("HIT")


@pytest.mark.parametrize("fault", ["ignore_page", "stale_page"])
def test_a_server_that_repeats_a_page_is_an_error_not_a_loop(
    fault: str, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    running = make_sandbox(page_fault=fault)
    client = make_client(running.base_url, page_size=10)
    with pytest.raises(PagingError, match="page"):
        client.products("SanMar")
    assert running.store.requests == 2  # stopped at the first repeat
