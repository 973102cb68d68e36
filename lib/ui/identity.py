"""Who is using the app: a signed-in user, a demo visitor trying a role, or the local user.

Sign-in is on when Streamlit's secrets (``.streamlit/secrets.toml``, or the files given
with ``--secrets.files``) hold an ``[auth]`` section: then ``st.login`` signs people in
through the company's OpenID Connect provider and ``st.user`` carries the identity
token's claims. Without it (``lib.access.policy.admission``): in demo mode (no API key) a
visitor picks a role in the sidebar (a ``?role=finance`` link preselects one); with an
API key StockDesk serves no page but the set-up screen, unless the operator set
``STOCKDESK_ALLOW_ANONYMOUS=true``: then every visitor is one local administrator and
every page says so.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAuthError

from lib.access.policy import (
    LOCAL_USER,
    Admission,
    Role,
    User,
    admission,
    demo_user,
    parse_role,
    signed_in_user,
)
from lib.access.roles import assigned_role
from lib.settings import Settings
from lib.ui.resources import AppContext
from lib.ui.widgets import markdown_text

DEMO_ROLE_KEY = "demo_role"  # the switcher widget
DEMO_ROLE_STATE = "demo_role_chosen"  # the role it last chose


def sign_in_configured() -> bool:
    """True when the secrets hold an ``[auth]`` section, i.e. sign-in is required."""
    secrets = st.secrets  # looked up now: AppTest swaps st.secrets for its own
    return secrets.load_if_toml_exists() and "auth" in secrets


def admission_of(settings: Settings) -> Admission:
    """How visitors get in with these settings and this app's secrets."""
    return admission(
        sign_in_configured=sign_in_configured(),
        demo_mode=settings.demo_mode,
        allow_anonymous=settings.stockdesk_allow_anonymous,
    )


def identify(context: AppContext, entry: Admission) -> User | None:
    """The person this run serves, with their block in the sidebar; None when not signed in.

    ``entry`` is never ``CLOSED`` here: the frame shows the set-up screen instead.
    """
    with st.sidebar:
        if entry is Admission.SIGN_IN:
            return _signed_in_user(context)
        if entry is Admission.DEMO:
            return demo_user(_demo_role_switcher())
        st.caption("Sign-in is off: every visitor has every permission.")
        return LOCAL_USER


def _signed_in_user(context: AppContext) -> User | None:
    if not st.user.get("is_logged_in"):
        return None
    claims: dict[str, Any] = st.user.to_dict()
    settings = context.settings
    user = signed_in_user(
        claims,
        verified_claim=settings.stockdesk_email_verified_claim,
        assigned_role=lambda email: assigned_role(context.session_factory, email),
        admin_emails=settings.admin_emails,
    )
    st.markdown(f"Signed in as **{markdown_text(user.actor)}**  \nRole: **{user.role_labels}**")
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
        f"You are signed in as **{markdown_text(user.actor)}**, but you have no StockDesk "
        "role yet. Ask an administrator to give you one: on the Settings page of StockDesk, "
        "or in your identity provider's `roles` or `groups` claim (purchasing, finance, "
        "staff or admin).",
        icon=":material/lock_person:",
    )
    if not user.email_verified:
        st.info(
            "Your identity provider does not confirm your e-mail address, so roles given "
            "in StockDesk and `STOCKDESK_ADMIN_EMAILS` cannot apply to you: only a role in "
            "your token can. An administrator can make the provider send a verified "
            "`email` (or name its own verification claim in "
            "`STOCKDESK_EMAIL_VERIFIED_CLAIM`).",
            icon=":material/unpublished:",
        )


def sign_in_required_screen() -> None:
    """The page shown instead of any other in live mode when no sign-in is configured."""
    st.title("Sign-in required")
    st.error(
        "**StockDesk is connected to the live PleasureStock API, but sign-in is not set "
        "up.** Without it, anyone who can reach this server could create orders, mark "
        "payments and change pricing formulas, so no page is served.",
        icon=":material/lock:",
    )
    st.markdown(
        "**To set up sign-in**, register StockDesk with your OpenID Connect provider (redirect "
        "URI `https://<your host>/oauth2callback`), add this section at the end of "
        "`.streamlit/secrets.toml` and restart StockDesk:"
    )
    st.code(
        "[auth]\n"
        'redirect_uri = "https://stockdesk.example.com/oauth2callback"\n'
        'cookie_secret = "<a long random string>"\n'
        'client_id = "stockdesk"\n'
        'client_secret = "<from your provider>"\n'
        'server_metadata_url = "https://<provider>/.well-known/openid-configuration"',
        language="toml",
    )
    st.markdown(
        "**To use StockDesk without sign-in** on a machine nobody else can reach, start it "
        "with `STOCKDESK_ALLOW_ANONYMOUS=true` and listening on this machine only: "
        "`streamlit run app.py --server.address 127.0.0.1`. Every visitor is then an "
        "administrator."
    )


def anonymous_banner() -> None:
    """The warning at the top of every page while live mode runs without sign-in."""
    st.warning(
        "**Sign-in is off** (`STOCKDESK_ALLOW_ANONYMOUS=true`): anyone who can reach this "
        "server uses StockDesk as an administrator, with the live PleasureStock account. "
        "Keep it on 127.0.0.1, or set up sign-in (`[auth]` in `.streamlit/secrets.toml`).",
        icon=":material/warning:",
    )
