"""Saving the reorder settings table on each backend: every row is checked before anything
is stored, an error names the supplier and the field, a save is stored and audited once."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker

from lib.db import UnitOfWork
from lib.reorder.settings import (
    SettingsError,
    SupplierSettings,
    load_reorder_settings,
    save_reorder_settings,
    stored_settings,
)

ACTOR = "buyer@example.com"
AT = datetime(2025, 11, 10, 9, 0, tzinfo=UTC)


def row(supplier: str, **values: object) -> dict[str, object]:
    """A row of the settings table as the page's editor gives it (floats where typed)."""
    return {
        "supplier": supplier,
        "name": "defaults" if supplier == "*" else f"Supplier {supplier}",
        "lead_time_days": 7,
        "service_level": 0.95,
        "review_period_days": 7,
        "moq": 1,
        "case_pack": 1,
    } | values


def audit_entries(session_factory: sessionmaker[Session]) -> list[tuple[str, str, object]]:
    with UnitOfWork(session_factory) as uow:
        return [(e.actor, e.action, e.after) for e in uow.audit.recent()]


def test_a_save_stores_every_row_exactly_and_audits_it_once(
    session_factory: sessionmaker[Session],
) -> None:
    saved = save_reorder_settings(
        session_factory,
        [row("*", lead_time_days=5.0), row("s1", service_level=0.975, moq=12, case_pack=6)],
        actor=ACTOR,
        now=lambda: AT,
    )

    assert saved == load_reorder_settings(session_factory)
    default, per_supplier = stored_settings(saved)
    assert default == SupplierSettings(lead_time_days=5)
    assert per_supplier == {"s1": SupplierSettings(7, 0.975, 7, 12, 6)}
    assert saved[1].service_level == Decimal("0.975")
    assert {(r.updated_by, r.updated_at) for r in saved} == {(ACTOR, AT)}
    [(actor, action, after)] = audit_entries(session_factory)
    assert (actor, action) == (ACTOR, "reorder.settings")
    assert after[1] == {
        "supplier": "s1",
        "service_level": "0.975",
        "lead_time_days": 7,
        "review_period_days": 7,
        "moq": 12,
        "case_pack": 6,
    }

    # A second save replaces that supplier's row and is audited on its own.
    save_reorder_settings(session_factory, [row("s1", lead_time_days=3)], actor="other")
    assert [r.lead_time_days for r in load_reorder_settings(session_factory)] == [5, 3]
    assert [entry[0] for entry in audit_entries(session_factory)] == ["other", ACTOR]


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        ({"service_level": 1.5}, "service_level", "service level must be at least 0.5 and below 1"),
        ({"lead_time_days": -1}, "lead_time_days", "lead time must be zero or more days"),
        ({"case_pack": 0}, "case_pack", "case pack must be at least 1"),
        ({"moq": 2.5}, "moq", "MOQ must be a whole number, not 2.5"),
        ({"review_period_days": float("nan")}, "review_period_days", "but it is empty"),
        ({"service_level": "high"}, "service_level", "must be a number such as 0.95, not 'high'"),
    ],
)
def test_a_row_out_of_range_is_refused_naming_the_supplier_and_nothing_is_stored(
    session_factory: sessionmaker[Session], values: dict[str, object], field: str, says: str
) -> None:
    rows = [row("*"), row("s1", **values), row("s2")]

    with pytest.raises(SettingsError) as refused:
        save_reorder_settings(session_factory, rows, actor=ACTOR)

    assert (refused.value.supplier, refused.value.field) == ("s1", field)
    assert str(refused.value).startswith("Settings for supplier Supplier s1 (s1): ")
    assert says in str(refused.value)
    assert load_reorder_settings(session_factory) == []
    assert audit_entries(session_factory) == []


def test_the_defaults_and_rows_without_a_supplier_are_named_as_such(
    session_factory: sessionmaker[Session],
) -> None:
    with pytest.raises(SettingsError, match=r"^Settings for the defaults \(\*\): MOQ must"):
        save_reorder_settings(session_factory, [row("*", moq=0)], actor=ACTOR)
    with pytest.raises(SettingsError, match="supplier id is missing"):
        save_reorder_settings(session_factory, [row("")], actor=ACTOR)
    assert save_reorder_settings(session_factory, [], actor=ACTOR) == []
    assert audit_entries(session_factory) == []
