"""The Catalog page in AppTest: filters and links, TRY conversion, quality panel, faults."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pandas as pd
from streamlit.testing.v1 import AppTest

from lib.db import UnitOfWork, open_database
from lib.pleasurestock.models import Product
from lib.sandbox.catalog import make_suppliers
from lib.ui import markdown_text
from tests.app.conftest import page_text

CATALOG = "pages/catalog.py"
USD_RATE = Decimal("34.5012")
HTML_NAME = '<b>Bold</b> **stars** [link](http://x.example) "quoted" Вибратор & Şal'


def open_catalog(app: AppTest) -> AppTest:
    app.switch_page(CATALOG).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def grid(app: AppTest) -> pd.DataFrame:
    """The product grid: the first table of the page."""
    return app.dataframe[0].value


def caption_count(app: AppTest) -> str:
    return next(c.value for c in app.caption if "products match the filters" in c.value)


def store(
    products: list[Product],
    *,
    fetched_ago: timedelta = timedelta(0),
    rates_ago: timedelta = timedelta(0),
) -> None:
    """Put a snapshot and a USD rate into the app's database (the URL the fixtures set)."""
    now = datetime.now(UTC)
    database = open_database(os.environ["STOCKDESK_DATABASE_URL"])
    with UnitOfWork(database.session_factory) as uow:
        uow.catalog.replace_snapshot(products, fetched_at=now - fetched_ago)
        for currency, rate in (("USD", USD_RATE), ("EUR", Decimal("37")), ("GBP", Decimal("43"))):
            uow.rates.add(currency, rate, None, now - rates_ago)
        uow.commit()


def product(ps_id: str, currency: str, **fields: object) -> Product:
    values: dict[str, object] = {
        "name": f"Product {ps_id}",
        "sku": f"SKU-{ps_id}",
        "price": Decimal("10.00"),
        "currency": currency,
        "category_id": "c1",
        "category_name": "Вибраторы",
        "category_name_en": "Vibrators",
        "tcc_enabled": True,
        "tcc_coefficient": Decimal("2"),
        "tcc_total_cost": Decimal("20.00"),
        "tcc_currency": currency,
        "tsp_enabled": True,
        "tsp_value": Decimal("41.00"),
        "tsp_currency": currency,
    }
    return Product(internal_id=ps_id, **(values | fields))


def test_filters_narrow_the_grid_and_keep_categories_across_languages(
    demo_env: None, app: AppTest
) -> None:
    open_catalog(app)  # the empty database makes the page fetch the sandbox catalog first
    assert caption_count(app) == "2,650 of 2,650 products match the filters."
    assert len(grid(app)) == 2650

    app.multiselect(key="category").select("Vibrators").run()
    vibrators = grid(app)
    assert 0 < len(vibrators) < 2650
    assert set(vibrators["Category"]) == {"Vibrators"}
    assert caption_count(app) == f"{len(vibrators):,} of 2,650 products match the filters."

    app.toggle(key="russian").set_value(True).run()
    assert app.multiselect(key="category").value == ["Вибраторы"]
    assert set(grid(app)["Category"]) == {"Вибраторы"}
    assert len(grid(app)) == len(vibrators)

    app.segmented_control(key="tsp").set_value("disabled").run()
    app.number_input(key="price_min").set_value(20.0).run()
    narrowed = grid(app)
    assert not app.exception
    assert (narrowed["TSP enabled"] == False).all()  # noqa: E712
    assert (narrowed["Price"] >= 20.0).all()
    assert narrowed["TSP (TRY)"].isna().all()


def test_a_link_reproduces_the_view_and_names_what_it_cannot(demo_env: None, app: AppTest) -> None:
    app.query_params.update(
        {
            "category": ["Lubricants", "Gone category"],
            "currency": "EUR",
            "tsp": "Enabled",
            "price_min": "20",
            "search": "gel",
        }
    )
    open_catalog(app)
    rows = grid(app)
    assert len(rows) > 0
    assert set(rows["Category"]) == {"Lubricants"}
    assert set(rows["Currency"]) == {"EUR"}
    assert (rows["TSP enabled"] == True).all()  # noqa: E712
    assert (rows["Price"] >= 20.0).all()
    assert rows["Name"].str.lower().str.contains("gel").all()
    assert any("'Gone category'" in w.value for w in app.warning)


