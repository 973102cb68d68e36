"""Sending sales to a sandbox over HTTP: exactly once under faults, resume, unknown outcomes.

Every product used here has no seeded sales in the sandbox, so what the sandbox stores
for it is exactly what StockDesk sent: a batch stored twice would show as double.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from lib.db import LedgerDay, UnitOfWork, UploadAlreadyOpenError
from lib.pleasurestock import AuthenticationError, NetworkError, PleasureStockClient
from lib.pleasurestock.models import SaleRow
from lib.sales.resolution import mark_batch_stored, resend_batch
from lib.sales.sending import CHECK_ADVICE, SendProgress, UploadBusyError, send_upload
from lib.sales.upload import sales_page_state, start_upload, upload_and_send

from .conftest import TODAY
from .uploads import (
    MAPPING,
    MakeClient,
    MakeSandbox,
    SalesAnswerLost,
    SessionFactory,
    batches_of,
    day_totals,
    expected_by_key,
    ledger_of,
    sent_value,
    shop_file,
    stored,
    totals_through_the_pipeline,
    unseeded,
    upload_info,
)


def send_until_nothing_pending(
    client: PleasureStockClient, session_factory: SessionFactory, upload_id: int
) -> int:
    """Run (and resume) the upload until no batch is pending; returns the unknowns reported."""
    unknown = 0
    for _ in range(50):
        report = send_upload(client, session_factory, upload_id)
        unknown += report.unknown
        assert report.error is None
        if not report.upload.batches.pending:
            return unknown
    raise AssertionError("the upload never finished")


def test_under_faults_accepted_batches_are_stored_exactly_once_and_unknowns_reported(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox(fault_429=0.2, fault_500=0.1, fault_drop=0.1, fault_seed=20251110)
    client = make_client(sandbox.base_url)
    products = unseeded(sandbox, 400)
    frame = shop_file(products, days=60)  # 48,000 rows -> 24,000 product-days -> 24 batches
    totals = totals_through_the_pipeline(frame, sandbox)
    expected = expected_by_key(frame, products)
    started = start_upload(
        session_factory, totals, upload_info(), mapping=MAPPING, max_age_days=365
    )
    assert started.batches == 24

    reported_unknown = send_until_nothing_pending(client, session_factory, started.upload_id)

    batches = batches_of(session_factory, started.upload_id)
    states = [b.state for b in batches]
    assert set(states) <= {"accepted", "unknown"}
    assert states.count("unknown") == reported_unknown > 0
    for batch in batches:
        on_server = [stored(sandbox, row) for row in batch.rows]
        sent = [sent_value(row) for row in batch.rows]
        if batch.state == "accepted":
            # Stored once, with the file's warehouse-summed totals.
            assert on_server == sent
            assert all(expected[(r["internal_id"], SaleRow.model_validate(r).date)] == sent_value(r)
                       for r in batch.rows)  # fmt: skip
        else:
            # Either the server stored it once (500 or dropped answer after storing) or not
            # at all; never twice, because an unknown batch is not resent.
            assert on_server in (sent, [None] * len(sent))
            assert CHECK_ADVICE in (batch.error or "")

    # A person checks each unknown batch and marks it stored or sends it again, until none
    # is left (a batch sent again can end unknown again under the faults).
    for _ in range(10):
        left = [b for b in batches_of(session_factory, started.upload_id) if b.state == "unknown"]
        if not left:
            break
        for batch in left:
            if stored(sandbox, batch.rows[0]) is None:
                resend_batch(client, session_factory, batch.id, by="test")
            else:
                mark_batch_stored(session_factory, batch.id, by="test")
        send_until_nothing_pending(client, session_factory, started.upload_id)

    on_server = {key: sandbox.store.sales.get(key) for key in expected}
    assert on_server == expected
    with UnitOfWork(session_factory) as uow:
        assert not uow.sales_uploads.get(started.upload_id).is_open
        window = uow.sales_ledger.sent_between(TODAY - timedelta(days=60), TODAY)
    assert int(window["quantity"].sum()) == sum(q for q, _ in expected.values())


def test_an_interrupted_upload_resumes_and_a_batch_cut_off_mid_request_is_not_resent(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    client = make_client(sandbox.base_url)
    products = unseeded(sandbox, 100)
    frame = shop_file(products, days=50)  # 5,000 product-days -> 5 batches
    expected = expected_by_key(frame, products)
    started = start_upload(
        session_factory,
        totals_through_the_pipeline(frame, sandbox),
        upload_info(),
        mapping=MAPPING,
        max_age_days=365,
    )
    upload_id = started.upload_id
    assert upload_id is not None and started.batches == 5

    class BrowserClosed(Exception):
        pass

    def close_after_two(progress: SendProgress) -> None:
        if progress.batches_done == 2:
            raise BrowserClosed

    with pytest.raises(BrowserClosed):
        send_upload(client, session_factory, upload_id, on_progress=close_after_two)
    assert [b.state for b in batches_of(session_factory, upload_id)] == [
        "accepted", "accepted", "pending", "pending", "pending",
    ]  # fmt: skip

    # A process claims batch 3, sends it and dies before recording the answer.
    with UnitOfWork(session_factory) as uow:
        third = uow.sales_batches.claim_next(upload_id, at=pd.Timestamp.now(tz="UTC"))
        uow.commit()
    assert third is not None and third.seq == 3
    client.submit_sales([SaleRow.model_validate(r) for r in third.rows])

    report = send_upload(client, session_factory, upload_id)
    assert (report.accepted, report.unknown) == (2, 0)
    states = [b.state for b in batches_of(session_factory, upload_id)]
    assert states == ["accepted", "accepted", "unknown", "accepted", "accepted"]
    assert report.upload.is_open  # the unknown batch still needs a decision

    mark_batch_stored(session_factory, third.id, by="test")
    assert {key: sandbox.store.sales.get(key) for key in expected} == expected
    with UnitOfWork(session_factory) as uow:
        assert uow.sales_uploads.open_upload() is None


def test_the_same_file_again_sends_nothing_and_a_later_total_only_the_difference(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    client = make_client(sandbox.base_url)
    products = unseeded(sandbox, 3)
    morning = shop_file(products, days=2)
    first = start_upload(
        session_factory,
        totals_through_the_pipeline(morning, sandbox),
        upload_info(),
        mapping=MAPPING,
        max_age_days=365,
    )
    send_upload(client, session_factory, first.upload_id)  # type: ignore[arg-type]

    again = start_upload(
        session_factory,
        totals_through_the_pipeline(morning, sandbox),
        upload_info(),
        mapping=MAPPING,
        max_age_days=365,
    )
    assert again.upload_id is None
    assert again.plan.count("unchanged") == 6

    evening = morning.copy()
    evening["Adet"] = evening["Adet"] + 2  # two more sold in each warehouse
    evening.loc[[0, 1], "Adet"] = 0  # ...except one product-day that went down: a correction
    later = start_upload(
        session_factory,
        totals_through_the_pipeline(evening, sandbox),
        upload_info("evening.csv"),
        mapping=MAPPING,
        max_age_days=365,
    )
    assert later.plan.count("correction") == 1
    send_upload(client, session_factory, later.upload_id)  # type: ignore[arg-type]

    # Each product-day holds the evening total, sent as morning total + difference; the
    # corrected one keeps its morning total (a negative difference cannot be sent).
    expected = {key: q for key, (q, _) in expected_by_key(evening, products).items()}
    [corrected] = expected_by_key(evening.iloc[[0, 1]], products)
    expected[corrected] = expected_by_key(morning, products)[corrected][0]
    on_server = {key: sandbox.store.sales[key][0] for key in expected}
    assert on_server == expected


def test_a_refused_batch_keeps_the_api_row_errors_and_nothing_of_it_is_stored(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    client = make_client(sandbox.base_url)
    [(ps_id, _)] = unseeded(sandbox, 1)
    day = TODAY - timedelta(days=1)
    totals = day_totals([(ps_id, day, 4, 10), ("abc-not-an-id", day, 2, None)])
    started = start_upload(session_factory, totals, upload_info(), mapping=MAPPING, max_age_days=9)
    report = send_upload(client, session_factory, started.upload_id)  # type: ignore[arg-type]

    assert report.refused == 1
    [batch] = batches_of(session_factory, started.upload_id)  # type: ignore[arg-type]
    assert batch.state == "refused"
    assert batch.row_errors[0]["error"] == "Invalid internal_id format"
    assert batch.row_errors[0]["received"] == "abc-not-an-id"
    assert batch.rows[batch.row_errors[0]["index"]]["internal_id"] == "abc-not-an-id"
    assert stored(sandbox, batch.rows[1]) is None  # all or nothing
    assert not report.upload.is_open
    with UnitOfWork(session_factory) as uow:
        assert uow.sales_ledger.daily_history(ps_id) == []


def test_an_unreachable_server_stops_sending_and_keeps_the_batch_pending(
    session_factory: SessionFactory, make_client: MakeClient
) -> None:
    client = make_client("http://127.0.0.1:9/api/v1", max_attempts=1)
    totals = day_totals([("ps_abc123", TODAY, 1, None)])
    started = start_upload(session_factory, totals, upload_info(), mapping=MAPPING, max_age_days=9)
    report = send_upload(client, session_factory, started.upload_id)  # type: ignore[arg-type]
    assert isinstance(report.error, NetworkError)
    assert "Nothing of that batch was stored" in (report.stopped or "")
    assert [b.state for b in batches_of(session_factory, started.upload_id)] == ["pending"]  # type: ignore[arg-type]

    with pytest.raises(UploadAlreadyOpenError):
        start_upload(session_factory, totals, upload_info(), mapping=MAPPING, max_age_days=9)


def test_the_same_upload_cannot_be_sent_twice_at_once(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    client = make_client(sandbox.base_url)
    products = unseeded(sandbox, 2)
    started = start_upload(
        session_factory,
        totals_through_the_pipeline(shop_file(products, days=1), sandbox),
        upload_info(),
        mapping=MAPPING,
        max_age_days=365,
    )
    upload_id = started.upload_id
    assert upload_id is not None

    def second_tab(progress: SendProgress) -> None:
        send_upload(client, session_factory, upload_id)

    with pytest.raises(UploadBusyError):
        send_upload(client, session_factory, upload_id, on_progress=second_tab)


def test_batches_answered_200_unreadable_end_outcome_unknown_and_resume_never_resends_them(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    # Each POST is stored, then answered 200 with a body that is HTML, cut-off JSON, JSON
    # without "processed", or falsely gzipped: one batch of each.
    sandbox = make_sandbox(fault_unreadable=1.0)
    client = make_client(sandbox.base_url)
    products = unseeded(sandbox, 100)
    frame = shop_file(products, days=40)  # 4,000 product-days -> 4 batches
    expected = expected_by_key(frame, products)
    started = start_upload(
        session_factory,
        totals_through_the_pipeline(frame, sandbox),
        upload_info(),
        mapping=MAPPING,
        max_age_days=365,
    )
    upload_id = started.upload_id
    assert upload_id is not None and started.batches == 4

    first = send_upload(client, session_factory, upload_id)
    assert first.unknown == 3 and "3 batches in a row" in (first.stopped or "")
    resumed = send_upload(client, session_factory, upload_id)  # "Resume sending"
    assert (resumed.accepted, resumed.unknown, resumed.error) == (0, 1, None)
    again = send_upload(client, session_factory, upload_id)  # and once more: nothing to send
    assert (again.accepted, again.refused, again.unknown) == (0, 0, 0)

    batches = batches_of(session_factory, upload_id)
    assert [b.state for b in batches] == ["unknown"] * 4
    assert all(CHECK_ADVICE in (b.error or "") for b in batches)
    assert again.upload.is_open  # a person decides about each one
    # PleasureStock received every sale exactly once: a resent batch would have doubled.
    assert {key: sandbox.store.sales.get(key) for key in expected} == expected


def test_an_upstream_error_keeps_the_batch_pending_with_its_message_and_what_was_sent_before(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    client = make_client(sandbox.base_url)
    [(a, _), (b, _)] = unseeded(sandbox, 2)
    day = TODAY - timedelta(days=1)
    morning = upload_and_send(
        client,
        session_factory,
        day_totals([(a, day, 3, 5)]),
        upload_info("morning.csv"),
        mapping=MAPPING,
        max_age_days=30,
    )
    assert morning is not None and morning.accepted == 1
    evening = start_upload(
        session_factory,
        day_totals([(a, day, 5, 6), (b, day, 2, None)]),
        upload_info("evening.csv"),
        mapping=MAPPING,
        max_age_days=30,
    )
    assert evening.upload_id is not None

    wrong_key = make_client(sandbox.base_url, api_key="pk_test_NotTheSandboxKey99")
    report = send_upload(wrong_key, session_factory, evening.upload_id)

    assert isinstance(report.error, AuthenticationError)
    assert (report.accepted, report.refused, report.unknown) == (0, 0, 0)
    assert "Nothing of that batch was stored" in (report.stopped or "")
    assert report.upload.is_open
    [batch] = batches_of(session_factory, evening.upload_id)
    assert (batch.state, batch.error) == ("pending", str(report.error))
    # What was sent before stays, on the server and in the ledger.
    assert sandbox.store.sales[(a, day)] == (3, 5) and (b, day) not in sandbox.store.sales
    assert ledger_of(session_factory, a) == [LedgerDay(day, 3, 5)]

    # With the right key, resuming sends it: for the product sent before, the difference.
    resumed = send_upload(client, session_factory, evening.upload_id)
    assert (resumed.accepted, resumed.error) == (1, None) and not resumed.upload.is_open
    assert (sandbox.store.sales[(a, day)], sandbox.store.sales[(b, day)]) == ((5, 6), (2, None))


def test_an_unknown_outcome_is_recorded_and_no_later_send_sends_the_batch_again(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    lost = SalesAnswerLost()
    losing = make_client(sandbox.base_url, transport=lost)
    [(ps_id, _)] = unseeded(sandbox, 1)
    day = TODAY - timedelta(days=1)
    started = start_upload(
        session_factory,
        day_totals([(ps_id, day, 3, 5)]),
        upload_info(),
        mapping=MAPPING,
        max_age_days=30,
    )
    assert started.upload_id is not None

    report = send_upload(losing, session_factory, started.upload_id)

    assert (report.accepted, report.unknown, report.error, lost.sales_posts) == (0, 1, None, 1)
    assert report.upload.is_open
    [batch] = batches_of(session_factory, started.upload_id)
    assert batch.state == "unknown"
    assert "ReadTimeout" in (batch.error or "") and CHECK_ADVICE in (batch.error or "")
    assert [b.id for b in sales_page_state(session_factory).unknown_batches] == [batch.id]
    # Neither the same connection nor a healthy one sends it again by itself.
    for sender in (losing, make_client(sandbox.base_url)):
        again = send_upload(sender, session_factory, started.upload_id)
        assert (again.accepted, again.refused, again.unknown) == (0, 0, 0)
    assert lost.sales_posts == 1 and (ps_id, day) not in sandbox.store.sales
    assert [b.state for b in batches_of(session_factory, started.upload_id)] == ["unknown"]
