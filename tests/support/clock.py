"""The one instant every test runs at, so no test depends on the day the suite runs.

The whole pytest session travels to ``frozen_now()`` (``tests/conftest.py``), and the app
servers the browser tests start run under the same clock (``python -m
tests.support.frozen_run``, handed the session's current instant). Time ticks on from
there, so timeouts and rate limits work. ``STOCKDESK_TEST_NOW`` (ISO 8601 with a zone)
moves the instant, to prove a change holds on any date:
``STOCKDESK_TEST_NOW=2027-02-28T23:30:00+00:00 make test``.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import time_machine

DEFAULT_NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def frozen_now() -> datetime:
    """The instant the tests run at: ``$STOCKDESK_TEST_NOW`` or ``DEFAULT_NOW`` (aware, UTC)."""
    text = os.environ.get("STOCKDESK_TEST_NOW", "").strip()
    if not text:
        return DEFAULT_NOW
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"STOCKDESK_TEST_NOW needs a time zone, e.g. {DEFAULT_NOW.isoformat()}")
    return moment.astimezone(UTC)


def travel() -> time_machine.travel:
    """A ticking travel to ``frozen_now()``: start it before anything reads the clock."""
    return time_machine.travel(frozen_now(), tick=True)