def test_quality_panel_counts_and_its_link_filters_the_rows(demo_env: None, app: AppTest) -> None:
    open_catalog(app)
    counts = {m.label: m.value for m in app.metric}
    assert set(counts) == {
        "TCC ≠ price × coefficient",
        "TSP below TCC",
        "Missing category",
        "TCC or TSP disabled",
    }
    assert all(int(value.replace(",", "")) > 0 for value in counts.values())

    next(b for b in app.button if b.key == "show-tcc-mismatch").click().run()
    assert app.selectbox(key="issue").value == "tcc-mismatch"
    rows = grid(app)
    assert f"{len(rows):,}" == counts["TCC ≠ price × coefficient"]
    for _, row in rows.iterrows():
        expected = round(Decimal(str(row["Price"])) * Decimal(str(row["TCC coefficient"])), 2)
        assert row["TCC currency"] != row["Currency"] or expected != round(
            Decimal(str(row["TCC"])), 2
        )

    next(b for b in app.button if b.key == "show-negative-margin").click().run()
    assert (grid(app)["Margin"] < 0).all()


def test_try_columns_use_one_rate_per_currency_and_say_no_rate(
    demo_env: None, app: AppTest
) -> None:
    store([product("ps_usd", "USD"), product("ps_try", "TRY"), product("ps_cny", "CNY")])
    open_catalog(app)
    rows = grid(app).set_index("ps id")
    # 20.00 USD × 34.5012 = 690.024; 41.00 USD × 34.5012 = 1,414.5492
    assert rows.loc["ps_usd", "TCC (TRY)"] == float(Decimal("20.00") * USD_RATE)
    assert rows.loc["ps_usd", "TSP (TRY)"] == float(Decimal("41.00") * USD_RATE)
    assert rows.loc["ps_try", "TCC (TRY)"] == 20.0
    assert pd.isna(rows.loc["ps_cny", "TCC (TRY)"]) and pd.isna(rows.loc["ps_cny", "TSP (TRY)"])
    assert rows.loc["ps_cny", "TRY note"] == "no rate for CNY"
    assert rows.loc["ps_usd", "TRY note"] == ""
    assert rows.loc["ps_usd", "Margin"] == 21.0 and rows.loc["ps_usd", "Margin %"] == 51.22


def test_failed_rate_service_and_sync_keep_the_stored_data_and_say_why(
    live_env: Callable[[str], None], app: AppTest
) -> None:
    live_env("pk_live_WrongKey000000000000")
    store(
        [product("ps_usd", "USD"), product("ps_eur", "EUR")],
        fetched_ago=timedelta(days=2),
        rates_ago=timedelta(days=3),
    )
    open_catalog(app)  # stale: the page tries to sync, and the wrong key makes that fail
    assert any(
        e.value.startswith("**The catalog could not be synced\\.**")
        and "Check the API key in Settings" in e.value
        and e.value.endswith(markdown_text("The previous snapshot is kept."))
        for e in app.error
    )
    assert len(grid(app)) == 2
    rate_warning = next(w.value for w in app.warning if "rate service failed" in w.value)
    assert "USD fetched 3 days ago" in rate_warning
    assert grid(app).set_index("ps id").loc["ps_usd", "TCC (TRY)"] == float(20 * USD_RATE)

    app.run()  # no second automatic attempt right after a failure
    assert not app.error
    assert any("The last sync attempt failed" in w.value for w in app.warning)

    next(b for b in app.button if b.label == "Sync catalog now").click().run()
    assert any("previous snapshot is kept" in e.value for e in app.error)
    assert len(grid(app)) == 2
    assert "pk_live_WrongKey" not in page_text(app)


