"""Supplier inventory: "since" windows computed on the server's clock (its Date header),
however far it is from ours; a row that drops to zero disappears (unknown, not 0)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from lib.psrestful import PsRestfulClient, since_window
from lib.sandbox.psrestful import RunningPsRestfulSandbox

from .conftest import TODAY

MakeClient = Callable[..., PsRestfulClient]
MakeSandbox = Callable[..., RunningPsRestfulSandbox]


@pytest.mark.parametrize(
    ("elapsed", "window"),
    [
        (timedelta(seconds=1), "1m"),
        (timedelta(minutes=30), "30m"),
        (timedelta(minutes=61), "2h"),
        (timedelta(hours=30), "30h"),
        (timedelta(hours=49), "3d"),
    ],
)
def test_a_since_window_is_never_shorter_than_the_time_elapsed(
    elapsed: timedelta, window: str
) -> None:
    assert since_window(elapsed) == window


def test_changes_since_a_reading_are_found_on_the_servers_clock(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    running = make_sandbox()
    client = make_client(running.base_url)
    first = client.inventory("Gemline")
    # The server's clock, not ours (which is a year or more away from the sandbox's).
    assert first.server_time.date() == TODAY
    running.store.clock.advance(3 * 86400 + 5)
    changed = [r for r in running.store.inventory_rows("Gemline")[:2]]
    for row in changed:
        running.store.set_quantity("Gemline", row["partId"], row["warehouseId"], 7)
    later = client.inventory("Gemline", changed_since=first.server_time)
    # A 3-day window (plus the margin) on the server's clock: seeded rows are older.
    stale = [
        r
        for r in running.store.inventory_rows("Gemline")
        if r["lastModified"] >= running.store.clock.now() - timedelta(days=4)
    ]
    assert {(r.part_id, r.warehouse_id) for r in later.rows} == {
        (r["partId"], r["warehouseId"]) for r in stale
    }
    assert {(r["partId"], r["warehouseId"]) for r in changed} <= {
        (r.part_id, r.warehouse_id) for r in later.rows
    }
    assert later.server_time - first.server_time >= timedelta(days=3)


def test_a_row_that_reaches_zero_is_gone_not_zero(
    make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    running = make_sandbox()
    client = make_client(running.base_url)
    row = running.store.inventory_rows("PCNA")[0]
    running.store.set_quantity("PCNA", row["partId"], row["warehouseId"], 0)
    rows = client.inventory("PCNA").rows
    assert (row["partId"], row["warehouseId"]) not in {(r.part_id, r.warehouse_id) for r in rows}
    assert all(r.quantity_available for r in rows)
