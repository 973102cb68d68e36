"""Sales upload widgets for a new file: who uploads, reading, column mapping, conventions
and the Send button (the check's and the plan's reports are in ``lib.ui.sales_reports``)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from lib.catalog.snapshot import AUTO_SYNC_RETRY, CatalogStatus, catalog_products, catalog_status
from lib.db import NewUpload, SalesPreferences, UploadAlreadyOpenError, UploadRecord
from lib.sales.background import upload_and_start_sending
from lib.sales.formats import (
    DATE_ORDER_LABELS,
    DECIMAL_MARK_LABELS,
    DateOrder,
    DecimalMark,
    guess_date_order,
    guess_decimal_mark,
)
from lib.sales.ledger import DeltaPlan, sum_warehouses
from lib.sales.mapping import REQUIRED_ROLES, ROLE_LABELS, ROLES, ColumnMapping, initial_mapping
from lib.sales.products import ProductIndex
from lib.sales.reading import SalesFile, SalesFileError, read_sales_file
from lib.sales.upload import BATCH_ROWS, preview_upload
from lib.sales.validation import (
    DEFAULT_MAX_AGE_DAYS,
    MAX_AGE_DAYS_LIMIT,
    SalesRules,
    shop_today,
    validate_sales,
)
from lib.ui.catalog_sync import follow_catalog_sync
from lib.ui.resources import AppContext
from lib.ui.sales_reports import plan_report, validation_report
from lib.ui.sales_sending import watch_send
from lib.ui.widgets import markdown_text

T = TypeVar("T")
_NOT_IN_FILE = "— not in the file —"
FETCH_CLICKED = "sales_fetch_catalog_clicked"  # "Fetch the catalog now", for the next run


def session_memo(name: str, inputs: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per distinct ``inputs`` in this session (only the last one kept),
    so a rerun for another widget does not read or check a big file again."""
    memo = st.session_state.get(name)
    if memo is None or memo[0] != inputs:
        memo = (inputs, compute())
        st.session_state[name] = memo
    return memo[1]


def catalog_index(ctx: AppContext, fetched_at: object) -> ProductIndex:
    """The catalog snapshot as a code → ps id index, rebuilt when a new snapshot is stored."""
    return session_memo(
        "sales_catalog_index",
        fetched_at,
        lambda: ProductIndex.from_products(catalog_products(ctx.session_factory)),
    )


def upload_catalog(ctx: AppContext, uploaded_by: str) -> CatalogStatus | None:
    """The catalog files are checked against, fetched first (with progress) when missing or
    stale, by the Catalog page's rule; None, after saying why, while there is none."""
    max_age_hours = ctx.settings.catalog_max_age_hours
    status = catalog_status(ctx.session_factory)
    auto_sync = status.needs_auto_sync(timedelta(hours=max_age_hours), now=datetime.now(UTC))
    if auto_sync:
        st.info(
            f"The catalog snapshot is missing or older than {max_age_hours:g} hours; fetching "
            "it now. StockDesk needs it to turn your SKUs into PleasureStock ids.",
            icon=":material/download:",
        )
    clicked = st.session_state.pop(FETCH_CLICKED, False)
    if follow_catalog_sync(ctx, start=auto_sync or clicked, actor=uploaded_by):
        status = catalog_status(ctx.session_factory)
    if status.snapshot.product_count:
        return status
    minutes = AUTO_SYNC_RETRY.total_seconds() / 60
    st.warning(
        "There is no catalog snapshot yet, and StockDesk needs it to turn your SKUs into "
        f"PleasureStock ids. It tries again by itself {minutes:.0f} minutes after a failed "
        "attempt, or fetch it now.",
        icon=":material/inventory_2:",
    )
    if st.button("Fetch the catalog now", icon=":material/sync:"):
        st.session_state[FETCH_CLICKED] = True  # started at the top of the rerun, followed there
        st.rerun()
    return None


def read_upload(uploaded: UploadedFile) -> tuple[SalesFile, str] | None:
    """The uploaded file read as a table, and its SHA-256; None (after saying why) if unreadable."""

    def read() -> tuple[SalesFile | SalesFileError, str]:
        data = uploaded.getvalue()
        digest = hashlib.sha256(data).hexdigest()
        try:
            return read_sales_file(uploaded.name, data), digest
        except SalesFileError as error:
            return error, digest

    with st.spinner(f"Reading {markdown_text(uploaded.name)}…"):
        result, digest = session_memo("sales_read", uploaded.file_id, read)
    if isinstance(result, SalesFileError):
        st.error(
            f"**{markdown_text(uploaded.name)} cannot be read.** {markdown_text(result)}",
            icon=":material/error:",
        )
        return None
    st.caption(
        f"{markdown_text(result.name)}: {result.describe()}, {result.data_rows:,} rows under "
        "the header "
        f"row, {len(result.headers)} columns."
    )
    return result, digest


def mapping_inputs(
    sales_file: SalesFile, file_key: str, remembered: SalesPreferences | None
) -> ColumnMapping:
    """One select box per role, prefilled with the remembered mapping or the guess."""
    start = initial_mapping(sales_file.headers, remembered.columns if remembered else None)
    st.markdown("**Which column holds what?** Check the guess and correct it where needed.")
    chosen: dict[str, str | None] = {}
    for column, role in zip(st.columns(len(ROLES)), ROLES, strict=True):
        required = role in REQUIRED_ROLES
        options = sales_file.headers if required else [_NOT_IN_FILE, *sales_file.headers]
        current = start.column(role)
        index = options.index(current) if current in options else (None if required else 0)
        value = column.selectbox(
            ROLE_LABELS[role],
            options=options,
            index=index,
            placeholder="Choose a column",
            key=f"sales_map_{role}_{file_key}",
        )
        chosen[role] = None if value in (None, _NOT_IN_FILE) else value
    return ColumnMapping(**chosen)


