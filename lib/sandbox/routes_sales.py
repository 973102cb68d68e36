"""POST /sales, GET /smart-reordering and GET /currency/convert-to-try."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from lib.sandbox.jsonio import SandboxJSONResponse, error_response
from lib.sandbox.models import CENT
from lib.sandbox.params import ParamError, is_int, is_uuid, json_object, parse_date
from lib.sandbox.reorder import recommendations
from lib.sandbox.store import SandboxStore

MAX_SALES_ROWS = 1000
# Fixed rates so tests can check the arithmetic (TRY per unit).
RATES_TO_TRY: dict[str, Decimal] = {
    "EUR": Decimal("34.875"),
    "USD": Decimal("32.10"),
    "GBP": Decimal("40.65"),
}
_ID_EXPECTED = "UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx) or ps_id (ps_XXXXXXXXXX)"

SalesInput = tuple[str, date, int, int | None]


def _row_errors(index: int, row: Any) -> tuple[list[dict[str, Any]], SalesInput | None]:
    """Every problem with one sales row, or the parsed row."""

    def problem(error: str, expected: str, received: Any) -> dict[str, Any]:
        return {"index": index, "error": error, "expected": expected, "received": received}

    if not isinstance(row, dict):
        return [problem("Invalid row", "object", row)], None
    errors = []
    internal_id = row.get("internal_id")
    if not isinstance(internal_id, str) or not (
        is_uuid(internal_id) or internal_id.startswith("ps_")
    ):
        errors.append(problem("Invalid internal_id format", _ID_EXPECTED, internal_id))
    raw_date = row.get("date")
    day = parse_date(raw_date) if isinstance(raw_date, str) else None
    if day is None:
        errors.append(problem("Invalid date format", "YYYY-MM-DD", raw_date))
    quantity = row.get("quantity")
    if not is_int(quantity) or quantity < 0:
        errors.append(problem("Invalid quantity", "non-negative integer", quantity))
    stock = row.get("stock_on_hand")
    if stock is not None and (not is_int(stock) or stock < 0):
        errors.append(problem("Invalid stock_on_hand", "non-negative integer", stock))
    if errors or day is None:
        return errors, None
    return [], (internal_id, day, quantity, stock)


async def submit_sales(request: Request) -> Response:
    """POST /sales: all rows valid or nothing stored; SUM quantity, MAX stock per product-day."""
    store: SandboxStore = request.app.state.store
    body = await json_object(request)
    rows = body.get("sales")
    if not isinstance(rows, list) or not rows:
        raise ParamError("Field 'sales' must be a non-empty array", ["sales"])
    if len(rows) > MAX_SALES_ROWS:
        raise ParamError(
            f"At most {MAX_SALES_ROWS} sales records per request",
            [f"received {len(rows)} records"],
        )
    errors: list[dict[str, Any]] = []
    parsed: list[SalesInput] = []
    for index, row in enumerate(rows):
        row_errors, value = _row_errors(index, row)
        errors.extend(row_errors)
        if value is not None:
            parsed.append(value)
    if errors:
        # The one documented error body that differs from the general one.
        return SandboxJSONResponse(
            {"error": "Validation errors", "errors": errors, "processed": 0}, status_code=400
        )
    processed = store.add_sales(parsed)
    return SandboxJSONResponse(
        {"success": True, "message": "Sales data submitted successfully", "processed": processed}
    )


async def smart_reordering(request: Request) -> Response:
    """GET /smart-reordering?date=YYYY-MM-DD: recommendations from the stored sales."""
    store: SandboxStore = request.app.state.store
    raw = request.query_params.get("date")
    day = store.today if raw is None or raw == "" else parse_date(raw)
    if day is None:
        raise ParamError("Parameter 'date' must be a date in YYYY-MM-DD form", [f"date={raw}"])
    items = recommendations(store, day)
    return SandboxJSONResponse(
        {"success": True, "date": day.isoformat(), "recommendations": items, "total": len(items)}
    )


async def convert_to_try(request: Request) -> Response:
    """GET /currency/convert-to-try?amount=&currency=: fixed-rate conversion to TRY."""
    raw_amount = request.query_params.get("amount", "")
    currency = request.query_params.get("currency", "").strip().upper()
    try:
        amount = Decimal(raw_amount.strip())
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0:
        raise ParamError(
            "Parameter 'amount' must be a non-negative number", [f"amount={raw_amount}"]
        )
    rate = RATES_TO_TRY.get(currency)
    if rate is None:
        return error_response(
            400,
            "Unsupported currency",
            f"Currency '{currency}' cannot be converted; use EUR, USD or GBP",
            [f"currency={currency}"],
        )
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return SandboxJSONResponse(
        {
            "success": True,
            "originalAmount": amount,
            "originalCurrency": currency,
            "convertedAmount": (amount * rate).quantize(CENT, ROUND_HALF_UP),
            "targetCurrency": "TRY",
            "exchangeRate": rate,
            "lastUpdated": now,
        }
    )
