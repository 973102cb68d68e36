"""Error messages are whole sentences: what failed, why and what to do, as plain text."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime

from streamlit.testing.v1 import AppTest

from lib.db import UnitOfWork, open_database
from lib.pleasurestock.models import Product
from lib.ui import markdown_text

WRONG_KEY = "pk_live_WrongKey000000000000"


def test_reorder_says_what_could_not_be_loaded_and_what_to_do(
    live_env: Callable[[str], None], app: AppTest
) -> None:
    live_env(WRONG_KEY)
    database = open_database(os.environ["STOCKDESK_DATABASE_URL"])
    with UnitOfWork(database.session_factory) as uow:
        product = Product.model_validate({"internal_id": "ps_1", "sku": "S-1", "currency": "USD"})
        uow.catalog.replace_snapshot([product], fetched_at=datetime.now(UTC))
        uow.commit()
    app.run()
    app.switch_page("pages/reorder.py").run()
    assert not app.exception, [e.value for e in app.exception]
    (message,) = [e.value for e in app.error]
    headline = markdown_text("The recommendations and open orders could not be loaded.")
    assert message.startswith(f"**{headline}**")
    assert "Check the API key in Settings" in message
    assert "Could not" not in message


def _fragment_caller() -> None:
    from lib.pleasurestock import PleasureStockError
    from lib.ui import show_error

    show_error(PleasureStockError("The server is down."), failed="loading the orders")


def test_a_sentence_piece_is_refused_before_it_reaches_a_user() -> None:
    at = AppTest.from_function(_fragment_caller).run()
    assert not at.error
    assert "show_error needs whole sentences, not 'loading the orders'" in at.exception[0].value