def format_inputs(
    dates: pd.Series, counts: list[pd.Series], file_key: str
) -> tuple[DateOrder | None, DecimalMark | None]:
    """The date order and decimal mark: stated when the file decides, asked when it does not
    (None until the user answers)."""
    date_guess = guess_date_order(dates)
    mark_guess = guess_decimal_mark(counts)
    order: DateOrder | None = date_guess.value
    mark: DecimalMark | None = mark_guess.value
    left, right = st.columns(2)
    if date_guess.ambiguous:
        order = left.radio(
            f"Dates like {markdown_text(date_guess.example)} could be read two ways. "
            "Which one is right?",
            options=list(DATE_ORDER_LABELS),
            format_func=DATE_ORDER_LABELS.__getitem__,
            index=None,
            key=f"sales_date_order_{file_key}",
        )
    else:
        left.caption(f"Slash dates, if any, are read as {DATE_ORDER_LABELS[date_guess.value]}.")
    if mark_guess.ambiguous:
        mark = right.radio(
            f"Numbers like {markdown_text(mark_guess.example)} could be read two ways. "
            "Which one is right?",
            options=list(DECIMAL_MARK_LABELS),
            format_func=DECIMAL_MARK_LABELS.__getitem__,
            index=None,
            key=f"sales_decimal_mark_{file_key}",
        )
    else:
        right.caption(f"Numbers are read with a {DECIMAL_MARK_LABELS[mark_guess.value].lower()}.")
    return order, mark


def max_age_input(remembered: SalesPreferences | None) -> int:
    """The oldest sales date accepted, in days before today (remembered with the mapping)."""
    return int(
        st.number_input(
            "Oldest sales date accepted (days before today)",
            min_value=1,
            max_value=MAX_AGE_DAYS_LIMIT,
            value=remembered.max_age_days if remembered else DEFAULT_MAX_AGE_DAYS,
            step=1,
            help="Rows dated earlier are reported as bad rows; PleasureStock recommends "
            "sending 30–90 days of history.",
        )
    )


def send_button(
    ctx: AppContext,
    *,
    plan: DeltaPlan,
    totals: pd.DataFrame,
    upload: NewUpload,
    mapping: ColumnMapping,
    max_age_days: int,
    blocked_by: UploadRecord | None,
) -> None:
    """The Send button, disabled with the reason when sending is not possible now."""
    rows = len(plan.to_send)
    batches = -(-rows // BATCH_ROWS)
    reason = None
    if blocked_by is not None:
        name = markdown_text(blocked_by.file_name)
        reason = f"Finish upload #{blocked_by.id} ({name}) above first."
    elif not rows:
        reason = "There is nothing to send."
    clicked = st.button(
        f"Send {rows:,} rows in {batches:,} batch(es) to PleasureStock",
        type="primary",
        icon=":material/send:",
        disabled=reason is not None,
    )
    if reason:
        st.caption(reason)
    if not clicked:
        return
    try:
        watch_send(
            upload_and_start_sending(
                ctx.session_factory, totals, upload, mapping=mapping, max_age_days=max_age_days
            )
        )
    except UploadAlreadyOpenError as busy:
        st.error(markdown_text(busy), icon=":material/lock:")


def new_upload_section(
    ctx: AppContext,
    uploaded_by: str,
    *,
    remembered: SalesPreferences | None,
    blocked_by: UploadRecord | None,
    catalog_fetched_at: object,
) -> None:
    """From the chosen file to the Send button; returns early, saying why, when it cannot go on."""
    uploaded = st.file_uploader(
        "Sales file (CSV with comma, semicolon or tab; or Excel .xlsx)",
        type=["csv", "txt", "tsv", "xlsx"],
        key="sales_file",
    )
    if uploaded is None:
        return
    read = read_upload(uploaded)
    if read is None:
        return
    sales_file, digest = read
    mapping = mapping_inputs(sales_file, uploaded.file_id, remembered)
    problems = mapping.problems(sales_file.headers)
    if problems:
        st.info(" ".join(problems), icon=":material/table_view:")
        return
    cells = sales_file.cells
    order, mark = format_inputs(
        cells[mapping.date],
        [cells[c] for c in (mapping.quantity, mapping.stock) if c],
        uploaded.file_id,
    )
    max_age_days = max_age_input(remembered)
    if order is None or mark is None:
        st.info("Choose how to read the dates and numbers above.", icon=":material/help:")
        return
    rules = SalesRules(
        today=shop_today(), max_age_days=max_age_days, date_order=order, decimal_mark=mark
    )
    products = catalog_index(ctx, catalog_fetched_at)
    with st.spinner(f"Checking {sales_file.data_rows:,} rows…"):
        result = session_memo(
            "sales_checked",
            (uploaded.file_id, mapping, rules, catalog_fetched_at),
            lambda: validate_sales(sales_file, mapping, rules, products),
        )
    st.subheader("Check")
    validation_report(result)
    totals = sum_warehouses(result.good)
    preview = preview_upload(ctx.session_factory, totals, digest)
    st.subheader("Send")
    plan_report(preview.plan, preview.earlier)
    send_button(
        ctx,
        plan=preview.plan,
        totals=totals,
        upload=NewUpload(
            uploaded_by=uploaded_by,
            file_name=sales_file.name,
            file_sha256=digest,
            rows_in_file=result.rows_in_file,
            good_rows=result.good_rows,
            bad_rows=result.bad_rows,
        ),
        mapping=mapping,
        max_age_days=max_age_days,
        blocked_by=blocked_by,
    )
