"""What every group of the client's endpoints shares: construction, the transport, answers.

``ClientBase`` checks the key and base URL once, owns the connection pool (``Transport``:
the key's rate-limit budget, auth header, safe retries) and closes it. The functions below read an
answer: a read's answer StockDesk cannot parse is an ``ApiError``; a write's is an
unknown outcome, because the server may have stored it (NOTES.md point 3). Which
requests count as writes (everything but GET) is decided in ``transport.py``.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
import pydantic
from pydantic import SecretStr

from lib.pleasurestock.budget import Budget, key_fingerprint
from lib.pleasurestock.errors import PLATFORM, ConfigurationError
from lib.pleasurestock.ratelimit import DOCUMENTED_LIMITS, RateLimitPolicy, WindowUsage
from lib.pleasurestock.transport import Transport
from lib.upstream.answers import parse_read, problems
from lib.upstream.client import ClientBase as UpstreamClientBase
from lib.upstream.client import as_timeout, checked_base_url, secret_text
from lib.upstream.errors import outcome_unknown
from lib.upstream.sending import ConnectionSettings

# Printable ASCII without spaces: what an API key can be sent as in a header.
_HEADER_SAFE = re.compile(r"[\x21-\x7e]+")

M = TypeVar("M", bound=pydantic.BaseModel)


class ClientBase(UpstreamClientBase):
    """One PleasureStock base URL and key: validated at construction, one connection pool."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: SecretStr | str | None,
        timeout: httpx.Timeout | float = 30.0,
        transport: httpx.BaseTransport | None = None,
        rate_limits: Mapping[str, RateLimitPolicy] = DOCUMENTED_LIMITS,
        budget_url: str | None = None,
        max_wait: float | None = None,
        max_attempts: int = 5,
        max_concurrency: int = 4,
        jitter: Callable[[], float] = random.random,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        key = secret_text(api_key)
        if not key or not key.strip():
            raise ConfigurationError(
                "No PleasureStock API key is configured. Set PLEASURESTOCK_API_KEY in the "
                "environment or in .streamlit/secrets.toml (or leave it unset for demo mode)."
            )
        key = key.strip()
        if not _HEADER_SAFE.fullmatch(key):
            # Never quote the key: the message ends up on the page and in logs.
            raise ConfigurationError(
                "The PleasureStock API key contains a space, a line break or another character "
                "that cannot be sent in an HTTP header. Copy it again into "
                "PLEASURESTOCK_API_KEY (environment or .streamlit/secrets.toml)."
            )
        self.base_url = checked_base_url(base_url, "PLEASURESTOCK_BASE_URL")
        # Seconds a request waits for the rate-limit budget; None: as long as it takes.
        self.max_wait = max_wait
        self._max_concurrency = max_concurrency
        self._transport = Transport(
            base_url=self.base_url,
            api_key=SecretStr(key),
            settings=ConnectionSettings(
                as_timeout(timeout), transport, max_attempts, jitter, sleep
            ),
            budget=Budget(
                url=budget_url,
                fingerprint=key_fingerprint(key),
                windows={name: policy.windows() for name, policy in rate_limits.items()},
                max_wait=max_wait,
            ),
            max_connections=max(max_concurrency, 1) * 2,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, api_key=SecretStr('**********'))"

    def rate_limit_usage(self) -> list[WindowUsage]:
        """How much of each rate class's per-second/minute/hour budget is in use now, by
        every process sharing it."""
        return self._transport.usage()


def path_segment(value: str) -> str:
    """An id as one percent-encoded URL path segment: ids are opaque, ``/``, ``?`` and ``#``
    included, and none may change the path (``.`` and ``..`` are encoded too)."""
    text = str(value).strip()
    if not text:
        raise ValueError("an id cannot be blank")
    encoded = quote(text, safe="")
    return encoded.replace(".", "%2E") if encoded in {".", ".."} else encoded


def unwrap(body: Any) -> Any:
    """The ``data`` member of an answer in the ``{"success", "data"}`` envelope."""
    return body.get("data") if isinstance(body, dict) else body


def parse(model: type[M], payload: Any) -> M:
    """Validate a read's payload, turning a shape the client cannot read into an ``ApiError``."""
    return parse_read(model, payload, platform=PLATFORM)


def parse_answer_to_write(model: type[M], payload: Any, method: str, path: str) -> M:
    """Validate a write's 2xx answer; one StockDesk cannot read leaves the outcome unknown,
    since the server may well have stored the write (NOTES.md point 3)."""
    try:
        return model.model_validate(payload)
    except pydantic.ValidationError as exc:
        raise outcome_unknown(
            PLATFORM,
            method,
            path,
            f"PleasureStock answered {method} /{path} with a success status, but StockDesk "
            f"cannot read the answer ({problems(exc)}).",
        ) from None
