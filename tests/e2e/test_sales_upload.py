"""Sales upload in Chromium: upload a shop export, fix the column mapping, send, see the result."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from lib.sandbox.store import SandboxStore
from tests.e2e.conftest import RunningApp, assert_no_exception, choose_option, metric, wait_for_app


def shop_export(folder: Path) -> Path:
    """Windows-1254, semicolons, decimal commas, two warehouses, and a quantity column
    ("Çıkış") that the mapping guess does not recognise."""
    products = SandboxStore(seed=42, today=date.today()).products[:5]
    lines = ["Ürün Kodu;Tarih;Çıkış;Stok;Depo"]
    for n, product in enumerate(products):
        for back in (1, 2, 3):
            day = (date.today() - timedelta(days=back)).strftime("%d.%m.%Y")
            lines.append(f"{product.sku};{day};{n + back};{10 * n};Kadıköy")
            lines.append(f"{product.sku};{day};1,0;5;Beşiktaş")
    path = folder / "satis.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1254"))
    return path


def test_upload_fix_the_mapping_and_send(
    start_app: Callable[..., RunningApp], page: Page, tmp_path: Path
) -> None:
    app = start_app()
    page.goto(app.url)  # the Overview fetches the catalog on a fresh database
    wait_for_app(page)
    expect(metric(page, "Products in snapshot")).to_contain_text(re.compile(r"\d,\d{3}"))
    page.goto(f"{app.url}/sales-upload")
    wait_for_app(page)

    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(shop_export(tmp_path))
    wait_for_app(page)
    expect(page.get_by_text("Choose the column that holds the quantity sold.")).to_be_visible()

    quantity_box = page.get_by_test_id("stSelectbox").filter(has_text="Quantity sold")
    assert choose_option(page, quantity_box, "Çıkış") == "Çıkış"
    wait_for_app(page)
    assert_no_exception(page)
    expect(metric(page, "Good rows")).to_contain_text("30")
    expect(metric(page, "To send")).to_contain_text("15")

    page.get_by_role("button", name=re.compile(r"Send 15 rows in 1 batch")).click()
    wait_for_app(page)
    assert_no_exception(page)
    expect(page.get_by_text(re.compile(r"15 of 15 rows are stored"))).to_be_visible()
    # Once: a fragment's rerun may leave the previous run's copy for a moment.
    expect(page.get_by_text("Nothing new to send")).to_have_count(1)
    expect(page.get_by_text("Nothing new to send")).to_be_visible()
