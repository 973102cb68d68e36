"""Stock2Shop API: a read-only client, payload models, errors and its 1 request/s pace."""

from lib.stock2shop.client import RESULT_CAP, Stock2ShopClient
from lib.stock2shop.errors import ResultCapError, Stock2ShopError
from lib.stock2shop.models import NO_ROLE_WARNING, Session
from lib.upstream.errors import (
    ApiError,
    AuthenticationError,
    ConfigurationError,
    NetworkError,
    RateLimitedError,
    ServerError,
)

__all__ = [
    "NO_ROLE_WARNING",
    "RESULT_CAP",
    "ApiError",
    "AuthenticationError",
    "ConfigurationError",
    "NetworkError",
    "RateLimitedError",
    "ResultCapError",
    "ServerError",
    "Session",
    "Stock2ShopClient",
    "Stock2ShopError",
]
