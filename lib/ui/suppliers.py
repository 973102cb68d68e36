"""The supplier directory for the pages: names learnt from the orders, at most every two
minutes (with the order list's cache), then read from the database."""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from lib.catalog.suppliers import learn_supplier_names, stored_supplier_names
from lib.pleasurestock import PleasureStockClient, PleasureStockError
from lib.ui.loaders import order_listing
from lib.ui.resources import AppContext
from lib.ui.shell import current_actor
from lib.ui.widgets import markdown_text


@dataclass(frozen=True)
class SupplierNames:
    """Supplier id -> name, and why the names could not be learnt afresh (None if they were)."""

    names: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    @property
    def key(self) -> tuple[tuple[str, str], ...]:
        """The names as a hashable cache key."""
        return tuple(sorted(self.names.items()))


# Cached so that a page rerun neither asks PleasureStock nor writes; a failure is cached
# too (as its message), so a page is not slowed by retries on every rerun.
@st.cache_data(ttl=120, max_entries=4, show_spinner="Reading supplier names from the orders…")
def _learn_from_orders(
    _client: PleasureStockClient,
    _session_factory: sessionmaker[Session],
    _actor: str,
    base_url: str,
    database_url: str,
) -> str | None:
    try:
        orders = order_listing(_client, base_url).orders
        learn_supplier_names(_client, _session_factory, orders, actor=_actor)
    except PleasureStockError as error:
        return str(error)
    return None


def supplier_names(context: AppContext) -> SupplierNames:
    """The directory's names, learnt from PleasureStock's orders first when due; says in a
    caption when they could not be learnt now."""
    error = _learn_from_orders(
        context.client,
        context.session_factory,
        current_actor(),
        context.client.base_url,
        context.settings.stockdesk_database_url,
    )
    names = stored_supplier_names(context.session_factory)
    if error:
        st.caption(
            "Supplier names could not be read from PleasureStock's orders just now, so the "
            f"stored ones are shown and a supplier without one shows its id. {markdown_text(error)}"
        )
    return SupplierNames(names, error)
