"""Price2B Inventory API: a read-only client, payload models, errors and its pace."""

from lib.price2b.client import MAX_PER_PAGE, Price2BClient
from lib.price2b.errors import IncompleteReadError, Price2BError
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
    "MAX_PER_PAGE",
    "ApiError",
    "AuthenticationError",
    "ConfigurationError",
    "IncompleteReadError",
    "NetworkError",
    "NotFoundError",
    "PermissionDeniedError",
    "Price2BClient",
    "Price2BError",
    "RateLimitedError",
    "ServerError",
]
