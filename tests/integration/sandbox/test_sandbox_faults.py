"""Rate limits (429 + Retry-After) and each injected fault, on dedicated sandboxes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import httpx
import pytest

from lib.sandbox import RunningSandbox, SandboxConfig, start_in_thread
from lib.sandbox.__main__ import build_parser, config_from
from lib.sandbox.faults import UNREADABLE_BODIES

API_KEY = "pk_test_sandbox"
STD = {"X-API-Key": API_KEY}
EXT = {"Authorization": f"Bearer {API_KEY}"}


@pytest.fixture
def make_sandbox() -> Iterator:
    started: list[RunningSandbox] = []

    def make(**options: object) -> RunningSandbox:
        running = start_in_thread(SandboxConfig(today=date(2025, 11, 10), **options))
        started.append(running)
        return running

    yield make
    for running in started:
        running.stop()


def test_rate_limit_gives_429_with_retry_after(make_sandbox) -> None:
    sandbox = make_sandbox(rate_limit_scale=0.2)  # smart reordering: 1 per second
    url = sandbox.base_url + "/smart-reordering"
    assert httpx.get(url, headers=STD).status_code == 200
    limited = httpx.get(url, headers=STD)
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["success"] is False
    # Other classes have their own budget.
    assert httpx.get(sandbox.base_url + "/external/orders", headers=EXT).status_code == 200


def test_standard_burst_limit(make_sandbox) -> None:
    sandbox = make_sandbox(rate_limit_scale=0.5)  # standard: 5 per second
    with httpx.Client(base_url=sandbox.base_url, headers=STD) as client:
        codes = [client.get("/products", params={"limit": 1}).status_code for _ in range(8)]
    assert codes[:5] == [200] * 5
    assert 429 in codes[5:]


def test_fault_429(make_sandbox) -> None:
    sandbox = make_sandbox(fault_429=1.0, fault_seed=1)
    response = httpx.get(sandbox.base_url + "/products", headers=STD)
    assert response.status_code == 429 and response.headers["Retry-After"] == "1"
    image = httpx.get(sandbox.root_url + "/uploads/products/VIB-10000-1.svg")
    assert image.status_code == 200  # faults never touch /uploads


def test_fault_500_sometimes_after_storing(make_sandbox) -> None:
    sandbox = make_sandbox(fault_500=1.0, fault_seed=7, rate_limits_enabled=False)
    days = [date(2030, 6, d) for d in range(1, 21)]
    with httpx.Client(base_url=sandbox.base_url, headers=STD) as client:
        for day in days:
            row = {"internal_id": "ps_fault500", "date": day.isoformat(), "quantity": 1}
            response = client.post("/sales", json={"sales": [row]})
            assert response.status_code == 500
            assert response.json()["success"] is False
    stored = [day for day in days if ("ps_fault500", day) in sandbox.store.sales]
    assert 0 < len(stored) < len(days)


def test_fault_slow(make_sandbox) -> None:
    sandbox = make_sandbox(fault_slow=1.0, slow_seconds=0.3, fault_seed=1)
    started = time.monotonic()
    response = httpx.get(sandbox.base_url + "/products", params={"limit": 1}, headers=STD)
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.3


def test_fault_drop_stores_then_drops(make_sandbox) -> None:
    sandbox = make_sandbox(fault_drop=1.0, fault_seed=1)
    row = {"internal_id": "ps_dropped", "date": "2030-07-01", "quantity": 4}
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.post(sandbox.base_url + "/sales", json={"sales": [row]}, headers=STD)
    assert sandbox.store.sales[("ps_dropped", date(2030, 7, 1))] == (4, None)
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(sandbox.base_url + "/products", headers=STD)


def test_fault_unreadable_stores_then_answers_200_with_each_unreadable_body(make_sandbox) -> None:
    sandbox = make_sandbox(fault_unreadable=1.0, rate_limits_enabled=False)
    assert UNREADABLE_BODIES == ("not-json", "truncated", "no-fields", "bad-encoding")
    answers = []
    with httpx.Client(base_url=sandbox.base_url, headers=STD) as client:
        for n in (1, 2, 3):
            row = {"internal_id": "ps_unreadable", "date": f"2030-08-0{n}", "quantity": n}
            response = client.post("/sales", json={"sales": [row]})
            assert response.status_code == 200
            answers.append(response)
        row = {"internal_id": "ps_unreadable", "date": "2030-08-04", "quantity": 4}
        with pytest.raises(httpx.DecodingError):  # claims gzip, is not
            client.post("/sales", json={"sales": [row]})
    not_json, truncated, no_fields = answers
    assert not_json.headers["content-type"] == "text/html"
    for unreadable in (not_json, truncated):
        with pytest.raises(ValueError):
            unreadable.json()
    assert truncated.text.startswith('{"success":true')
    assert no_fields.json() == {"success": True}  # no "processed"
    stored = [sandbox.store.sales.get(("ps_unreadable", date(2030, 8, n))) for n in (1, 2, 3, 4)]
    assert stored == [(1, None), (2, None), (3, None), (4, None)]


def test_fault_unreadable_is_a_cli_flag() -> None:
    parse = build_parser().parse_args
    assert config_from(parse(["--fault-unreadable", "0.25"])).fault_unreadable == 0.25
    assert config_from(parse([])).fault_unreadable == 0.0
