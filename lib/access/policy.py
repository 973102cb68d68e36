"""Who may open which page and do what: the one permission table, and roles from sign-in claims.

Pages are named by their URL path (``lib.ui.shell.PAGES``; ``""`` is Overview). A
user may hold several roles and then gets the union of their permissions. Roles come
from the identity token's ``roles`` or ``groups`` claim, matched case-insensitively;
when the token names none of ours, the role an administrator assigned in StockDesk
applies. The addresses in ``STOCKDESK_ADMIN_EMAILS`` are always administrators, so a
new installation can be set up before anyone has a role. Assigned roles and listed
administrators match only an ``email`` the provider says it verified: anyone may type
any address into an unverified claim or a login name.

Without sign-in (``admission``): the demo lets a visitor pick a role; the live API is
closed to everyone unless the operator explicitly allows anonymous use, which makes
every visitor an administrator.

Cost columns: roles without ``see_costs`` must not see cost, TCC or margin figures, in
a table or in an export. ``hide_cost_columns`` drops every column whose name matches
``COST_COLUMN_PATTERNS`` or ``SUPPLIER_PRICE_COLUMNS`` (see there).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd


class Role(StrEnum):
    """A group of StockDesk users with the same permissions."""

    PURCHASING = "purchasing"
    FINANCE = "finance"
    STAFF = "staff"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """The role as people read it: ``Purchasing``."""
        return self.value.capitalize()


class Action(StrEnum):
    """Something a page lets a user do, beyond opening it."""

    SEE_COSTS = "see_costs"
    EDIT_FORMULAS = "edit_formulas"
    UPLOAD_SALES = "upload_sales"
    CREATE_ORDERS = "create_orders"
    CHANGE_ORDER_STATUS = "change_order_status"
    MARK_PAYMENTS = "mark_payments"
    MANAGE_SETTINGS = "manage_settings"
    MANAGE_ROLES = "manage_roles"


# URL paths of the app's pages, as in lib.ui.shell.PAGES (a test keeps the two in step).
OVERVIEW, CATALOG, PRICING, SALES_UPLOAD, REORDER, ORDERS, SETTINGS = (
    "",
    "catalog",
    "pricing",
    "sales-upload",
    "reorder",
    "orders",
    "settings",
)
ALL_PAGES: tuple[str, ...] = (OVERVIEW, CATALOG, PRICING, SALES_UPLOAD, REORDER, ORDERS, SETTINGS)


@dataclass(frozen=True)
class Grant:
    """The pages (URL paths) a role may open and the actions it may take."""

    pages: frozenset[str]
    actions: frozenset[Action]


PERMISSIONS: Mapping[Role, Grant] = {
    Role.PURCHASING: Grant(
        pages=frozenset({OVERVIEW, CATALOG, REORDER, ORDERS}),
        actions=frozenset({Action.SEE_COSTS, Action.CREATE_ORDERS, Action.CHANGE_ORDER_STATUS}),
    ),
    # Finance reads orders and records payments; creating orders is purchasing's job.
    Role.FINANCE: Grant(
        pages=frozenset({OVERVIEW, CATALOG, PRICING, ORDERS}),
        actions=frozenset({Action.SEE_COSTS, Action.EDIT_FORMULAS, Action.MARK_PAYMENTS}),
    ),
    # Shop staff report sales and must never see what the shop pays.
    Role.STAFF: Grant(
        pages=frozenset({SALES_UPLOAD}),
        actions=frozenset({Action.UPLOAD_SALES}),
    ),
    Role.ADMIN: Grant(pages=frozenset(ALL_PAGES), actions=frozenset(Action)),
}

# Order statuses that record money paid to the supplier: finance's call, not purchasing's.
PAYMENT_STATUSES = frozenset({"part_paid", "paid"})

# A column is a cost column when its normalised name (camelCase split, lower case, runs
# of anything but letters and digits turned into "_") contains one of these...
COST_COLUMN_PATTERNS: tuple[str, ...] = (
    "tcc",  # total cost with the coefficient, its currency, enabled flag
    "cost",
    "margin",
    "coefficient",
    "markup",
    "formula",  # a pricing formula spells out the coefficient or markup
    "purchase",  # purchase price, purchase value
    "wholesale",
    # A Stock2Shop named tier: its name is the account's free text, and whether it holds
    # a cost only the account knows (NOTES-peers.md 1.5.4), so every tier counts as one.
    # Stock2Shop's own ``price`` is the shop's selling price, like TSP, and stays visible.
    "tier",
)
# ...or is exactly one of these: PleasureStock's own price fields are what the shop pays
# (a selling price, TSP, is not a cost and stays visible).
SUPPLIER_PRICE_COLUMNS = frozenset({"price", "unit_price", "total_price", "total_amount"})

Roles = Role | Collection[Role]


def _roles(roles: Roles) -> frozenset[Role]:
    return frozenset({roles}) if isinstance(roles, Role) else frozenset(roles)


def grant_of(roles: Roles) -> Grant:
    """The union of the permissions of ``roles`` (nothing for no role)."""
    grants = [PERMISSIONS[role] for role in _roles(roles)]
    return Grant(
        pages=frozenset().union(*(g.pages for g in grants)),
        actions=frozenset().union(*(g.actions for g in grants)),
    )


def can_open(roles: Roles, url_path: str) -> bool:
    """True when any of ``roles`` may open the page at ``url_path`` (``""`` is Overview)."""
    return url_path in grant_of(roles).pages


def can(roles: Roles, action: Action) -> bool:
    """True when any of ``roles`` may take ``action``."""
    return action in grant_of(roles).actions


def can_set_order_status(roles: Roles, status: str) -> bool:
    """True when ``roles`` may move an order to ``status`` (payments need ``mark_payments``)."""
    needed = Action.MARK_PAYMENTS if status in PAYMENT_STATUSES else Action.CHANGE_ORDER_STATUS
    return can(roles, needed)


def is_cost_column(name: object) -> bool:
    """True when a column called ``name`` holds costs, TCC or margins (see the module doc)."""
    split = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", str(name))
    normalised = re.sub(r"[^0-9a-z]+", "_", split.lower()).strip("_")
    return normalised in SUPPLIER_PRICE_COLUMNS or any(
        pattern in normalised for pattern in COST_COLUMN_PATTERNS
    )


def visible_columns(columns: Iterable[Any], roles: Roles) -> list[Any]:
    """``columns`` in order, without the cost columns unless ``roles`` may see costs."""
    if can(roles, Action.SEE_COSTS):
        return list(columns)
    return [column for column in columns if not is_cost_column(column)]


def hide_cost_columns(frame: pd.DataFrame, roles: Roles) -> pd.DataFrame:
    """``frame`` without cost, TCC and margin columns for roles without ``see_costs``.

    Use it on every table a page shows and on every frame it exports.
    """
    return frame[visible_columns(frame.columns, roles)]


def parse_role(value: object) -> Role | None:
    """Our role named by a claim value, ignoring case and surrounding blanks; else None."""
    try:
        return Role(str(value).strip().lower())
    except ValueError:
        return None


def roles_from_claims(claims: Mapping[str, Any]) -> frozenset[Role]:
    """Our roles named in the ``roles`` and ``groups`` claims (each a list or one string).

    Values that are not StockDesk roles (other applications' groups) are ignored.
    """
    found: set[Role] = set()
    for claim in ("roles", "groups"):
        values = claims.get(claim)
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list | tuple):
            continue
        found |= {role for role in map(parse_role, values) if role is not None}
    return frozenset(found)


def email_of(claims: Mapping[str, Any]) -> str | None:
    """The address the person signed in with, lower case: ``email``, else the login name.

    For display and the audit log only; privileges go by ``verified_email``.
    """
    for claim in ("email", "preferred_username", "upn"):
        value = claims.get(claim)
        if isinstance(value, str) and value.strip():
            return value.strip().lower()
    return None


def verified_email(claims: Mapping[str, Any], *, verified_claim: str) -> str | None:
    """The ``email`` claim in lower case when ``verified_claim`` is true; else None.

    ``verified_claim`` is ``email_verified`` for standard OpenID Connect providers; some
    send the flag as the string ``"true"``.
    """
    flag = claims.get(verified_claim)
    verified = flag is True or (isinstance(flag, str) and flag.strip().lower() == "true")
    email = claims.get("email")
    if not verified or not isinstance(email, str) or not email.strip():
        return None
    return email.strip().lower()


@dataclass(frozen=True)
class User:
    """The person using StockDesk, as the audit log names them, and their roles."""

    actor: str
    roles: frozenset[Role]
    # Where the roles came from, for the sidebar: "identity provider", "assigned in StockDesk"...
    roles_from: str
    # False for a signed-in person whose provider does not vouch for their address.
    email_verified: bool = True

    @property
    def role_labels(self) -> str:
        """``Finance, Purchasing``, or ``no role``."""
        return ", ".join(sorted(role.label for role in self.roles)) or "no role"


def signed_in_user(
    claims: Mapping[str, Any],
    *,
    verified_claim: str,
    assigned_role: Callable[[str], Role | None],
    admin_emails: Collection[str],
) -> User:
    """The user behind an identity token: its roles, else the assigned one; listed admins added.

    ``assigned_role(address)`` looks up the role stored in StockDesk. It and
    ``admin_emails`` are consulted only for a verified address (``verified_email``).
    The actor is the verified address; an unverified one is marked ``(unverified)``,
    and a token without any address is named by its subject.
    """
    email = verified_email(claims, verified_claim=verified_claim)
    shown = email_of(claims)
    if email is not None:
        actor = email
    elif shown is not None:
        actor = f"{shown} (unverified)"
    else:
        actor = f"sub:{claims.get('sub', 'unknown')}"
    roles, sources = roles_from_claims(claims), []
    if roles:
        sources.append("identity provider")
    elif email is not None and (assigned := assigned_role(email)) is not None:
        roles = frozenset({assigned})
        sources.append("assigned in StockDesk")
    if email is not None and email in {address.strip().lower() for address in admin_emails}:
        roles |= {Role.ADMIN}
        sources.append("STOCKDESK_ADMIN_EMAILS")
    return User(
        actor=actor,
        roles=roles,
        roles_from=" + ".join(sources) or "none",
        email_verified=email is not None,
    )


def demo_user(role: Role) -> User:
    """A demo visitor trying ``role`` (demo mode without sign-in)."""
    return User(actor=f"demo:{role.value}", roles=frozenset({role}), roles_from="demo switcher")


# Live without sign-in, when the operator allows it: every visitor is this administrator.
LOCAL_USER = User(actor="local user", roles=frozenset({Role.ADMIN}), roles_from="sign-in is off")


class Admission(StrEnum):
    """How a visitor gets in: by signing in, as a demo role, anonymously, or not at all."""

    SIGN_IN = "sign-in"
    DEMO = "demo"
    ANONYMOUS = "anonymous"
    CLOSED = "closed"


def admission(*, sign_in_configured: bool, demo_mode: bool, allow_anonymous: bool) -> Admission:
    """Sign-in when ``[auth]`` is configured; else the demo's role switcher; else closed.

    Live data without sign-in would make anyone who reaches the port an administrator,
    so that needs the operator's explicit ``allow_anonymous`` (STOCKDESK_ALLOW_ANONYMOUS).
    """
    if sign_in_configured:
        return Admission.SIGN_IN
    if demo_mode:
        return Admission.DEMO
    return Admission.ANONYMOUS if allow_anonymous else Admission.CLOSED


def describe_permissions(page_titles: Mapping[str, str]) -> list[dict[str, str]]:
    """One row per role: its pages (titles from ``page_titles`` by URL path) and actions."""
    return [
        {
            "Role": role.label,
            "Pages": ", ".join(page_titles[page] for page in ALL_PAGES if page in grant.pages),
            "Actions": ", ".join(a.value.replace("_", " ") for a in Action if a in grant.actions),
        }
        for role, grant in PERMISSIONS.items()
    ]
