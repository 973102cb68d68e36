"""Sending one operation to Price2B: the pace, the bearer token, safe retries, errors.

Each operation says whether it writes (``Operation.write``); the client defines reads
only. The token travels in the ``Authorization`` header, never in a URL, and is masked in
any message; the log lines name the method and path only.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr

from lib.price2b.errors import PLATFORM, WORDING
from lib.price2b.ratelimit import RequestPacer
from lib.upstream.errors import ApiError, error_for_response
from lib.upstream.sending import ConnectionSettings, Platform, Sender

logger = logging.getLogger("stockdesk.price2b")


@dataclass(frozen=True)
class Operation:
    """One documented operation: its method, its path under ``…/api`` (``{id}`` filled
    in by the caller) and whether it stores anything (decides retries)."""

    name: str
    method: str
    path: str
    write: bool


class Transport:
    """A connection pool to one Price2B base URL (``…/api``) with one bearer token."""

    def __init__(
        self,
        *,
        base_url: str,
        token: SecretStr,
        settings: ConnectionSettings,
        pacer: RequestPacer,
    ) -> None:
        self._token = token
        self._pacer = pacer
        # One request at a time is all a conservative pace allows.
        self._sender = Sender(
            Platform(PLATFORM, base_url, "PRICE2B_BASE_URL in Settings"),
            settings,
            logger=logger,
            max_connections=2,
        )

    def close(self) -> None:
        """Close the connection pool and the pacer."""
        self._sender.close()
        self._pacer.close()

    def call(
        self,
        operation: Operation,
        *,
        path: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Send ``operation`` (at ``path`` when its path has a placeholder) and return the
        answer's ``data``, retried as far as that is safe."""
        where = path or operation.path
        return self._sender.with_retries(
            operation.method, where, lambda: self._attempt(operation, where, params)
        )

    def _attempt(self, operation: Operation, path: str, params: Mapping[str, Any] | None) -> Any:
        self._pacer.acquire()
        secret = self._token.get_secret_value()
        response = self._sender.send(
            operation.method,
            path,
            is_write=operation.write,
            secrets=(secret,),
            params=params,
            headers={"Authorization": f"Bearer {secret}"},
        )
        if response.status_code >= 400:
            raise error_for_response(response, WORDING, secret)
        answer = self._sender.json_of(response, operation.method, path, is_write=operation.write)
        if not isinstance(answer, dict) or answer.get("success") is False or "data" not in answer:
            raise ApiError(
                f"Price2B answered {operation.name} without its data "
                f"(HTTP {response.status_code}{WORDING.server_said(answer, secret)}).",
                status_code=response.status_code,
            )
        return answer["data"]
