"""Starting an upload on every backend: stored at once with its plan, the mapping and an audit
row; refused, storing nothing, when its inputs are wrong or another upload is open."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from lib.db import NewUpload, UploadAlreadyOpenError
from lib.sales.history import recent_uploads
from lib.sales.mapping import ColumnMapping
from lib.sales.sending import SendProgress
from lib.sales.upload import (
    UploadInputError,
    preview_upload,
    sales_page_state,
    start_upload,
    upload_and_send,
)

from .conftest import TODAY
from .uploads import (
    MAPPING,
    MakeClient,
    MakeSandbox,
    SessionFactory,
    audit_of,
    batches_of,
    day_totals,
    shop_file,
    totals_through_the_pipeline,
    unseeded,
    upload_info,
)

DAY = TODAY - timedelta(days=1)


def test_an_upload_is_stored_with_its_batches_the_mapping_and_an_audit_row(
    session_factory: SessionFactory, make_sandbox: MakeSandbox
) -> None:
    sandbox = make_sandbox()
    totals = totals_through_the_pipeline(shop_file(unseeded(sandbox, 2), days=3), sandbox)
    assert len(totals) == 6  # 2 products x 3 days, the two warehouses summed
    assert preview_upload(session_factory, totals, "cd" * 32).earlier == []

    started = start_upload(
        session_factory, totals, upload_info(by="Ayşe"), mapping=MAPPING, max_age_days=90
    )

    assert started.upload_id is not None and started.batches == 1
    state = sales_page_state(session_factory)
    assert state.open_upload is not None and state.open_upload.id == started.upload_id
    assert (state.open_upload.product_days, state.open_upload.rows_to_send) == (6, 6)
    assert state.unknown_batches == []
    assert state.preferences is not None
    assert (state.preferences.columns, state.preferences.max_age_days) == (MAPPING.as_dict(), 90)
    assert state.preferences.saved_by == "Ayşe"
    [batch] = batches_of(session_factory, started.upload_id)
    assert (batch.state, batch.row_count) == ("pending", 6)
    [entry] = audit_of(session_factory, "sales.upload")
    assert (entry.actor, entry.entity_type, entry.entity_id) == (
        "Ayşe",
        "sales_upload",
        str(started.upload_id),
    )
    assert entry.after == {"file": "satis.csv", "rows": 6, "batches": 1}
    # The same file again shows who uploaded it; nothing was sent yet, so all is still new.
    preview = preview_upload(session_factory, totals, "cd" * 32)
    assert [u.id for u in preview.earlier] == [started.upload_id]
    assert len(preview.plan.to_send) == 6


@pytest.mark.parametrize(
    ("uploaded_by", "max_age_days", "repeats", "message"),
    [
        ("  ", 90, False, "Say who uploads the sales"),
        ("Ayşe", 0, False, "must be 1 to 3,650 days back, not 0"),
        ("Ayşe", 3651, False, "must be 1 to 3,650 days back, not 3,651"),
        ("Ayşe", 90, True, "1 product-day(s) appear more than once"),
    ],
    ids=["nobody", "no-days", "over-ten-years", "repeated-product-day"],
)
def test_an_upload_that_cannot_start_says_why_and_nothing_is_stored_or_sent(
    session_factory: SessionFactory,
    make_sandbox: MakeSandbox,
    make_client: MakeClient,
    uploaded_by: str,
    max_age_days: int,
    repeats: bool,
    message: str,
) -> None:
    sandbox = make_sandbox()
    client = make_client(sandbox.base_url)
    [(ps_id, _)] = unseeded(sandbox, 1)
    totals = day_totals([(ps_id, DAY, 3, 5)] * (2 if repeats else 1))

    with pytest.raises(UploadInputError, match=re.escape(message)):
        upload_and_send(
            client,
            session_factory,
            totals,
            upload_info(by=uploaded_by),
            mapping=MAPPING,
            max_age_days=max_age_days,
        )

    state = sales_page_state(session_factory)
    assert (state.open_upload, state.preferences) == (None, None)
    assert recent_uploads(session_factory) == []
    assert audit_of(session_factory, "sales.upload") == []
    assert (ps_id, DAY) not in sandbox.store.sales


def test_while_an_upload_is_open_another_is_refused_and_the_open_one_is_kept(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    client = make_client(sandbox.base_url)
    [(first_id, _), (second_id, _)] = unseeded(sandbox, 2)
    first = start_upload(
        session_factory,
        day_totals([(first_id, DAY, 3, 5)]),
        upload_info("first.csv", by="Ayşe"),
        mapping=MAPPING,
        max_age_days=90,
    )

    with pytest.raises(UploadAlreadyOpenError, match="finish or resolve it first"):
        upload_and_send(
            client,
            session_factory,
            day_totals([(second_id, DAY, 2, None)]),
            upload_info("second.csv", by="Mehmet"),
            mapping=ColumnMapping("SKU", "Date", "Qty"),
            max_age_days=30,
        )

    assert [u.file_name for u in recent_uploads(session_factory)] == ["first.csv"]
    state = sales_page_state(session_factory)
    assert state.open_upload is not None and state.open_upload.id == first.upload_id
    assert state.preferences is not None and state.preferences.saved_by == "Ayşe"
    assert [e.actor for e in audit_of(session_factory, "sales.upload")] == ["Ayşe"]
    assert (second_id, DAY) not in sandbox.store.sales


def test_upload_and_send_sends_what_is_new_and_nothing_when_nothing_is(
    session_factory: SessionFactory, make_sandbox: MakeSandbox, make_client: MakeClient
) -> None:
    sandbox = make_sandbox()
    client = make_client(sandbox.base_url)
    [(a, _), (b, _)] = unseeded(sandbox, 2)
    totals = day_totals([(a, DAY, 3, 5), (b, DAY, 2, None)])
    upload = NewUpload("Ayşe", "satis.csv", "ef" * 32, rows_in_file=2, good_rows=2, bad_rows=0)
    seen: list[SendProgress] = []

    report = upload_and_send(
        client,
        session_factory,
        totals,
        upload,
        mapping=MAPPING,
        max_age_days=90,
        on_progress=seen.append,
    )

    assert report is not None
    assert (report.accepted, report.refused, report.unknown, report.error) == (1, 0, 0, None)
    assert not report.upload.is_open and report.upload.batches.rows_accepted == 2
    assert [(p.batches_done, p.rows_sent) for p in seen] == [(1, 2)]
    assert (sandbox.store.sales[(a, DAY)], sandbox.store.sales[(b, DAY)]) == ((3, 5), (2, None))

    again = upload_and_send(
        client, session_factory, totals, upload, mapping=MAPPING, max_age_days=90
    )
    assert again is None
    assert len(recent_uploads(session_factory)) == 1
    assert sandbox.store.sales[(a, DAY)] == (3, 5)