def test_selected_product_shows_every_field_and_its_images(demo_env: None, app: AppTest) -> None:
    open_catalog(app)
    first = grid(app).iloc[0]
    app.session_state["catalog_grid"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    app.run()
    assert not app.exception
    assert markdown_text(first["Name"]) in [s.value for s in app.subheader]
    details = dict(app.dataframe[1].value.itertuples(index=False))
    assert details["ps id"] == first["ps id"]
    assert {"UUID", "Description", "Category (Russian)", "TSP formula", "Updated"} <= set(details)
    images = [url for image in app.image for url in image.value]
    assert images and all(url.endswith(".svg") for url in images)


def test_names_with_html_and_markdown_render_as_text(demo_env: None, app: AppTest) -> None:
    store([product("ps_html", "USD", name=HTML_NAME)])
    open_catalog(app)
    assert grid(app)["Name"].tolist() == [HTML_NAME]
    app.session_state["catalog_grid"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    app.run()
    assert markdown_text(HTML_NAME) in [s.value for s in app.subheader]
    assert dict(app.dataframe[1].value.itertuples(index=False))["Name"] == HTML_NAME
    # The sandbox does not know this product: the image request fails in words, not a crash.
    assert not app.exception
    assert any(
        e.value.startswith("**" + markdown_text("The product's images could not be loaded.") + "**")
        for e in app.error
    )


def test_charts_tab_plots_the_view(demo_env: None, app: AppTest) -> None:
    store(
        [
            product("ps_usd", "USD"),
            product("ps_loss", "USD", tsp_value=Decimal("15.00")),
            product("ps_off", "USD", tsp_enabled=False, tsp_value=None),
        ]
    )
    open_catalog(app)
    assert not app.get("plotly_chart")  # a tab's charts are built only when it is open
    app.session_state["catalog_tab"] = "Charts"
    app.run()
    assert not app.exception
    assert len(app.get("plotly_chart")) == 2
    assert any("1 product is not plotted" in c.value for c in app.caption)


# The demo sandbox's supplier ids: none of them should be shown where a name is known.
SANDBOX_SUPPLIER_IDS = {str(supplier.id) for supplier in make_suppliers()}


def test_suppliers_show_by_name_and_the_details_give_the_id(demo_env: None, app: AppTest) -> None:
    app.query_params["supplier"] = "12"  # a link from before suppliers had names
    open_catalog(app)
    rows = grid(app)
    assert "Supplier id" not in rows.columns
    assert "Lovetoy Trading" in set(rows["Supplier"])
    # Every supplier of the demo has orders, so none is left showing its id.
    assert not set(rows["Supplier"]) & SANDBOX_SUPPLIER_IDS
    assert any(
        "asks for supplier '12' by its id" in w.value and "Lovetoy Trading" in w.value
        for w in app.warning
    )

    app.multiselect(key="supplier").select("Lovetoy Trading").run()
    lovetoy = grid(app)
    assert 0 < len(lovetoy) < len(rows)
    assert set(lovetoy["Supplier"]) == {"Lovetoy Trading"}
    app.session_state["catalog_grid"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    app.run()
    details = dict(app.dataframe[1].value.itertuples(index=False))
    assert (details["Supplier"], details["Supplier id"]) == ("Lovetoy Trading", "12")


def test_an_administrator_names_a_supplier_no_order_names(
    live_env: Callable[[str], None], app: AppTest
) -> None:
    live_env()
    name = "Kadıköy <b>Toptan</b> *A.Ş.*"
    store(
        [product("ps_new", "USD", supplier_id="s-777"), product("ps_12", "USD", supplier_id="12")]
    )
    open_catalog(app)
    assert dict(zip(grid(app)["ps id"], grid(app)["Supplier"], strict=True)) == {
        "ps_new": "s-777",
        "ps_12": "Lovetoy Trading",
    }

    app.switch_page("pages/settings.py").run()
    directory = next(d.value for d in app.dataframe if "Named by" in d.value.columns)
    named_by = dict(zip(directory["Supplier id"], directory["Named by"], strict=True))
    assert (named_by["s-777"], named_by["12"]) == ("not named yet", "PleasureStock orders")
    # Only the suppliers no order names can be named here.
    supplier = next(s for s in app.selectbox if s.label == "Supplier")
    assert [o for o in supplier.options if o.startswith(("12 ", "s-777 "))] == [
        "s-777 · not named yet"
    ]
    supplier.set_value("s-777")
    next(t for t in app.text_input if t.label == "Name").input(name)
    next(b for b in app.button if b.label == "Save name").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert markdown_text(f"Supplier s-777 is now called “{name}”.") in [
        s.value for s in app.success
    ]

    open_catalog(app)
    assert set(grid(app)["Supplier"]) == {name, "Lovetoy Trading"}
