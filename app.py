"""StockDesk: the Streamlit entrypoint (``streamlit run app.py``).

``app`` is found by ``streamlit run`` and served with uvicorn together with the
extra routes (``/healthz``, webhooks) and the start-up checks, which log an unsafe or
invalid configuration once. The UI runs under ``__main__`` only, because uvicorn
imports this file once as a module while Streamlit runs it for every session.
"""

from pathlib import Path

import streamlit as st

from lib.routes import MIDDLEWARE, ROUTES
from lib.ui.shell import startup_checks

app = st.App(
    Path(__file__).resolve(), routes=ROUTES, middleware=MIDDLEWARE, lifespan=startup_checks
)

if __name__ == "__main__":
    from lib.ui import run_app

    run_app()
