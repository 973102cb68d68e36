"""Suite-wide set-up: every test runs on the same day (see ``tests/support/clock.py``)."""

from __future__ import annotations

import pytest

from tests.support.clock import travel

_travel = travel()


def pytest_configure(config: pytest.Config) -> None:
    """Travel before collection, so even module-level code in tests reads the tests' clock."""
    _travel.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    """Come back to the real clock when the session ends."""
    _travel.stop()
