"""The pricing plan editor: company formula, scoped rules, rounding and guard rails.

Streamlit forgets a widget's state once its page is left, so the editor keeps a
draft (what the widgets showed last) in the session and fills fresh widgets from
it. Loading a plan bumps a generation number that is part of every widget key, so
all widgets start again from the loaded plan.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from lib.catalog.snapshot import catalog_products
from lib.catalog.suppliers import with_supplier_names
from lib.pricing.formula import MAX_LENGTH, FormulaError, parse
from lib.pricing.guard_rails import GuardRails
from lib.pricing.plan import PricingPlan
from lib.pricing.products import products_frame
from lib.pricing.rounding import ROUNDING_MODES, Rounding, RoundingMode
from lib.pricing.rules import DuplicateRuleError, Rule, Target, rule_labels, rule_targets
from lib.ui.widgets import markdown_text

DRAFT = "pricing_draft"
GENERATION = "pricing_editor_generation"
# Label -> rule of the draft's rules whose target the catalog no longer has.
MISSING_TARGETS = "pricing_draft_missing_targets"
# Label -> target the draft's labels were picked from.
DRAFT_TARGETS = "pricing_draft_targets"
APPLIES_TO, FORMULA = "Applies to", "Formula"
_ROUND_IN = {False: "Price currency", True: "TRY"}


@dataclass(frozen=True)
class PricingCatalog:
    """The products frame and the labelled targets rules can pick from."""

    products: pd.DataFrame
    targets: dict[str, Target]


@dataclass(frozen=True)
class Draft:
    """What the editor shows, readable or not; rules are rows of (Applies to, Formula)."""

    default_formula: str
    rules: pd.DataFrame
    rounding: RoundingMode
    in_try: bool
    min_margin: float | None
    max_markup: float | None


@st.cache_data(max_entries=2, show_spinner="Loading the catalog snapshot…")
def pricing_catalog(
    _session_factory: sessionmaker[Session],
    database_url: str,
    fetched_at: datetime,
    supplier_names: tuple[tuple[str, str], ...],
) -> PricingCatalog:
    """The stored snapshot as a products frame (with supplier names) and rule targets, per
    database, fetch time and supplier names (id, name)."""
    products = with_supplier_names(
        products_frame(catalog_products(_session_factory)), dict(supplier_names)
    )
    targets = {target.label: target for target in rule_targets(products)}
    return PricingCatalog(products=products, targets=targets)


def load_into_editor(plan: PricingPlan, catalog: PricingCatalog) -> None:
    """Replace whatever the editor shows with ``plan``."""
    scoped = [rule for rule in plan.rules if rule.scope != "company"]
    labels = rule_labels(scoped, catalog.products)
    st.session_state[DRAFT] = Draft(
        default_formula=plan.default_formula,
        rules=pd.DataFrame(
            {APPLIES_TO: labels, FORMULA: [rule.formula for rule in scoped]}, dtype=object
        ),
        rounding=plan.rounding.mode,
        in_try=plan.rounding.in_try,
        min_margin=_float(plan.guard_rails.min_margin_pct),
        max_markup=_float(plan.guard_rails.max_markup_pct),
    )
    # Labels of targets no longer in the catalog must stay pickable and readable.
    st.session_state[MISSING_TARGETS] = {
        label: rule
        for label, rule in zip(labels, scoped, strict=True)
        if label not in catalog.targets
    }
    st.session_state[DRAFT_TARGETS] = catalog.targets
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1


def relabel_draft(catalog: PricingCatalog) -> None:
    """Keep the draft's rules on their targets when the labels change (a supplier got a
    name): each row's label is looked up in the targets it was picked from."""
    before: dict[str, Target] = st.session_state.get(DRAFT_TARGETS, catalog.targets)
    if before == catalog.targets:
        return
    label_of = {(t.scope, t.key): label for label, t in catalog.targets.items()}

    def relabel(label: object) -> object:
        target = before.get(label) if isinstance(label, str) else None
        return label if target is None else label_of.get((target.scope, target.key), label)

    draft: Draft = st.session_state[DRAFT]
    rules = draft.rules.assign(**{APPLIES_TO: draft.rules[APPLIES_TO].map(relabel)})
    st.session_state[DRAFT] = replace(draft, rules=rules)
    st.session_state[DRAFT_TARGETS] = catalog.targets
    st.session_state[GENERATION] += 1


def has_draft() -> bool:
    """True once the editor has been filled in this session."""
    return DRAFT in st.session_state


