"""What every upstream client's construction shares: its settings checked once, in the
words of the setting a person fixes, and closing its transport (``with`` or ``close``)."""

from __future__ import annotations

from typing import Protocol, Self

import httpx
from pydantic import SecretStr

from lib.upstream.errors import ConfigurationError


class _Closeable(Protocol):
    def close(self) -> None:
        """Let go of the connection pool (and whatever else the transport holds)."""


class ClientBase:
    """A client owning one ``_transport`` (set by the subclass), closed on leaving ``with``."""

    _transport: _Closeable

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._transport.close()


def secret_text(value: SecretStr | str | None) -> str | None:
    """The text of a secret given either way (None when not given)."""
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def checked_base_url(base_url: str, setting: str) -> str:
    """``base_url`` without its trailing slash; ``ConfigurationError`` naming ``setting``
    unless it is an http(s) URL."""
    if not base_url.startswith(("http://", "https://")):
        raise ConfigurationError(
            f"{setting} must start with http:// or https://, got {base_url!r}."
        )
    return base_url.rstrip("/")


def as_timeout(timeout: httpx.Timeout | float) -> httpx.Timeout:
    """A timeout given as seconds or as an ``httpx.Timeout``."""
    return timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
