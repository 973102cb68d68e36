"""The PSRESTful sandbox itself: the same seed gives the same data, the seeded shares
hold by construction, and the fixed product paths are routed before ``{product_id}``."""

from __future__ import annotations

from collections import Counter

import httpx

from lib.sandbox.psrestful import RunningPsRestfulSandbox
from lib.sandbox.psrestful import config as seeded
from lib.sandbox.psrestful.store import PsRestfulStore

from .conftest import API_KEY, sandbox_config


def test_the_same_seed_gives_the_same_data() -> None:
    one, two = PsRestfulStore(sandbox_config()), PsRestfulStore(sandbox_config())
    assert [(s.extra_id, s.product_id, s.parts, s.breaks) for s in one.styles] == [
        (s.extra_id, s.product_id, s.parts, s.breaks) for s in two.styles
    ]
    assert one.inventory == two.inventory


def test_the_seeded_shares_hold() -> None:
    store = PsRestfulStore(sandbox_config())
    parts = [(s.supplier, p["partId"]) for s in store.styles for p in s.parts]
    assert len(parts) == seeded.PART_COUNT == len(set(parts))
    per_code = Counter(part for _, part in parts)
    assert sum(1 for n in per_code.values() if n == 2) == seeded.AMBIGUOUS_CODES
    assert {s.supplier for s in store.styles} == set(seeded.SUPPLIERS)


def test_fixed_product_paths_are_routed_before_a_product_id(
    sandbox: RunningPsRestfulSandbox,
) -> None:
    headers = {"X-API-Key": API_KEY}
    root = f"{sandbox.base_url}/extra/v2/products"
    first = sandbox.store.styles[0]
    metas = httpx.get(f"{root}/metafields", params={"extra_id": first.extra_id}, headers=headers)
    assert metas.json()["results"][0]["productId"] == first.product_id
    wanted = {"supplier_code": first.supplier, "product_id": first.product_id}
    found = httpx.get(f"{root}/get-extra-id/", params=wanted, headers=headers)
    assert found.json()["extraId"] == first.extra_id
    titled = {"supplier_code": first.supplier, "title": first.name.upper()}
    by_title = httpx.get(f"{root}/get-metafields-by-title/", params=titled, headers=headers)
    assert by_title.json()["extraId"] == first.extra_id
    assert "metafields" not in sandbox.store.product_path_ids
