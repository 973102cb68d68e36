"""Sending one operation to Stock2Shop: the pace, the query-string token, one fresh login
when a token is refused, the document's alternative paths, safe retries, errors.

Each operation says whether it writes (``Operation.write``), whatever its HTTP method:
the searches are POSTs that read, so they are retried like any read. The token travels
in the query string, so it is a credential in every URL: the log lines name the path
only, and every token this client was given is masked in any message (with the password).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr

from lib.stock2shop.errors import PLATFORM, WORDING
from lib.stock2shop.models import Session
from lib.stock2shop.ratelimit import RequestPacer
from lib.upstream.errors import ApiError, AuthenticationError, NotFoundError, error_for_response
from lib.upstream.sending import ConnectionSettings, Platform, Sender

logger = logging.getLogger("stockdesk.stock2shop")

_TOKEN_IN_URL = re.compile(r"(token=)[^&\s\"'#]+")


class _MaskTokenInUrls(logging.Filter):
    """httpx logs every request's full URL at INFO, and Stock2Shop's token is in it."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Let the record through with any ``token=…`` masked."""
        message = record.getMessage()
        if "token=" in message:
            record.msg, record.args = _TOKEN_IN_URL.sub(r"\1***", message), ()
        return True


logging.getLogger("httpx").addFilter(_MaskTokenInUrls())


@dataclass(frozen=True)
class Operation:
    """One documented operation: the (method, path) spellings the document uses, in the
    order tried, and whether it stores anything (decides retries, not the method)."""

    name: str
    spellings: tuple[tuple[str, str], ...]
    write: bool


class _TokenRefused(Exception):
    """A request's token was refused (401): log in again, once."""


class Transport:
    """A connection pool to one Stock2Shop base URL (``…/v1``) with one login."""

    def __init__(
        self,
        *,
        base_url: str,
        password: SecretStr,
        settings: ConnectionSettings,
        pacer: RequestPacer,
    ) -> None:
        self._password = password
        self._pacer = pacer
        self._lock = threading.Lock()
        self._token: str | None = None
        self._session: Session | None = None
        # Every token ever issued to this client, so that none can leak through a message.
        self._issued: list[str] = []
        # The spelling that worked last, per operation: tried first next time.
        self._working: dict[str, tuple[str, str]] = {}
        # One request at a time is all the 1 request/s pace allows.
        self._sender = Sender(
            Platform(PLATFORM, base_url, "STOCK2SHOP_BASE_URL in Settings"),
            settings,
            logger=logger,
            max_connections=2,
        )

    @property
    def session(self) -> Session | None:
        """Who the current token belongs to (None before the first login)."""
        return self._session

    def secrets(self) -> tuple[str, ...]:
        """The password and every token issued so far: masked in any text shown."""
        return (self._password.get_secret_value(), *self._issued)

    def close(self) -> None:
        """Close the connection pool and the pacer."""
        self._sender.close()
        self._pacer.close()

    def login(self, operation: Operation, body: dict[str, Any]) -> Any:
        """Send the login operation and keep its token; returns the answer's JSON."""
        answer = self._send(operation, *operation.spellings[0], None, body)
        user = answer.get("system_user") if isinstance(answer, dict) else None
        token = user.get("token") if isinstance(user, dict) else None
        if not isinstance(token, str) or not token:
            raise ApiError("Stock2Shop's login answer carries no token.", status_code=200)
        with self._lock:
            self._issued.append(token)
            self._token = token
        return answer

    def remember(self, session: Session) -> None:
        """Keep who the current token belongs to."""
        self._session = session

    def call(self, operation: Operation, body: Any = None, *, relogin: Callable[[], None]) -> Any:
        """Send ``operation`` (trying the document's other spellings on 404/405), logging in
        again once with ``relogin`` when the token is refused; returns the JSON answer."""
        if self._token is None:
            relogin()
        try:
            return self._call_any_spelling(operation, body)
        except _TokenRefused:
            logger.info("%s: token refused, logging in again", operation.name)
        self._token = None
        relogin()
        try:
            return self._call_any_spelling(operation, body)
        except _TokenRefused:
            raise AuthenticationError(
                f"Stock2Shop refused a token it had just issued ({operation.name}). "
                "Check that the user in STOCK2SHOP_USERNAME is active and may read this.",
                status_code=401,
            ) from None

    def _call_any_spelling(self, operation: Operation, body: Any) -> Any:
        first = self._working.get(operation.name, operation.spellings[0])
        *others, last = [first, *(s for s in operation.spellings if s != first)]
        for method, path in others:
            try:
                answer = self._send(operation, method, path, self._token, body)
            except ApiError as error:
                # This server lacks the spelling (404) or the method (405): try the next.
                if isinstance(error, NotFoundError) or error.status_code == 405:
                    continue
                raise
            self._working[operation.name] = (method, path)
            return answer
        answer = self._send(operation, *last, self._token, body)
        self._working[operation.name] = last
        return answer

    def _send(
        self, operation: Operation, method: str, path: str, token: str | None, body: Any
    ) -> Any:
        return self._sender.with_retries(
            method, path, lambda: self._attempt(operation, method, path, token, body)
        )

    def _attempt(
        self, operation: Operation, method: str, path: str, token: str | None, body: Any
    ) -> Any:
        self._pacer.acquire()
        secrets = self.secrets()
        response = self._sender.send(
            method,
            path,
            is_write=operation.write,
            secrets=secrets,
            params={"token": token} if token is not None else None,
            json_body=body,
        )
        if response.status_code == 401 and token is not None:
            raise _TokenRefused
        if response.status_code >= 400:
            raise error_for_response(response, WORDING, *secrets)
        return self._sender.json_of(response, method, path, is_write=operation.write)
