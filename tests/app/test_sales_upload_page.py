"""The Sales upload page, run with AppTest: upload, fix the mapping, send, resume, resolve.

Each test has its own sandbox standing in for the live API (``live_env``), so the sales
sent here never reach the process-wide demo sandbox other pages' tests read.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button

from lib.db import NewUpload, UnitOfWork, open_database
from lib.sales.mapping import ColumnMapping
from lib.sales.upload import start_upload
from lib.sandbox.config import PRODUCT_COUNT
from lib.sandbox.store import SandboxStore
from tests.app.conftest import LIVE_KEY, page_text
from tests.support.hostile import as_shown
from tests.support.xlsx import rows_xml, sheet_xml, workbook_bytes

PAGE = "pages/sales-upload.py"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sales"


@pytest.fixture
def own_sandbox(live_env: Callable[[str], None]) -> None:
    """Live mode against this test's own sandbox (same seeded catalog as the demo)."""
    live_env(LIVE_KEY)


def demo_products(count: int) -> list[tuple[str, str]]:
    """(ps id, SKU) of products in the sandboxes' catalog (seed 42)."""
    products = SandboxStore(seed=42, today=date.today()).products[:count]
    return [(p.internal_id, p.sku) for p in products]


def pos_export(products: list[tuple[str, str]]) -> bytes:
    """A Turkish point-of-sale export: Windows-1254, semicolons, decimal commas, a column
    ("Çıkış", outflow) no guess recognises as the quantity, and one unknown product."""
    lines = ["Ürün Kodu;Tarih;Çıkış;Stok;Depo"]
    for n, (_, sku) in enumerate(products):
        for back in (1, 2, 3):
            day = (date.today() - timedelta(days=back)).strftime("%d.%m.%Y")
            lines.append(f"{sku};{day};{n + back};{10 * n};Kadıköy")
            lines.append(f"{sku};{day};1,0;5;Beşiktaş")
    lines.append(f"NOPE-1;{(date.today() - timedelta(days=1)):%d.%m.%Y};3;;Kadıköy")
    return ("\r\n".join(lines) + "\r\n").encode("cp1254")


def open_page(app: AppTest) -> AppTest:
    """The app (Overview fetches the catalog on first run), then the Sales upload page."""
    app.run()
    app.switch_page(PAGE).run()
    return app


def metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def button(app: AppTest, starts_with: str) -> Button:
    return next(b for b in app.button if b.label.startswith(starts_with))


def session_factory() -> sessionmaker[Session]:
    """The app's database, as configured for this test."""
    return open_database(os.environ["STOCKDESK_DATABASE_URL"]).session_factory


def test_upload_fix_the_mapping_send_and_upload_again(own_sandbox: None, app: AppTest) -> None:
    open_page(app)
    assert not app.exception
    assert app.title[0].value == "Sales upload"
    app.file_uploader[0].set_value(("satis.csv", pos_export(demo_products(5)), "text/csv")).run()

    assert "Choose the column that holds the quantity sold." in page_text(app)
    assert "semicolon-separated, Windows-1254, 31 rows" in page_text(app)
    quantity = next(s for s in app.selectbox if s.label == "Quantity sold")
    quantity.set_value("Çıkış").run()

    assert not app.exception
    shown = metrics(app)
    assert (shown["Rows in file"], shown["Good rows"], shown["Bad rows"]) == ("31", "30", "1")
    assert shown["Product-days (warehouses summed)"] == "15"
    assert shown["To send"] == "15"
    errors = app.dataframe[0].value
    assert errors["Line"].tolist() == [32]
    assert errors["Value"].tolist() == ["NOPE-1"]

    button(app, "Send 15 rows in 1 batch").click().run()
    assert not app.exception
    assert "15 of 15 rows are stored" in app.success[0].value
    history = app.dataframe[-2].value
    assert history[["Uploaded by", "File", "Rows sent", "Status"]].to_dict("records") == [
        {"Uploaded by": "local user", "File": "satis.csv", "Rows sent": 15, "Status": "sent"}
    ]
    # The same file again: everything already sent, nothing to send, and the page says so.
    shown = metrics(app)
    assert (shown["To send"], shown["Already sent, unchanged"]) == ("0", "15")
    assert "Nothing new to send" in page_text(app)
    assert "This file was uploaded before" in page_text(app)
    assert button(app, "Send 0 rows").disabled
    with UnitOfWork(session_factory()) as uow:
        remembered = uow.sales_preferences.load()
    assert remembered is not None and remembered.columns["quantity"] == "Çıkış"


def test_an_unreadable_file_says_what_to_do(own_sandbox: None, app: AppTest) -> None:
    open_page(app)
    app.file_uploader[0].set_value(("satis.csv", b"only one column\nvalue\n", "text/csv")).run()
    assert not app.exception
    assert "cannot be read" in app.error[0].value
    assert "comma, semicolon or tab" in as_shown(app.error[0].value)


FAR_CELL = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("far.xlsx", workbook_bytes(sheet_xml(rows_xml([["SKU", "Date", "Qty"]]) + FAR_CELL,
                                              dimension="A1:XFD1048576")),
         "value in column 16,384"),
        ("only-header.csv", b"SKU;Date;Qty\r\n", "no rows under it"),
    ],
    ids=["far-cell-workbook", "header-only-csv"],
)  # fmt: skip
def test_a_hostile_or_empty_file_is_refused_on_the_page(
    own_sandbox: None, app: AppTest, name: str, data: bytes, message: str
) -> None:
    open_page(app)
    app.file_uploader[0].set_value((name, data, "application/octet-stream")).run()
    assert not app.exception
    assert message in as_shown(app.error[0].value)
    assert "Every row passed the check" not in page_text(app)


