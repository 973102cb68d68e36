"""PleasureStock API: client, payload models, errors and rate limits."""

from lib.pleasurestock.client import PleasureStockClient
from lib.pleasurestock.errors import (
    ApiError,
    AuthenticationError,
    BudgetBusyError,
    ConfigurationError,
    NetworkError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    PleasureStockError,
    RateLimitedError,
    ServerError,
    ValidationError,
)
from lib.pleasurestock.ratelimit import DOCUMENTED_LIMITS, RateLimitPolicy

__all__ = [
    "DOCUMENTED_LIMITS",
    "ApiError",
    "AuthenticationError",
    "BudgetBusyError",
    "ConfigurationError",
    "NetworkError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "PleasureStockClient",
    "PleasureStockError",
    "RateLimitPolicy",
    "RateLimitedError",
    "ServerError",
    "ValidationError",
]
