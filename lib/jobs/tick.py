"""The one periodic task: every minute, on whichever worker's scheduler fires it, recover
orphaned jobs and start the scheduled ones that are due. Each consumer fires it, so what it
starts is single-flight by design (active (kind, subject), and one job per slot)."""

from __future__ import annotations

from huey import crontab

from lib.jobs.queue import huey
from lib.jobs.runs import current_runtime
from lib.jobs.service import recover_orphans, start_due


@huey.periodic_task(crontab(minute="*"))
def tick() -> None:
    """Start again the jobs whose worker stopped beating, then the scheduled runs due."""
    runtime = current_runtime()
    recover_orphans(runtime.session_factory)
    start_due(runtime.session_factory, runtime.schedules)