def plan_editor(catalog: PricingCatalog) -> PricingPlan | None:
    """Render the editor and return its plan, or None after showing what cannot be read."""
    draft: Draft = st.session_state[DRAFT]
    generation = st.session_state[GENERATION]
    key = f"pricing_{generation}"

    default = _text_input(
        "Company default formula",
        f"{key}_default",
        draft.default_formula,
        help="Used for every product no rule below applies to. "
        "Variables: TCC, PRICE, COEF; functions: min, max, round, ceil, floor.",
    )
    errors = _formula_errors(default, "Company default formula")

    st.markdown("**Rules for categories, suppliers and products** (the most specific wins)")
    rows = _rules_table(draft.rules, catalog, f"{key}_rules")
    rules, row_errors = _rules_from_rows(rows, catalog)
    errors += row_errors

    left, right = st.columns(2)
    _start(f"{key}_rounding", draft.rounding)
    rounding = left.selectbox(
        "Rounding (last step)",
        list(ROUNDING_MODES),
        key=f"{key}_rounding",
        format_func=ROUNDING_MODES.get,
    )
    _start(f"{key}_round_in", draft.in_try)
    in_try = left.radio(
        "Round the price in",
        list(_ROUND_IN),
        key=f"{key}_round_in",
        format_func=_ROUND_IN.get,
        horizontal=True,
    )
    _start(f"{key}_min_margin", draft.min_margin)
    min_margin = right.number_input(
        "Minimum margin %",
        key=f"{key}_min_margin",
        value=None,
        min_value=0.0,
        max_value=99.0,
        step=1.0,
        placeholder="off",
        help="Flag prices whose margin over TCC is below this. Empty: off.",
    )
    _start(f"{key}_max_markup", draft.max_markup)
    max_markup = right.number_input(
        "Maximum markup %",
        key=f"{key}_max_markup",
        value=None,
        min_value=1.0,
        max_value=100_000.0,
        step=10.0,
        placeholder="off",
        help="Flag prices more than this % above TCC. Empty: off.",
    )

    st.session_state[DRAFT] = replace(
        draft,
        default_formula=default,
        rules=rows,
        rounding=rounding,
        in_try=in_try,
        min_margin=min_margin,
        max_markup=max_markup,
    )
    if errors:
        return None
    try:
        return PricingPlan(
            rules=(Rule("company", None, default), *rules),
            rounding=Rounding(mode=rounding, in_try=in_try),
            guard_rails=GuardRails(
                min_margin_pct=_decimal(min_margin), max_markup_pct=_decimal(max_markup)
            ),
        )
    except DuplicateRuleError as error:
        label = rows[APPLIES_TO].iloc[error.second - 1]
        st.error(
            f"Rows {error.first} and {error.second} both apply to “{markdown_text(label)}”; "
            "keep one.",
            icon=":material/error:",
        )
        return None


def _rules_table(rules: pd.DataFrame, catalog: PricingCatalog, key: str) -> pd.DataFrame:
    base_key = f"{key}_base"
    if key not in st.session_state or base_key not in st.session_state:
        # A fresh editor (first run of this generation, or back from another page): start
        # from the draft. Afterwards its data must stay the same object, or it resets.
        st.session_state[base_key] = rules
    options = list(catalog.targets)[1:] + list(st.session_state.get(MISSING_TARGETS, {}))
    return st.data_editor(
        st.session_state[base_key],
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            APPLIES_TO: st.column_config.SelectboxColumn(
                APPLIES_TO, options=options, required=True, width="large"
            ),
            FORMULA: st.column_config.TextColumn(FORMULA, required=True, width="medium"),
        },
    )


def _rules_from_rows(rows: pd.DataFrame, catalog: PricingCatalog) -> tuple[list[Rule], list[str]]:
    """The table's rules, and one message per row that cannot become a rule."""
    missing: dict[str, Rule] = st.session_state.get(MISSING_TARGETS, {})
    rules: list[Rule] = []
    errors: list[str] = []
    for number, (label, formula) in enumerate(
        rows[[APPLIES_TO, FORMULA]].itertuples(index=False), 1
    ):
        label = None if pd.isna(label) else str(label)
        formula = "" if pd.isna(formula) else str(formula)
        if label is None:
            errors.append(f"Row {number}: pick what the rule applies to, or delete the row.")
            st.error(errors[-1], icon=":material/error:")
            continue
        where = f"Row {number} ({markdown_text(label)})"
        errors += _formula_errors(formula, where)
        target = catalog.targets.get(label)
        if target is not None:
            rules.append(Rule(target.scope, target.key, formula))
        elif label in missing:
            rules.append(replace(missing[label], formula=formula))
        else:
            errors.append(f"{where}: not in the catalog any more; pick another or delete the row.")
            st.error(errors[-1], icon=":material/error:")
    return rules, errors


def _formula_errors(text: str, where: str) -> list[str]:
    """Show the formula's error under it, with a caret at the column; [] when it parses."""
    try:
        parse(text)
    except FormulaError as error:
        st.error(f"{where}: {error}", icon=":material/error:")
        st.code(f"{text}\n{' ' * (error.column - 1)}^", language=None)
        return [str(error)]
    return []


def _text_input(label: str, key: str, value: str, **kwargs: Any) -> str:
    _start(key, value)
    return st.text_input(label, key=key, max_chars=MAX_LENGTH, **kwargs)


def _start(key: str, value: Any) -> None:
    """Fill a widget that has no state yet (new generation, or back from another page)."""
    if key not in st.session_state:
        st.session_state[key] = value


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))
