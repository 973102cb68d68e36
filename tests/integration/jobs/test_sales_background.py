"""Sales sending started as a job: upload and send, send again after an unknown outcome."""

from __future__ import annotations

import pytest

from lib.db import UnitOfWork
from lib.jobs.runs import Runtime, bind_runtime, utc_now
from lib.sales.background import (
    resend_in_background,
    sending_job,
    start_sending,
    upload_and_start_sending,
    uploads_being_sent,
)
from lib.sales.resolution import BatchStateError
from lib.sales.upload import start_upload
from tests.integration.sales.uploads import (
    MAPPING,
    MakeClient,
    MakeSandbox,
    SessionFactory,
    batches_of,
    shop_file,
    stored,
    totals_through_the_pipeline,
    unseeded,
    upload_info,
)


@pytest.mark.usefixtures("immediate")
def test_an_upload_is_stored_and_sent_by_its_job_and_the_same_file_again_sends_nothing(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    bind_runtime(Runtime(session_factory=session_factory, client=make_client(sandbox.base_url)))
    totals = totals_through_the_pipeline(shop_file(unseeded(sandbox, 20), days=10), sandbox)

    job = upload_and_start_sending(
        session_factory, totals, upload_info(by="ayse"), mapping=MAPPING, max_age_days=365
    )

    assert job is not None and job.created_by == "ayse"
    finished = sending_job(session_factory, int(job.subject))
    assert finished is not None and finished.state == "done"
    assert finished.message == "200 of 200 rows are stored."
    assert uploads_being_sent(session_factory) == set()
    again = upload_and_start_sending(
        session_factory, totals, upload_info(), mapping=MAPPING, max_age_days=365
    )
    assert again is None


@pytest.mark.usefixtures("queued")
def test_while_a_send_job_is_pending_the_upload_counts_as_being_sent(
    session_factory: SessionFactory, make_sandbox: MakeSandbox
) -> None:
    sandbox = make_sandbox()
    totals = totals_through_the_pipeline(shop_file(unseeded(sandbox, 5), days=3), sandbox)
    job = upload_and_start_sending(
        session_factory, totals, upload_info(), mapping=MAPPING, max_age_days=365
    )
    assert job is not None
    assert start_sending(session_factory, int(job.subject), by="other tab").id == job.id
    assert uploads_being_sent(session_factory) == {int(job.subject)}


@pytest.mark.usefixtures("immediate")
def test_a_batch_a_person_found_missing_is_sent_again_by_a_job_once(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    bind_runtime(Runtime(session_factory=session_factory, client=make_client(sandbox.base_url)))
    totals = totals_through_the_pipeline(shop_file(unseeded(sandbox, 5), days=3), sandbox)
    upload_id = start_upload(
        session_factory, totals, upload_info(), mapping=MAPPING, max_age_days=365
    ).upload_id
    assert upload_id is not None
    with UnitOfWork(session_factory) as uow:
        batch = uow.sales_batches.claim_next(upload_id, at=utc_now())
        assert batch is not None
        uow.sales_batches.move(batch.id, ("sending",), "unknown", at=utc_now(), error="lost")
        uow.commit()

    job = resend_in_background(session_factory, batch.id, by="mehmet")

    assert sending_job(session_factory, upload_id).state == "done"  # type: ignore[union-attr]
    assert job.created_by == "mehmet"
    (sent,) = batches_of(session_factory, upload_id)
    assert sent.state == "accepted" and stored(sandbox, sent.rows[0]) is not None
    with pytest.raises(BatchStateError):
        resend_in_background(session_factory, batch.id, by="mehmet")
