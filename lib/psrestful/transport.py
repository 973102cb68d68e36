"""Sending one PSRESTful request: the pace, the ``X-API-Key`` header, safe retries,
errors, and the server's clock read from each answer's ``Date`` header.

Every operation is a read (the Extra APIs have no write), so every failure that can be
retried is. The key travels in a header only, never in a URL, and is masked in any text
the server echoes. ``next`` links are never followed, so the key never goes to an
origin other than the configured base URL.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from pydantic import SecretStr

from lib.psrestful.errors import PLATFORM, WORDING
from lib.psrestful.ratelimit import RequestPacer
from lib.upstream.errors import error_for_response
from lib.upstream.sending import ConnectionSettings, Platform, Sender

logger = logging.getLogger("stockdesk.psrestful")


def server_date(response: httpx.Response) -> datetime | None:
    """The answer's ``Date`` header as a UTC moment, or None when absent or unreadable."""
    value = response.headers.get("Date")
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


class Transport:
    """A connection pool to one PSRESTful base URL (``https://api.psrestful.com``)."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: SecretStr,
        settings: ConnectionSettings,
        pacer: RequestPacer,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._api_key = api_key
        self._pacer = pacer
        self._clock = clock
        self._lock = threading.Lock()
        # The server's Date from the newest answer, and our monotonic time when it came.
        self._server_seen: tuple[datetime, float] | None = None
        self.requests = 0
        self._sender = Sender(
            Platform(PLATFORM, base_url, "PSRESTFUL_BASE_URL in Settings"),
            settings,
            logger=logger,
            max_connections=2,
        )

    def close(self) -> None:
        """Close the connection pool and the pacer."""
        self._sender.close()
        self._pacer.close()

    def server_now(self) -> datetime | None:
        """The server's clock now: its newest ``Date`` plus the time elapsed here since
        (None before any answer carried one)."""
        with self._lock:
            seen = self._server_seen
        if seen is None:
            return None
        moment, at = seen
        return moment + timedelta(seconds=self._clock() - at)

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """``GET path`` (relative to the base URL), retried when safe; the JSON answer."""
        return self._sender.with_retries("GET", path, lambda: self._attempt(path, params))

    def _attempt(self, path: str, params: Mapping[str, Any] | None) -> Any:
        self._pacer.acquire()
        secret = self._api_key.get_secret_value()
        with self._lock:
            self.requests += 1
        response = self._sender.send(
            "GET",
            path,
            is_write=False,
            secrets=(secret,),
            params=params,
            headers={"X-API-Key": secret},
        )
        moment = server_date(response)
        if moment is not None:
            with self._lock:
                self._server_seen = (moment, self._clock())
        if response.status_code >= 400:
            raise error_for_response(response, WORDING, secret)
        return self._sender.json_of(response, "GET", path, is_write=False)
