"""Settings → Jobs in AppTest: a failed job's error shows as text, workers with their heartbeat."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from streamlit.testing.v1 import AppTest

from lib.db import UnitOfWork, open_database

HOSTILE = "**bold** [link](https://evil.example) :red[x] <b>tag</b>"


def test_settings_lists_failed_jobs_with_their_error_as_text_and_the_workers(
    demo_env: None, app: AppTest
) -> None:
    database = open_database(os.environ["STOCKDESK_DATABASE_URL"])
    now = datetime.now(UTC)
    with UnitOfWork(database.session_factory) as uow:
        job = uow.jobs.add("catalog_sync", "", by="ayse", at=now)
        uow.jobs.start(job.id, worker_id="host:1:abc", at=now)
        uow.jobs.finish(job.id, "failed", at=now, error=HOSTILE)
        uow.workers.beat("host:1:abc", at=now, embedded=False)
        uow.commit()

    app.run()
    app.switch_page("pages/settings.py").run()

    assert not app.exception, [e.value for e in app.exception]
    failed = next(d.value for d in app.dataframe if "Last error" in d.value.columns)
    assert failed[["Kind", "State", "Last error"]].to_dict("records") == [
        {"Kind": "Catalog sync", "State": "failed", "Last error": HOSTILE}
    ]
    workers = next(d.value for d in app.dataframe if "Last heartbeat" in d.value.columns)
    assert workers[["Worker", "Where", "Alive"]].to_dict("records") == [
        {"Worker": "host:1:abc", "Where": "standalone", "Alive": True}
    ]
    assert "No job is running or waiting." in [c.value for c in app.caption]
    scheduled = next(d.value for d in app.dataframe if "Next run" in d.value.columns)
    assert scheduled[["Job", "Of", "When (UTC)", "Last state"]].to_dict("records") == [
        # The Overview's first sync ran after the failed one: the newest is what counts.
        {"Job": "Catalog sync", "Of": "—", "When (UTC)": "daily at 03:00", "Last state": "done"},
        {"Job": "Forecast", "Of": "—", "When (UTC)": "daily at 04:00", "Last state": "never run"},
        {"Job": "TRY rates", "Of": "—", "When (UTC)": "daily at 00:10", "Last state": "never run"},
        {"Job": "Source sync", "Of": "price2b", "When (UTC)": "every 2 h from 00:00",
         "Last state": "never run"},
        {"Job": "Source sync", "Of": "psrestful", "When (UTC)": "every 4 h from 00:00",
         "Last state": "never run"},
        {"Job": "Source sync", "Of": "stock2shop", "When (UTC)": "every 2 h from 00:00",
         "Last state": "never run"},
        {"Job": "Sales from Stock2Shop", "Of": "stock2shop", "When (UTC)": "every 2 h from 01:00",
         "Last state": "never run"},
    ]  # fmt: skip
