"""The one periodic task: every minute, on whichever worker's scheduler fires it, recover
orphaned jobs. Each consumer fires it, so whatever it starts is single-flight by design."""

from __future__ import annotations

from huey import crontab

from lib.jobs.queue import huey
from lib.jobs.runs import current_runtime
from lib.jobs.service import recover_orphans


@huey.periodic_task(crontab(minute="*"))
def tick() -> None:
    """Start again the jobs whose worker stopped beating."""
    recover_orphans(current_runtime().session_factory)
