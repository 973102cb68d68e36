"""Sales upload throughput against a sandbox enforcing the documented rate limits.

The standard class allows 100 requests a minute (10 a second) and a sales request
carries at most 1,000 rows: 100,000 rows a minute is the ceiling. 201 batches are
sent through ``lib.sales.sending`` (each stored before and after its request), which
spans two full minute windows; throughput is measured from the end of batch 1 to the
end of batch 201 (200 batches) and printed as a fraction of the ceiling.
"""

from __future__ import annotations

import logging
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.sandbox_process import sandbox_process
from lib.db import NewUpload, make_engine, make_session_factory, upgrade_to_head
from lib.pleasurestock import DOCUMENTED_LIMITS, PleasureStockClient
from lib.pleasurestock.ratelimit import STANDARD
from lib.sales.mapping import ColumnMapping
from lib.sales.sending import SendProgress, send_upload
from lib.sales.upload import BATCH_ROWS, start_upload
from lib.sandbox.embedded import DEMO_API_KEY
from lib.sandbox.store import SandboxStore

BATCHES = 201


class RetryCounter(logging.Handler):
    """Counts the client's retries (each one a 429 or a failed connection)."""

    def __init__(self) -> None:
        super().__init__()
        self.retries = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("retrying"):
            self.retries += 1


def product_days(rows: int, today: date) -> pd.DataFrame:
    """``rows`` distinct (product, day) totals over the sandbox's catalog, before ``today``."""
    ps_ids = [p.internal_id for p in SandboxStore(seed=42, today=today).products]
    i = np.arange(rows)
    days = pd.Timestamp(today) - pd.to_timedelta(1 + i // len(ps_ids), unit="D")
    return pd.DataFrame(
        {
            "ps_id": pd.Series(np.array(ps_ids, dtype=object)[i % len(ps_ids)], dtype="str"),
            "date": pd.Series(days, dtype="datetime64[s]"),
            "quantity": i % 9,
            "stock": pd.array(i % 40, dtype="Int64"),
            "rows": 1,
        }
    )


def main() -> None:
    """Print rows per minute sent through the rate limiter, as a fraction of the ceiling."""
    today = date.today()
    limit = DOCUMENTED_LIMITS[STANDARD]
    ceiling = limit.per_minute * BATCH_ROWS
    counter = RetryCounter()
    logging.getLogger("stockdesk.pleasurestock").addHandler(counter)
    with tempfile.TemporaryDirectory() as folder, sandbox_process() as base_url:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade_to_head(engine)
        session_factory = make_session_factory(engine)
        upload = NewUpload("bench", "bench.csv", "0" * 64, 0, 0, 0)
        started = start_upload(
            session_factory,
            product_days(BATCHES * BATCH_ROWS, today),
            upload,
            mapping=ColumnMapping("sku", "date", "quantity"),
            max_age_days=365,
        )
        assert started.upload_id is not None and started.batches == BATCHES
        finished: list[float] = []
        estimates: list[float] = []

        def on_progress(progress: SendProgress) -> None:
            finished.append(time.monotonic())
            estimates.append(progress.seconds_left)

        began = time.monotonic()
        with PleasureStockClient(
            base_url=base_url, api_key=DEMO_API_KEY, rate_limits=DOCUMENTED_LIMITS
        ) as client:
            report = send_upload(
                client, session_factory, started.upload_id, on_progress=on_progress
            )
        wall = time.monotonic() - began
        engine.dispose()

    assert report.accepted == BATCHES, report
    window = finished[-1] - finished[0]
    rows_per_minute = (BATCHES - 1) * BATCH_ROWS / window * 60
    print(
        f"  {BATCHES} batches of {BATCH_ROWS:,} rows, documented limits on both sides "
        f"({limit.per_second}/s, {limit.per_minute}/min, {limit.per_hour}/h)\n"
        f"  first 100 batches in {finished[99] - began:.1f} s (the per-second burst); "
        f"all {BATCHES} in {wall:.1f} s\n"
        f"  batches 2..{BATCHES}: {rows_per_minute:,.0f} rows/min = "
        f"{rows_per_minute / ceiling:.1%} of the {ceiling:,} rows/min ceiling\n"
        f"  retries (429s or lost connections): {counter.retries}; estimated time left after "
        f"batch 1: {estimates[0]:.0f} s, actual {finished[-1] - finished[0]:.0f} s"
    )
