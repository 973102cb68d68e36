"""Stock2Shop's pace: "we recommend not more than 1 request per second", kept by the
shared ``RequestPacer`` (``lib/upstream/pacing.py``)."""

from __future__ import annotations

from lib.upstream.pacing import RequestPacer

DOCUMENTED_PER_SECOND = 1.0

__all__ = ["DOCUMENTED_PER_SECOND", "RequestPacer"]
