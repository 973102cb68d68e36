"""Products: auth, paging, include flags, id batches, search, supplier filter, single product."""

from __future__ import annotations

import math

import httpx
import pytest

from lib.sandbox import RunningSandbox

API_KEY = "pk_test_sandbox"
TCC_FIELDS = {"tcc_enabled", "tcc_coefficient", "tcc_total_cost", "tcc_currency"}
TSP_FIELDS = {"tsp_enabled", "tsp_value", "tsp_formula", "tsp_currency"}
CATEGORY_FIELDS = {"category_id", "category_name", "category_name_en"}


def _all_products(std: httpx.Client, **params: object) -> list[dict]:
    first = std.get("/products", params={"limit": 1000, **params}).json()
    pages = [first["data"]]
    for page in range(2, first["pagination"]["pages"] + 1):
        more = std.get("/products", params={"limit": 1000, "page": page, **params})
        pages.append(more.json()["data"])
    return [p for chunk in pages for p in chunk]


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/products", {}),
        ("/products", {"X-API-Key": "wrong"}),
        ("/products", {"Authorization": f"Bearer {API_KEY}"}),
        ("/external/orders", {}),
        ("/external/orders", {"X-API-Key": API_KEY}),
        ("/external/orders", {"Authorization": "Bearer nope"}),
    ],
)
def test_missing_or_wrong_key_is_401(sandbox: RunningSandbox, path: str, headers: dict) -> None:
    response = httpx.get(sandbox.base_url + path, headers=headers)
    assert response.status_code == 401
    body = response.json()
    assert body["success"] is False and body["error"] and body["message"]


def test_paging_is_consistent_and_covers_the_catalog(std: httpx.Client) -> None:
    first = std.get("/products", params={"limit": 250}).json()
    pagination = first["pagination"]
    assert pagination["total"] >= 2600
    assert pagination["pages"] == math.ceil(pagination["total"] / 250)
    seen: list[str] = []
    for page in range(1, pagination["pages"] + 1):
        body = std.get("/products", params={"limit": 250, "page": page}).json()
        assert body["pagination"]["page"] == page
        seen.extend(p["id"] for p in body["data"])
    assert len(seen) == len(set(seen)) == pagination["total"]
    assert std.get("/products").json()["pagination"]["limit"] == 100


@pytest.mark.parametrize(
    "params",
    [{"limit": 1001}, {"limit": 0}, {"page": 0}, {"page": "x"}, {"limit": "1.5"}],
)
def test_bad_paging_is_400(std: httpx.Client, params: dict) -> None:
    response = std.get("/products", params=params)
    assert response.status_code == 400
    assert response.json()["success"] is False


def test_include_flags_add_exactly_their_fields(std: httpx.Client) -> None:
    plain = std.get("/products", params={"limit": 5}).json()["data"][0]
    assert not (set(plain) & (TCC_FIELDS | TSP_FIELDS | CATEGORY_FIELDS | {"images"}))
    full = std.get(
        "/products",
        params={
            "limit": 5,
            "includeCategory": "true",
            "includeTcc": "1",
            "includeTsp": "true",
            "withImages": "true",
        },
    ).json()["data"][0]
    assert set(full) - set(plain) == TCC_FIELDS | TSP_FIELDS | CATEGORY_FIELDS | {"images"}
    only_tcc = std.get("/products", params={"limit": 5, "includeTcc": "true"}).json()["data"][0]
    assert set(only_tcc) - set(plain) == TCC_FIELDS


def test_images_are_served_by_the_sandbox(std: httpx.Client) -> None:
    product = std.get("/products", params={"limit": 1, "withImages": "true"}).json()["data"][0]
    image = httpx.get(product["images"][0])
    assert image.status_code == 200
    assert image.headers["content-type"].startswith("image/svg+xml")
    assert product["sku"] in image.text


def test_ids_batch_mixes_uuid_and_ps_ids(std: httpx.Client) -> None:
    some = std.get("/products", params={"limit": 4}).json()["data"]
    ids = [some[0]["id"], some[1]["internal_id"], some[2]["internal_id"], "ps_unknown999"]
    body = std.get("/products", params={"ids": ",".join(ids)}).json()
    assert {p["id"] for p in body["data"]} == {p["id"] for p in some[:3]}
    assert body["pagination"]["total"] == 3


def test_search_and_supplier_filter(std: httpx.Client) -> None:
    found = std.get("/products", params={"search": "vIbRaToR", "limit": 1000}).json()
    assert found["pagination"]["total"] > 0
    for p in found["data"]:
        assert "vibrator" in (p["name"] + p["sku"] + p["description"]).lower()
    by_sku = std.get("/products", params={"search": "lub-1"}).json()["data"]
    assert by_sku and all(p["sku"].startswith("LUB-") for p in by_sku)
    supplier = std.get("/products", params={"supplier_id": 12, "limit": 1000}).json()
    assert supplier["pagination"]["total"] > 0
    assert {p["supplier_id"] for p in supplier["data"]} == {12}


def test_single_product_by_either_id_with_images_by_default(std: httpx.Client) -> None:
    listed = std.get("/products", params={"limit": 1}).json()["data"][0]
    by_ps = std.get(f"/products/{listed['internal_id']}").json()["data"]
    by_uuid = std.get(f"/products/{listed['id']}", params={"includeTsp": "true"}).json()["data"]
    assert by_ps["id"] == by_uuid["id"] == listed["id"]
    assert by_ps["images"]
    assert set(by_uuid) >= TSP_FIELDS
    assert (
        "images"
        not in std.get(f"/products/{listed['id']}", params={"withImages": "false"}).json()["data"]
    )


def test_unknown_product_path_and_method_errors(std: httpx.Client) -> None:
    missing = std.get("/products/ps_doesnotexist")
    assert missing.status_code == 404 and missing.json()["success"] is False
    assert std.get("/no-such-endpoint").status_code == 404
    wrong_method = std.delete("/products")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"]


def test_whole_catalog_via_limit_1000(std: httpx.Client) -> None:
    products = _all_products(std, includeTcc="true")
    assert len(products) >= 2600
    assert len({p["sku"] for p in products}) == len(products)