def start_pending_upload(count: int) -> int:
    """An upload of ``count`` products' sales stored as pending batches, as if the browser
    had been closed before sending began."""
    products = demo_products(count)
    day = pd.Timestamp(date.today() - timedelta(days=1))
    totals = pd.DataFrame(
        {
            "ps_id": [ps_id for ps_id, _ in products],
            "date": pd.Series([day] * count, dtype="datetime64[s]"),
            "quantity": [3] * count,
            "stock": pd.array([7] * count, dtype="Int64"),
            "rows": [1] * count,
        }
    )
    upload = NewUpload(
        uploaded_by="Mehmet", file_name="dün.csv", file_sha256="ef" * 32, rows_in_file=count,
        good_rows=count, bad_rows=0,
    )  # fmt: skip
    started = start_upload(
        session_factory(),
        totals,
        upload,
        mapping=ColumnMapping("SKU", "Date", "Qty"),
        max_age_days=30,
    )
    assert started.upload_id is not None
    return started.upload_id


def test_an_interrupted_upload_is_resumed(own_sandbox: None, app: AppTest) -> None:
    open_page(app)
    start_pending_upload(3)
    app.run()
    assert "Sending was interrupted: 1 batch(es) are not sent yet." in page_text(app)
    button(app, "Resume sending").click().run()
    assert not app.exception
    assert "3 of 3 rows are stored" in app.success[0].value
    assert "Upload in progress" not in page_text(app)


def test_a_batch_of_unknown_outcome_is_marked_as_stored(own_sandbox: None, app: AppTest) -> None:
    open_page(app)
    upload_id = start_pending_upload(2)
    with UnitOfWork(session_factory()) as uow:
        batch = uow.sales_batches.claim_next(upload_id, at=datetime.now(UTC))
        assert batch is not None
        uow.sales_batches.move(batch.id, ("sending",), "unknown", at=datetime.now(UTC))
        uow.commit()
    app.run()
    assert "unknown outcome" in app.error[0].value
    assert "mark the batch as stored" in app.error[0].value

    button(app, "It was stored").click().run()
    assert not app.exception
    assert "Upload in progress" not in page_text(app)
    with UnitOfWork(session_factory()) as uow:
        history = uow.sales_ledger.daily_history(batch.rows[0]["internal_id"])
        assert uow.sales_uploads.open_upload() is None
    assert [(h.quantity, h.stock_on_hand) for h in history] == [(3, 7)]


def test_ambiguous_dates_wait_for_the_user_to_say_how_to_read_them(
    own_sandbox: None, app: AppTest
) -> None:
    open_page(app)
    data = (FIXTURES / "ambiguous_dates.csv").read_bytes()
    app.file_uploader[0].set_value(("ambiguous_dates.csv", data, "text/csv")).run()
    assert "Choose how to read the dates and numbers above." in page_text(app)
    assert not app.metric
    [order] = [r for r in app.radio if as_shown(r.label).startswith("Dates like 03/04/2025")]
    order.set_value("month_first").run()
    assert not app.exception
    assert metrics(app)["Rows in file"] == "2"


def test_on_a_fresh_install_the_catalog_is_fetched_without_a_click(
    demo_env: None, app: AppTest
) -> None:
    app.query_params["role"] = "staff"  # staff land on Sales upload: no other page fetched it
    app.run()
    assert not app.exception
    assert app.title[0].value == "Sales upload"
    assert "fetching it now" in page_text(app)
    assert not [b for b in app.button if b.label == "Fetch the catalog now"]
    assert app.file_uploader  # the user can go straight on with a file
    with UnitOfWork(session_factory()) as uow:
        assert uow.catalog.snapshot_info().product_count == PRODUCT_COUNT


def test_when_the_catalog_cannot_be_fetched_the_page_says_so_and_offers_to_try_again(
    live_env: Callable[[str], None], app: AppTest
) -> None:
    live_env("pk_live_RefusedKey0000")  # PleasureStock refuses it: every fetch fails
    open_page(app)
    assert not app.exception
    assert "fetching it now" in page_text(app)
    assert app.error  # why the fetch failed
    assert "There is no catalog snapshot yet" in app.warning[-1].value
    assert button(app, "Fetch the catalog now")
    assert not app.file_uploader
    app.run()  # the next rerun does not try again at once (10 minutes)
    assert "fetching it now" not in page_text(app)
    assert button(app, "Fetch the catalog now")


def test_pull_from_stock2shop_now_sends_the_linked_channel_sales_and_says_what_it_did(
    demo_env: None, app: AppTest
) -> None:
    app.run()
    app.switch_page("pages/sales-upload.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert "No pull has run yet." in [c.value for c in app.caption]

    next(b for b in app.button if b.label == "Pull from Stock2Shop now").click().run()

    assert not app.exception, [e.value for e in app.exception]
    [last] = [i.value for i in app.info if "Last pull" in i.value]
    # Demo mode proposes links but nobody confirmed one: every SKU is named, none sent.
    assert "No new sales to send" in last and "no confirmed product link" in last
