"""The permission table, cost columns, and roles from identity-token claims."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.access.policy import (
    ALL_PAGES,
    LOCAL_USER,
    Action,
    Admission,
    Role,
    User,
    admission,
    can,
    can_open,
    can_set_order_status,
    demo_user,
    describe_permissions,
    email_of,
    hide_cost_columns,
    is_cost_column,
    roles_from_claims,
    signed_in_user,
    verified_email,
    visible_columns,
)
from lib.pleasurestock.models import ORDER_STATUSES
from lib.ui.shell import PAGES

# The table, written out by hand: role -> pages (URL paths) and actions.
EXPECTED_PAGES = {
    Role.PURCHASING: {"", "catalog", "reorder", "orders"},
    Role.FINANCE: {"", "catalog", "pricing", "orders"},
    Role.STAFF: {"sales-upload"},
    Role.ADMIN: {"", "catalog", "pricing", "sales-upload", "reorder", "orders", "settings"},
}
EXPECTED_ACTIONS = {
    Role.PURCHASING: {Action.SEE_COSTS, Action.CREATE_ORDERS, Action.CHANGE_ORDER_STATUS},
    Role.FINANCE: {Action.SEE_COSTS, Action.EDIT_FORMULAS, Action.MARK_PAYMENTS},
    Role.STAFF: {Action.UPLOAD_SALES},
    Role.ADMIN: set(Action),
}


def test_the_access_pages_are_the_app_pages() -> None:
    assert set(ALL_PAGES) == {spec.url_path for spec in PAGES}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("page", ALL_PAGES)
def test_who_may_open_which_page(role: Role, page: str) -> None:
    assert can_open(role, page) == (page in EXPECTED_PAGES[role])


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_who_may_do_what(role: Role, action: Action) -> None:
    assert can(role, action) == (action in EXPECTED_ACTIONS[role])


def test_several_roles_get_the_union_and_no_role_gets_nothing() -> None:
    both = {Role.PURCHASING, Role.FINANCE}
    assert can_open(both, "pricing") and can_open(both, "reorder")
    assert can(both, Action.CREATE_ORDERS) and can(both, Action.MARK_PAYMENTS)
    assert not can_open(both, "settings")
    assert not any(can_open(frozenset(), page) for page in ALL_PAGES)
    assert not any(can(set(), action) for action in Action)


def test_unknown_page_is_closed_even_to_admin() -> None:
    assert not can_open(Role.ADMIN, "no-such-page")


def test_payments_are_finance_and_other_status_changes_purchasing() -> None:
    assert can_set_order_status(Role.FINANCE, "paid")
    assert can_set_order_status(Role.FINANCE, "part_paid")
    assert not can_set_order_status(Role.FINANCE, "on_the_way")
    assert not can_set_order_status(Role.PURCHASING, "paid")
    assert can_set_order_status(Role.PURCHASING, "cancelled")
    assert not any(can_set_order_status(Role.STAFF, status) for status in ORDER_STATUSES)
    assert all(can_set_order_status(Role.ADMIN, status) for status in ORDER_STATUSES)


@pytest.mark.parametrize(
    "name",
    [
        "tcc_total_cost",
        "TCC (TRY)",
        "tcc_coefficient",
        "tcc_currency",
        "Unit cost",
        "Margin %",
        "gross_margin_try",
        "Markup",
        "tsp_formula",
        "Purchase price",
        "Wholesale (EUR)",
        "price",
        "unitPrice",
        "Total price",
        "totalAmount",
    ],
)
def test_cost_columns(name: str) -> None:
    assert is_cost_column(name)


@pytest.mark.parametrize(
    "name", ["sku", "name", "tsp_value", "TSP (TRY)", "Selling price", "quantity", "stock_on_hand"]
)
def test_other_columns(name: str) -> None:
    assert not is_cost_column(name)


CATALOG = pd.DataFrame(
    {
        "sku": ["A-1", "B-2"],
        "name": ["Candle", "Lamp"],
        "price": ["8.00", "12.50"],
        "tcc_total_cost": ["16.00", "25.00"],
        "tsp_value": ["29.90", "44.90"],
        "Margin %": ["46.5", "44.3"],
    }
)


def test_staff_tables_and_exports_lose_the_cost_columns() -> None:
    shown = hide_cost_columns(CATALOG, Role.STAFF)
    assert list(shown.columns) == ["sku", "name", "tsp_value"]
    exported = shown.to_csv(index=False)
    assert exported.splitlines()[0] == "sku,name,tsp_value"
    assert "16.00" not in exported and "8.00" not in exported and "46.5" not in exported


@pytest.mark.parametrize("role", [Role.PURCHASING, Role.FINANCE, Role.ADMIN])
def test_roles_that_see_costs_keep_every_column(role: Role) -> None:
    assert hide_cost_columns(CATALOG, role).equals(CATALOG)
    assert visible_columns(["sku", "tcc_total_cost"], role) == ["sku", "tcc_total_cost"]


def test_staff_with_another_role_sees_costs() -> None:
    assert list(hide_cost_columns(CATALOG, {Role.STAFF, Role.FINANCE}).columns) == list(
        CATALOG.columns
    )


@pytest.mark.parametrize(
    ("claims", "roles"),
    [
        ({"roles": ["Finance"]}, {Role.FINANCE}),
        ({"roles": "PURCHASING"}, {Role.PURCHASING}),
        ({"groups": [" staff ", "Everyone"]}, {Role.STAFF}),
        ({"roles": ["admin"], "groups": ["finance"]}, {Role.ADMIN, Role.FINANCE}),
        ({"roles": ["Domain Users", "sales"]}, set()),
        ({"roles": None, "groups": 7}, set()),
        ({}, set()),
    ],
)
def test_roles_from_claims(claims: dict[str, object], roles: set[Role]) -> None:
    assert roles_from_claims(claims) == roles


def test_email_claim_then_login_name() -> None:
    assert email_of({"email": " Ayse@Example.COM "}) == "ayse@example.com"
    assert email_of({"preferred_username": "it@example.com"}) == "it@example.com"
    assert email_of({"sub": "123"}) is None


def user_of(
    claims: dict[str, object],
    *,
    assigned: Role | None = None,
    admin_emails: frozenset[str] = frozenset(),
    verified_claim: str = "email_verified",
) -> User:
    """``signed_in_user`` with a fixed assigned role for whatever address it asks about."""
    return signed_in_user(
        claims,
        verified_claim=verified_claim,
        assigned_role=lambda email: assigned,
        admin_emails=admin_emails,
    )


def test_token_roles_win_over_the_assigned_role() -> None:
    user = user_of(
        {"email": "a@x.com", "email_verified": True, "roles": ["finance"]}, assigned=Role.STAFF
    )
    assert (user.actor, user.roles, user.roles_from) == (
        "a@x.com",
        {Role.FINANCE},
        "identity provider",
    )


def test_assigned_role_when_the_token_names_none() -> None:
    user = user_of(
        {"email": "a@x.com", "email_verified": True, "groups": ["Everyone"]}, assigned=Role.STAFF
    )
    assert (user.roles, user.roles_from) == ({Role.STAFF}, "assigned in StockDesk")


def test_listed_admins_are_admins_and_unknown_people_have_no_role() -> None:
    admin = user_of({"email": "IT@x.com", "email_verified": True}, admin_emails={"it@x.com"})
    assert (admin.roles, admin.roles_from) == ({Role.ADMIN}, "STOCKDESK_ADMIN_EMAILS")
    nobody = user_of({"sub": "42"}, admin_emails={"it@x.com"})
    assert (nobody.actor, nobody.roles, nobody.role_labels) == ("sub:42", set(), "no role")


@pytest.mark.parametrize(
    "claims",
    [
        {"email": "Boss@Example.com", "email_verified": False},
        {"email": "boss@example.com", "email_verified": "false"},
        {"email": "boss@example.com"},
        {"preferred_username": "boss@example.com", "email_verified": True},
        {"upn": "boss@example.com", "email_verified": True},
    ],
)
def test_privileges_never_go_by_an_unverified_address(claims: dict[str, object]) -> None:
    asked: list[str] = []

    def assigned(email: str) -> Role:
        asked.append(email)
        return Role.FINANCE

    user = signed_in_user(
        claims,
        verified_claim="email_verified",
        assigned_role=assigned,
        admin_emails={"boss@example.com"},
    )
    assert (user.roles, user.email_verified, asked) == (set(), False, [])
    assert user.actor == "boss@example.com (unverified)"


def test_a_verified_address_by_the_standard_or_the_operators_claim() -> None:
    claims = {"email": " Boss@Example.com ", "email_verified": "True", "xms_edov": True}
    assert verified_email(claims, verified_claim="email_verified") == "boss@example.com"
    assert verified_email(claims, verified_claim="xms_edov") == "boss@example.com"
    assert verified_email(claims, verified_claim="other") is None
    user = user_of(
        {"email": "Boss@Example.com", "xms_edov": True},
        admin_emails={"boss@example.com"},
        verified_claim="xms_edov",
    )
    assert (user.actor, user.roles, user.email_verified) == ("boss@example.com", {Role.ADMIN}, True)


@pytest.mark.parametrize(
    ("sign_in", "demo", "allowed", "expected"),
    [
        (True, False, False, Admission.SIGN_IN),
        (True, True, True, Admission.SIGN_IN),
        (False, True, False, Admission.DEMO),
        (False, False, False, Admission.CLOSED),
        (False, False, True, Admission.ANONYMOUS),
    ],
)
def test_live_mode_without_sign_in_is_closed_unless_the_operator_allows_it(
    sign_in: bool, demo: bool, allowed: bool, expected: Admission
) -> None:
    assert (
        admission(sign_in_configured=sign_in, demo_mode=demo, allow_anonymous=allowed) == expected
    )


def test_demo_and_local_users_as_the_audit_log_names_them() -> None:
    assert demo_user(Role.FINANCE).actor == "demo:finance"
    assert demo_user(Role.FINANCE).roles == {Role.FINANCE}
    assert (LOCAL_USER.actor, LOCAL_USER.roles) == ("local user", {Role.ADMIN})


def test_describe_permissions_names_pages_by_title() -> None:
    rows = describe_permissions({spec.url_path: spec.title for spec in PAGES})
    staff = next(row for row in rows if row["Role"] == "Staff")
    assert staff == {"Role": "Staff", "Pages": "Sales upload", "Actions": "upload sales"}
