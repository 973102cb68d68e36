"""Deciding about batches of unknown outcome over HTTP: marked stored or sent again, once, each
decision in the audit log; cancelling the batches not sent yet."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from lib.db import BatchRecord, LedgerDay
from lib.pleasurestock import PleasureStockClient
from lib.sales.resolution import BatchStateError, cancel_pending, mark_batch_stored, resend_batch
from lib.sales.sending import SendProgress, send_upload
from lib.sales.upload import sales_page_state, start_upload

from .conftest import TODAY
from .uploads import (
    MAPPING,
    MakeClient,
    MakeSandbox,
    SalesAnswerLost,
    SessionFactory,
    audit_of,
    batches_of,
    day_totals,
    ledger_of,
    unseeded,
    upload_info,
)

DAY = TODAY - timedelta(days=1)


def sent_with_unknown_outcome(
    session_factory: SessionFactory, client: PleasureStockClient, totals: pd.DataFrame
) -> BatchRecord:
    """An upload of ``totals`` (one batch) sent through ``client``, whose answer got lost."""
    started = start_upload(session_factory, totals, upload_info(), mapping=MAPPING, max_age_days=30)
    assert started.upload_id is not None
    assert send_upload(client, session_factory, started.upload_id).unknown == 1
    [batch] = batches_of(session_factory, started.upload_id)
    return batch


def test_a_batch_that_arrived_is_marked_stored_once_and_the_ledger_counts_it(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox(fault_drop=1.0)  # every answer is lost after the sales are stored
    client = make_client(sandbox.base_url)
    [(ps_id, _)] = unseeded(sandbox, 1)
    batch = sent_with_unknown_outcome(session_factory, client, day_totals([(ps_id, DAY, 3, 5)]))
    assert sandbox.store.sales[(ps_id, DAY)] == (3, 5)  # what the person finds on checking
    assert ledger_of(session_factory, ps_id) == []

    mark_batch_stored(session_factory, batch.id, by="Ayşe")

    [after] = batches_of(session_factory, batch.upload_id)
    assert after.state == "accepted"
    assert (after.resolution or "").startswith("Marked as stored by Ayşe on ")
    assert ledger_of(session_factory, ps_id) == [LedgerDay(DAY, 3, 5)]
    assert sales_page_state(session_factory).open_upload is None
    [entry] = audit_of(session_factory, "sales.batch.mark_stored")
    assert (entry.actor, entry.entity_type, entry.entity_id) == (
        "Ayşe",
        "sales_upload_batch",
        str(batch.id),
    )
    # A second decision about it (from another tab) is refused and changes nothing.
    with pytest.raises(BatchStateError, match="no longer of unknown outcome"):
        mark_batch_stored(session_factory, batch.id, by="Mehmet")
    with pytest.raises(BatchStateError, match="no longer of unknown outcome"):
        resend_batch(client, session_factory, batch.id, by="Mehmet")
    assert [e.actor for e in audit_of(session_factory, "sales.batch.mark_stored")] == ["Ayşe"]
    assert audit_of(session_factory, "sales.batch.resend") == []
    assert ledger_of(session_factory, ps_id) == [LedgerDay(DAY, 3, 5)]
    assert sandbox.store.sales[(ps_id, DAY)] == (3, 5)


def test_a_batch_that_did_not_arrive_is_sent_again_once(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    client = make_client(sandbox.base_url)
    losing = make_client(sandbox.base_url, transport=SalesAnswerLost())
    [(a, _), (b, _)] = unseeded(sandbox, 2)
    batch = sent_with_unknown_outcome(
        session_factory, losing, day_totals([(a, DAY, 3, 5), (b, DAY, 1, None)])
    )
    assert (a, DAY) not in sandbox.store.sales  # what the person finds on checking
    seen: list[SendProgress] = []

    report = resend_batch(client, session_factory, batch.id, by="Mehmet", on_progress=seen.append)

    assert (report.accepted, report.unknown, report.error) == (1, 0, None)
    assert not report.upload.is_open
    assert [(p.batches_done, p.rows_sent) for p in seen] == [(1, 2)]
    assert (sandbox.store.sales[(a, DAY)], sandbox.store.sales[(b, DAY)]) == ((3, 5), (1, None))
    [after] = batches_of(session_factory, batch.upload_id)
    assert after.state == "accepted"
    assert (after.resolution or "").startswith("Sent again by Mehmet on ")
    assert "ReadTimeout" in (after.resolution or "")  # what happened the first time
    assert ledger_of(session_factory, a) == [LedgerDay(DAY, 3, 5)]
    [entry] = audit_of(session_factory, "sales.batch.resend")
    assert (entry.actor, entry.entity_id) == ("Mehmet", str(batch.id))
    # Accepted now: asking again sends nothing a second time.
    with pytest.raises(BatchStateError):
        resend_batch(client, session_factory, batch.id, by="Mehmet")
    assert sandbox.store.sales[(a, DAY)] == (3, 5)
    assert len(audit_of(session_factory, "sales.batch.resend")) == 1


def test_cancelling_gives_up_the_batches_not_sent_and_the_unknown_one_still_waits(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    losing = make_client(sandbox.base_url, transport=SalesAnswerLost())
    products = unseeded(sandbox, 501)
    totals = day_totals([(ps_id, day, 1, None) for ps_id, _ in products for day in (DAY, TODAY)])
    started = start_upload(session_factory, totals, upload_info(), mapping=MAPPING, max_age_days=30)
    assert started.upload_id is not None and started.batches == 2

    class BrowserClosed(Exception):
        pass

    def close_after_one(progress: SendProgress) -> None:
        raise BrowserClosed

    with pytest.raises(BrowserClosed):
        send_upload(losing, session_factory, started.upload_id, on_progress=close_after_one)
    assert [b.state for b in batches_of(session_factory, started.upload_id)] == [
        "unknown",
        "pending",
    ]

    assert cancel_pending(session_factory, started.upload_id, by="Ayşe") == 1

    batches = batches_of(session_factory, started.upload_id)
    assert [b.state for b in batches] == ["unknown", "cancelled"]
    assert (batches[1].resolution or "").startswith("Cancelled by Ayşe on ")
    state = sales_page_state(session_factory)
    assert state.open_upload is not None  # the unknown batch still needs a decision
    assert [b.id for b in state.unknown_batches] == [batches[0].id]
    [entry] = audit_of(session_factory, "sales.upload.cancel")
    assert (entry.actor, entry.entity_id, entry.after) == (
        "Ayşe",
        str(started.upload_id),
        {"batches": 1},
    )
    mark_batch_stored(session_factory, batches[0].id, by="Ayşe")
    assert sales_page_state(session_factory).open_upload is None
