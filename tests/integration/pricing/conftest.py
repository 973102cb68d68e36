"""Fixtures: the sales tests' migrated database per backend."""

from __future__ import annotations

# The same fixture as the sales tests use: one definition for both.
from tests.integration.sales.conftest import session_factory  # noqa: F401
