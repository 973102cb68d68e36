"""Pricing formulas: design TSP formulas, preview them on every product, keep versions."""

import streamlit as st

from lib.catalog.snapshot import catalog_status
from lib.db import PricingVersion
from lib.pricing.api_formula import starting_formula
from lib.pricing.compare import compare_price_lists
from lib.pricing.plan import PricingPlan
from lib.pricing.preview import preview_table
from lib.pricing.price_list import price_list
from lib.pricing.versions import (
    VersionError,
    active_version,
    restore_version,
    save_version,
    version_history,
)
from lib.ui import (
    Confirmation,
    current_actor,
    follow_catalog_sync,
    markdown_text,
    page_setup,
)
from lib.ui.loaders import current_rates
from lib.ui.pricing_editor import (
    has_draft,
    load_into_editor,
    plan_editor,
    pricing_catalog,
    relabel_draft,
)
from lib.ui.pricing_views import (
    download_buttons,
    show_api_formula,
    show_comparison,
    show_plan,
    show_preview,
    show_unmatched_rules,
    show_versions,
)
from lib.ui.suppliers import supplier_names

FLASH = "pricing_flash"
COMMENT = "pricing_comment"
CLEAR_COMMENT = "pricing_clear_comment"
# ("load" | "restore", version id) waiting for a yes
REPLACE = Confirmation(
    "pricing_replace_draft", "Replace the formulas in the editor?", cancel="Keep my draft"
)

ctx = page_setup()
st.title("Pricing formulas")
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH), icon=":material/check_circle:")

# -- catalog and rates ------------------------------------------------------------------
status = catalog_status(ctx.session_factory)
if status.snapshot.product_count == 0:
    if not follow_catalog_sync(ctx, start=True, actor=current_actor()):
        st.stop()
    status = catalog_status(ctx.session_factory)
catalog = pricing_catalog(
    ctx.session_factory,
    ctx.settings.stockdesk_database_url,
    status.snapshot.fetched_at,
    supplier_names(ctx).key,
)
products = catalog.products
board = current_rates(ctx)
if board.error:
    st.warning(
        f"TRY values use the last stored rates. {markdown_text(board.error)}",
        icon=":material/warning:",
    )

author = current_actor()
active = active_version(ctx.session_factory)
if not has_draft():
    start = active.plan if active else PricingPlan.company_wide(starting_formula(products))
    load_into_editor(start, catalog)
relabel_draft(catalog)
show_api_formula(products, active)

# -- editor and preview -----------------------------------------------------------------
st.subheader("Formulas")
plan = plan_editor(catalog)

st.subheader("Preview")
if plan is None:
    st.info("Fix the formulas above to see the preview.", icon=":material/edit:")
else:
    show_unmatched_rules(plan, products)
    prices = price_list(products, plan, board.rate)
    show_preview(preview_table(prices, board.rate))

    with st.container(border=True):
        st.markdown("**Save these formulas as a new version**")
        if st.session_state.pop(CLEAR_COMMENT, False):
            st.session_state[COMMENT] = ""
        comment = st.text_input("Comment", key=COMMENT, placeholder="What changed and why")
        if st.button("Save as new version", type="primary", icon=":material/save:"):
            try:
                saved = save_version(ctx.session_factory, plan, author=author, comment=comment)
            except VersionError as error:
                st.error(markdown_text(error), icon=":material/error:")
            else:
                st.session_state[FLASH] = f"Saved version {saved.id}; it is now the active one."
                st.session_state[CLEAR_COMMENT] = True
                st.rerun()

# -- versions ---------------------------------------------------------------------------
st.subheader("Versions")
history = version_history(ctx.session_factory)
if not history:
    st.caption("No version saved yet.")
    st.stop()
show_versions(history)
by_id = {version.id: version for version in history}
ids = list(by_id)


def _name(version_id: int) -> str:
    return f"Version {version_id}" + (" (active)" if by_id[version_id].active else "")


chosen = by_id[st.selectbox("Look at", ids, format_func=_name, key="pricing_view_version")]
show_plan(chosen.plan, products)


def take_version(action: str, version: PricingVersion) -> None:
    """Put ``version`` into the editor ("load"), or make a copy of it active first ("restore")."""
    if action == "load":
        load_into_editor(version.plan, catalog)
        st.session_state[FLASH] = f"Version {version.id} is in the editor; nothing is saved yet."
        st.rerun()
    try:
        restored = restore_version(ctx.session_factory, version.id, author=author)
    except VersionError as error:
        st.error(markdown_text(error), icon=":material/error:")
        return
    load_into_editor(restored.plan, catalog)
    st.session_state[FLASH] = (
        f"Restored version {version.id} as version {restored.id}; it is now the active one."
    )
    st.rerun()


def replacement_question(action: str, version: PricingVersion) -> None:
    """Say that the unsaved draft would be lost."""
    doing = "Loading" if action == "load" else "Restoring"
    st.write(
        f"The editor holds formulas that differ from the active version {active_id} and are "
        f"not saved. {doing} version {version.id} replaces them: save them first to keep them."
    )


# The draft is "unsaved" when it would not price like the active version (or cannot be read).
active_id = active.id if active else None
unsaved = active is None or plan is None or plan != active.plan
load, restore = st.columns(2)
for action, clicked in (
    ("load", load.button("Load into the editor", icon=":material/edit_note:")),
    (
        "restore",
        restore.button("Restore this version", icon=":material/restore:", disabled=chosen.active),
    ),
):
    if clicked and unsaved:
        REPLACE.ask((action, chosen.id))
    elif clicked:
        take_version(action, chosen)
pending = REPLACE.waiting
if pending and pending[1] == chosen.id:
    replacing = pending[0]
    REPLACE.show(
        lambda: replacement_question(replacing, chosen),
        confirm=f"Yes, {replacing} version {chosen.id}",
        on_confirm=lambda: take_version(replacing, chosen),
    )
download_buttons(price_list(products, chosen.plan, board.rate), chosen.id)

if len(ids) > 1:
    st.markdown("**Compare two versions**")
    first, second = st.columns(2)
    before = first.selectbox("From", ids, index=1, format_func=_name, key="pricing_compare_from")
    after = second.selectbox("To", ids, index=0, format_func=_name, key="pricing_compare_to")
    diff = compare_price_lists(
        price_list(products, by_id[before].plan, board.rate),
        price_list(products, by_id[after].plan, board.rate),
    )
    show_comparison(diff, before, after)
