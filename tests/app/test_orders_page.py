"""The Orders page with AppTest in demo mode: filters, folding, status changes, cancelling.

Every test here shares the process's demo sandbox, so each one picks its orders by
status at the time it runs and clears the cached order reads first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe

from lib.db import open_database
from lib.orders.webhooks import parse_event, store_event
from lib.pleasurestock import PleasureStockClient
from lib.pleasurestock.models import OrderLine
from lib.sandbox.embedded import DEMO_API_KEY, demo_base_url
from lib.settings import load_settings
from lib.ui import markdown_text
from lib.ui.loaders import clear_order_caches
from tests.app.conftest import audit_log, page_text
from tests.support.hostile import as_shown


@pytest.fixture(autouse=True)
def fresh_order_reads() -> Iterator[None]:
    """Other tests move the shared sandbox's orders on: start from what it holds now.

    Cached order details need no clearing: their cache key holds the order's status.
    """
    clear_order_caches()
    yield


@pytest.fixture
def orders_page(demo_env: None, app: AppTest) -> AppTest:
    app.switch_page("pages/orders.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def order_list(at: AppTest) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if "Delivery ID" in df.value.columns)


def choose_order(at: AppTest, status_label: str) -> str:
    """Select the first order whose detail label ends with the status; returns its number."""
    choice = at.selectbox(key="orders_choice")
    label = next(o for o in choice.options if o.endswith(f" · {status_label}"))
    number = label.split(" · ")[0]
    choice.set_value(number).run()
    assert not at.exception, [e.value for e in at.exception]
    return number


def click(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_status_filter_folding_and_overdue(orders_page: AppTest) -> None:
    at = orders_page
    shown, total = metric(at, "Orders shown").split(" of ")
    assert shown == total
    folded = int(metric(at, "Folded duplicates"))
    assert folded >= 1
    assert len(order_list(at)) == int(shown) - folded

    at.toggle(key="orders_show_folded").set_value(True).run()
    unfolded = order_list(at)
    assert len(unfolded) == int(shown)
    assert unfolded["Duplicates"].str.startswith("cancelled duplicate of").sum() == folded

    at.multiselect(key="orders_statuses").set_value(["cancelled"]).run()
    cancelled = order_list(at)
    # Without their active twins in the list, the cancelled duplicates are not folded.
    assert metric(at, "Folded duplicates") == "0"
    assert {tuple(s) for s in cancelled["Status"]} == {("Cancelled",)}
    assert metric(at, "Open commitments") == "₺0.00"

    at.multiselect(key="orders_statuses").set_value([]).run()
    at.checkbox(key="orders_overdue_only").check().run()
    overdue = order_list(at)
    assert len(overdue) == int(metric(at, "Overdue")) > 0
    assert all("Overdue" in s for s in overdue["Status"])


def test_text_and_supplier_filters(orders_page: AppTest) -> None:
    at = orders_page
    first = order_list(at).iloc[0]

    at.text_input(key="orders_text").input(first["Delivery ID"].lower()).run()
    assert list(order_list(at)["Order"]) == [first["Order"]]

    at.text_input(key="orders_text").input("").run()
    at.multiselect(key="orders_suppliers").set_value([first["Supplier"]]).run()
    assert set(order_list(at)["Supplier"]) == {first["Supplier"]}
    assert "Totals per status and supplier" in [e.label for e in at.expander]


def test_moving_an_order_from_created_to_paid_asks_first_and_is_audited(
    orders_page: AppTest,
) -> None:
    at = orders_page
    number = choose_order(at, "Created")
    assert ":blue-badge[Created]" in [m.value for m in at.markdown]
    assert {"Mark as Partially paid", "Mark as Paid"} <= {b.label for b in at.button}
    listed = order_list(at).set_index("Order").loc[number]

    click(at, "Mark as Paid")
    question = next(m.value for m in at.markdown if m.value.startswith("Move **"))
    assert markdown_text(number) in question
    assert markdown_text(listed["Supplier"]) in question
    assert markdown_text(f"{listed['Amount']:,.2f}") in question
    assert "to **Paid**?" in question
    assert "records the full payment" in page_text(at)
    assert not at.success  # nothing is sent before the yes

    click(at, "Not now")
    assert not at.success
    assert ":blue-badge[Created]" in [m.value for m in at.markdown]

    click(at, "Mark as Paid")
    click(at, "Yes, mark as Paid")

    assert as_shown(at.success[0].value) == f"Moved {number} from Created to Paid."
    assert ":green-badge[Paid]" in [m.value for m in at.markdown]
    assert "Mark as On the way" in {b.label for b in at.button}
    timeline = next(df.value for df in at.dataframe if "What" in df.value.columns)
    assert list(timeline["What"]) == ["demo:admin moved it Created → Paid"]

    at.switch_page("pages/settings.py").run()
    changes = audit_log(at)
    row = changes[changes["What"] == "order.status_change"].iloc[0]
    assert row["Who"] == "demo:admin"


def test_accepting_says_it_is_final_and_on_the_way_is_one_click(orders_page: AppTest) -> None:
    at = orders_page
    number = choose_order(at, "Delivered")
    click(at, "Mark as Accepted")
    assert "Accepted is final" in page_text(at)
    assert not at.success
    click(at, "Yes, mark as Accepted")
    assert as_shown(at.success[0].value) == f"Moved {number} from Delivered to Accepted."

    number = choose_order(at, "Paid")
    click(at, "Mark as On the way")
    assert as_shown(at.success[0].value) == f"Moved {number} from Paid to On the way."


def test_finance_is_offered_payments_only(demo_env: None, app: AppTest) -> None:
    app.query_params["role"] = "finance"
    app.switch_page("pages/orders.py").run()
    choose_order(app, "Created")
    offered = {b.label for b in app.button if b.label.startswith("Mark as")}
    assert offered == {"Mark as Partially paid", "Mark as Paid"}
    assert "Cancel order" not in {b.label for b in app.button}


def test_cancelling_asks_for_confirmation_and_a_reason(orders_page: AppTest) -> None:
    at = orders_page
    number = choose_order(at, "Paid")

    click(at, "Cancel order")
    assert "Tick the box to confirm" in at.warning[0].value

    at.checkbox[-1].check()
    click(at, "Cancel order")
    assert any("Give a reason" in e.value for e in at.error)

    at.checkbox[-1].check()
    at.text_area[0].input("Supplier cannot deliver")
    click(at, "Cancel order")
    assert as_shown(at.success[0].value) == f"Moved {number} from Paid to Cancelled."
    assert "is final: no status change is offered" in page_text(at)


def test_a_refusal_by_pleasurestock_is_shown_in_plain_words(orders_page: AppTest) -> None:
    at = orders_page
    number = choose_order(at, "Created")
    # Someone else pays the order while this page still shows it as created.
    with PleasureStockClient(
        base_url=demo_base_url(load_settings()), api_key=DEMO_API_KEY
    ) as client:
        client.update_order_status(number, "paid")

    click(at, "Mark as Partially paid")
    click(at, "Yes, mark as Partially paid")

    (refusal,) = at.error
    assert as_shown(refusal.value).startswith(
        f"PleasureStock refused to move {number} from Created to Partially paid"
    )
    assert "press Refresh" in refusal.value


def test_webhook_events_newer_than_the_list_offer_a_refresh(orders_page: AppTest) -> None:
    at = orders_page
    number = choose_order(at, "Created")
    settings = load_settings()
    with PleasureStockClient(base_url=demo_base_url(settings), api_key=DEMO_API_KEY) as client:
        client.update_order_status(number, "paid")
    # What the route stores when the sandbox's webhook for that change arrives.
    event = parse_event(
        json.dumps(
            {
                "event": "order.status_changed",
                "data": {"orderNumber": number, "oldStatus": "created", "newStatus": "paid"},
            }
        ).encode()
    )
    store_event(
        open_database(settings.stockdesk_database_url).session_factory,
        event,
        sender_id="evt_app_test",
        received_at=datetime.now(UTC),
    )

    at.run()
    assert any(f"{number} → Paid" in as_shown(i.value) for i in at.info)

    click(at, "Refresh orders")
    assert not any("since the list was loaded" in i.value for i in at.info)
    assert ":green-badge[Paid]" in [m.value for m in at.markdown]


def shown_in_grid(table: Dataframe, column: str, value: float) -> str:
    """``value`` as the grid shows it: the column's printf format (``₺%,.2f``) applied."""
    printf = json.loads(table.proto.columns)[column]["type_config"]["format"]
    match = re.fullmatch(r"(.*)%(,?)\.(\d)f", printf)
    assert match, f"not a money format: {printf}"
    prefix, comma, places = match.groups()
    return prefix + format(value, f"{comma}.{places}f")


def test_the_totals_show_the_exact_try_amount_to_the_kurus(demo_env: None, app: AppTest) -> None:
    app.run()
    with PleasureStockClient(
        base_url=demo_base_url(load_settings()), api_key=DEMO_API_KEY
    ) as client:
        euro = next(p for p in client.list_products(limit=100).data if p.currency == "EUR")
        created = client.create_orders(
            [OrderLine(ps_id=euro.internal_id, quantity=1, custom_price=Decimal("59.40"))]
        )
    number = created.orders[0].order_number
    clear_order_caches()

    app.switch_page("pages/orders.py").run()
    app.text_input(key="orders_text").input(number).run()

    assert not app.exception, [e.value for e in app.exception]
    table = next(t for t in app.dataframe if "Amount in TRY" in t.value.columns)
    (total,) = table.value.to_dict("records")
    assert (total["Currency"], total["Orders"], total["Amount"]) == ("EUR", 1, 59.40)
    # 59.40 EUR at PleasureStock's 34.875 is 2,071.575 TRY exactly: half up, 2,071.58.
    assert shown_in_grid(table, "Amount in TRY", total["Amount in TRY"]) == "₺2,071.58"
