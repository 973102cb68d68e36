"""Who is using the app: a signed-in user, a demo visitor trying a role, or the local user.

Sign-in is on when Streamlit's secrets (``.streamlit/secrets.toml``, or the files given
with ``--secrets.files``) hold an ``[auth]`` section: then ``st.login`` signs people in
through the company's OpenID Connect provider and ``st.user`` carries the identity
token's claims. Without it StockDesk runs as before: in demo mode (no API key) a
visitor picks a role in the sidebar (a ``?role=finance`` link preselects one); with an
API key there is one local user with every permission.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAuthError

from lib.access import (
    LOCAL_USER,
    Role,
    User,
    demo_user,
    email_of,
    parse_role,
    signed_in_user,
)
from lib.roles import assigned_role
from lib.ui.resources import AppContext

DEMO_ROLE_KEY = "demo_role"  # the switcher widget
DEMO_ROLE_STATE = "demo_role_chosen"  # the role it last chose


def sign_in_configured() -> bool:
    """True when the secrets hold an ``[auth]`` section, i.e. sign-in is required."""
    secrets = st.secrets  # looked up now: AppTest swaps st.secrets for its own
    return secrets.load_if_toml_exists() and "auth" in secrets


def identify(context: AppContext) -> User | None:
    """The person this run serves, with their block in the sidebar; None when not signed in."""
    with st.sidebar:
        if sign_in_configured():
            return _signed_in_user(context)
        if context.settings.demo_mode:
            return demo_user(_demo_role_switcher())
        st.caption("Sign-in is off: one local user with every permission.")
        return LOCAL_USER


def _signed_in_user(context: AppContext) -> User | None:
    if not st.user.get("is_logged_in"):
        return None
    claims: dict[str, Any] = st.user.to_dict()
    email = email_of(claims)
    assigned = None if email is None else assigned_role(context.session_factory, email)
    user = signed_in_user(claims, assigned=assigned, admin_emails=context.settings.admin_emails)
    st.markdown(f"Signed in as **{user.actor}**  \nRole: **{user.role_labels}**")
    st.caption(f"Role from: {user.roles_from}")
    if st.button("Sign out", icon=":material/logout:"):
        st.logout()
    return user


def _demo_role_switcher() -> Role:
    st.badge("Demo: try each role", icon=":material/theater_comedy:", color="violet")
    # A link such as /?role=finance opens the demo as that role. The choice is kept apart
    # from the widget too, because a widget's state does not survive every page switch.
    chosen = st.session_state.setdefault(
        DEMO_ROLE_STATE, parse_role(st.query_params.get("role", "")) or Role.ADMIN
    )
    role = Role(
        st.selectbox(
            "Use StockDesk as",
            list(Role),
            index=list(Role).index(chosen),
            format_func=lambda role: role.label,
            key=DEMO_ROLE_KEY,
            help="Demo mode only. With sign-in configured, roles come from the identity provider.",
        )
    )
    st.session_state[DEMO_ROLE_STATE] = role
    st.caption("Demo only: pages and actions follow the role chosen here.")
    return role


def _providers() -> list[str | None]:
    """The default provider (``client_id`` in ``[auth]``) and every ``[auth.<name>]`` one."""
    auth = st.secrets["auth"]
    named = [name for name, value in auth.items() if hasattr(value, "get") and "client_id" in value]
    return ([None] if "client_id" in auth else []) + named


def sign_in_screen() -> None:
    """The page shown instead of any other until the visitor signs in."""
    st.title("Sign in to StockDesk")
    st.write(
        "StockDesk is for the purchasing, finance and shop teams. "
        "Sign in with your company account to continue."
    )
    for provider in _providers() or [None]:
        label = "Sign in" if provider is None else f"Sign in with {provider.capitalize()}"
        if st.button(label, icon=":material/login:", type="primary", key=f"sign_in_{provider}"):
            try:
                st.login(provider)
            except StreamlitAuthError as error:
                st.error(
                    f"**Sign-in is not configured correctly.** {error} "
                    "Check the `[auth]` section of `.streamlit/secrets.toml`.",
                    icon=":material/error:",
                )


def no_role_screen(user: User) -> None:
    """The page shown to a signed-in person who has no StockDesk role."""
    st.title("No access yet")
    st.warning(
        f"You are signed in as **{user.actor}**, but you have no StockDesk role yet. "
        "Ask an administrator to give you one: on the Settings page of StockDesk, or in "
        "your identity provider's `roles` or `groups` claim (purchasing, finance, staff "
        "or admin).",
        icon=":material/lock_person:",
    )
