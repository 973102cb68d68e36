"""HTTP routes served beside the Streamlit UI by ``st.App`` (health check)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from lib.db import open_database
from lib.settings import load_settings


async def healthz(request: Request) -> JSONResponse:
    """Liveness and database reachability; 503 when the database cannot be queried."""
    settings = load_settings()
    mode = "demo" if settings.demo_mode else "live"
    try:
        await run_in_threadpool(_ping_database, settings.stockdesk_database_url)
    except SQLAlchemyError as error:
        return JSONResponse(
            {"status": "error", "mode": mode, "database": type(error).__name__}, status_code=503
        )
    return JSONResponse({"status": "ok", "mode": mode, "database": "ok"})


def _ping_database(url: str) -> None:
    with open_database(url).engine.connect() as connection:
        connection.execute(text("SELECT 1"))


ROUTES = [Route("/healthz", healthz, methods=["GET"])]
