"""Hostile upstream text: what a compromised or careless PleasureStock (or file) could send.

``hostile(label)`` is a value full of Markdown links and images, bare URLs, a ``www.``
host, an e-mail address, a ``:material/skull:`` icon, the ``:streamlit:`` logo, HTML and
emphasis, with ``/``, ``?`` and ``#`` inside, all pointing at ``evil.test``.
``make_hostile(store)`` puts such values into a sandbox's products, suppliers and orders.
``leaks(text)`` names what of it would render as more than text in Streamlit Markdown,
and ``markdown_texts(at)`` collects every text of an AppTest page that Streamlit renders
as Markdown (bodies, labels, metric values, help). ``as_shown(markdown)`` is what a reader
sees of text escaped with ``lib.ui.markdown_text``, for comparing with plain words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from streamlit.testing.v1 import AppTest

from lib.sandbox.store import SandboxStore

MARK = "evil.test"


def hostile(label: str) -> str:
    """A value named ``label`` that would link, embed, fetch and format if rendered raw."""
    return (
        f"{label} [Re-enter your key here](https://{MARK}/{label}?q=1#top) "
        f"![pixel](https://{MARK}/{label}.png) https://{MARK}/bare www.{MARK} boss@{MARK} "
        f":material/skull: :streamlit: <img src=https://{MARK}/i.png> **bold**"
    )


def make_hostile(store: SandboxStore) -> dict[str, str]:
    """Hostile names in a sandbox: the first product (and its category), the supplier of
    the first order, and two orders' numbers, delivery and external ids. Returns them:
    ``product``, ``supplier``, ``order`` (a created order; no ``/`` in its number, so
    its detail loads) and ``unreachable_order`` (a ``/`` in its number)."""
    with store.lock:
        product = store.products[0]
        category = product.category and replace(product.category, name=hostile("category"))
        evil_product = replace(product, name=hostile("product"), category=category)
        store.products[0] = evil_product
        for index in (store._by_id, store._by_internal, store._by_sku):
            for key, value in list(index.items()):
                if value is product:
                    index[key] = evil_product
        created = next(o for o in store.orders if o.status == "created")
        paid = next(o for o in store.orders if o.status == "paid")
        evil_supplier = replace(created.supplier, name=hostile("supplier"))
        for order in store.orders:
            if order.supplier == created.supplier:
                order.supplier = evil_supplier
        created.order_number = hostile("order").replace("/", "|")
        paid.order_number = hostile("unreachable")
        for order in (created, paid):
            order.delivery_id = hostile("delivery")
            order.external_order_id = hostile("external")
    return {
        "product": evil_product.name,
        "supplier": evil_supplier.name,
        "order": created.order_number,
        "unreachable_order": paid.order_number,
    }


_ESCAPED = re.compile(r"\\[!-/:-@\[-`{-~]")
# Markdown structure: only unescaped punctuation builds it.
_STRUCTURE = ("](", "![", "<img", "**bold")
# Found by Streamlit in the text after escapes are resolved (autolinks, icons, logo).
_AFTER_ESCAPES = re.compile(
    rf"://{re.escape(MARK)}|www\.{re.escape(MARK)}|@{re.escape(MARK)}|:material[/_]skull:|:streamlit:"
)


def as_shown(markdown: str) -> str:
    """``markdown`` as the reader sees it: backslash escapes resolved, word joiners dropped."""
    return _ESCAPED.sub(lambda match: match.group()[1], markdown).replace("\u2060", "")


def leaks(text: str) -> list[str]:
    """What of the hostile values in ``text`` Streamlit Markdown would render as more than text."""
    if MARK not in text.replace("\u2060", "").replace("\\", ""):
        return []
    structure = _ESCAPED.sub("§", text)
    found = [pattern for pattern in _STRUCTURE if pattern in structure]
    resolved = _ESCAPED.sub(lambda match: match.group()[1], text)
    return found + _AFTER_ESCAPES.findall(resolved)


def markdown_texts(at: AppTest) -> Iterator[str]:
    """Every text on the page that Streamlit renders as Markdown, sidebar included."""

    def walk(node: Any) -> Iterator[str]:
        proto = getattr(node, "proto", None)
        for field in ("body", "label", "help", "placeholder"):
            value = getattr(proto, field, None)
            if isinstance(value, str) and value:
                yield value
        expandable = getattr(proto, "expandable", None)
        if expandable is not None and expandable.label:
            yield expandable.label
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    yield from walk(at._tree)
