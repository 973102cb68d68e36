"""PSRESTful's pace: its rate limits are on a page the document does not include, so
the pace is a setting (``PSRESTFUL_REQUESTS_PER_SECOND``) with a conservative default,
counted in this process by the shared ``RequestPacer`` (``lib/upstream/pacing.py``)."""

from __future__ import annotations

from lib.upstream.pacing import RequestPacer

# Undocumented: two requests a second is well under any public API's usual limit.
DEFAULT_PER_SECOND = 2.0

__all__ = ["DEFAULT_PER_SECOND", "RequestPacer"]
