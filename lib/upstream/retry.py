"""When to retry a request to an upstream platform and how long to wait: small pure functions.

Safe to retry: a request that never reached the server (connect error) and a 429
(nothing was stored). A read (decided per operation, not per HTTP method) is also
retried after a 5xx or a lost answer. A write
whose answer was lost is never retried (NOTES.md point 3): the client raises
``OutcomeUnknownError`` instead, and it is not retryable here.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from lib.upstream.errors import NetworkError, RateLimitedError, ServerError

MAX_BACKOFF_SECONDS = 30.0
MAX_RETRY_AFTER_SECONDS = 120.0


def should_retry(error: BaseException) -> bool:
    """True when repeating the request cannot store anything twice."""
    return isinstance(error, NetworkError | RateLimitedError | ServerError)


def backoff_seconds(
    attempt: int,
    *,
    retry_after: float | None = None,
    base: float = 0.5,
    jitter: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait before retry number ``attempt`` (1 = first retry).

    The server's ``Retry-After`` wins when given (capped, so a bogus header cannot
    stall the app); otherwise exponential backoff with "equal jitter": half the
    step fixed, half random, so many clients do not retry in lockstep.
    """
    if retry_after is not None:
        return min(retry_after, MAX_RETRY_AFTER_SECONDS)
    step = min(MAX_BACKOFF_SECONDS, base * 2 ** (attempt - 1))
    return step / 2 + (step / 2) * jitter()
