"""PSRESTful Extra APIs (PromoStandards): a read-only client, payload models, errors and
its configurable pace."""

from lib.psrestful.client import PsRestfulClient, since_window
from lib.psrestful.errors import PagingError, PsRestfulError
from lib.upstream.errors import (
    ApiError,
    AuthenticationError,
    ConfigurationError,
    NetworkError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
)

__all__ = [
    "ApiError",
    "AuthenticationError",
    "ConfigurationError",
    "NetworkError",
    "NotFoundError",
    "PagingError",
    "PermissionDeniedError",
    "PsRestfulClient",
    "PsRestfulError",
    "RateLimitedError",
    "ServerError",
    "since_window",
]
