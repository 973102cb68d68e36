"""The price list a plan produces: every product's new TSP, the rule used, and any issue.

``compute_prices`` is the float64 core (rules, formulas, rounding, guard rails) over
whole arrays; ``price_list`` wraps it and turns the results into ``Decimal`` prices
quantised to the cent. A product that cannot be priced (missing input, division by
zero, a result that is not a positive number, or above ``MAX_PRICE``) keeps its row with
no price and says why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from lib.money import round_money
from lib.pricing.evaluate import evaluate
from lib.pricing.formula import VARIABLES, Formula
from lib.pricing.guard_rails import RailCheck, check_rails
from lib.pricing.plan import PricingPlan
from lib.pricing.rounding import round_prices, round_prices_in_try, to_cents
from lib.pricing.rules import ScopeIndex, assign_rules, rule_labels, scope_index

RateLookup = Callable[[str], Decimal | None]
# The highest price a formula may give, in the price's currency. Far above any retail
# price, yet its cents (even in TRY) stay exact in float64 and fit the int64 cents that
# ``_money`` converts; a larger result is a mistyped formula, flagged and never priced.
MAX_PRICE = 1_000_000_000

# The formula variables and the products-frame column each one reads.
VARIABLE_COLUMNS = {"TCC": "tcc", "PRICE": "price", "COEF": "coef"}

# Issue codes, one per row, the most serious found first.
OK = 0
_MISSING = {"TCC": 1, "PRICE": 2, "COEF": 3}
DIVIDED_BY_ZERO = 4
NOT_FINITE = 5
NOT_POSITIVE = 6
NO_RATE = 7
MARGIN_TOO_LOW = 8
MARKUP_TOO_HIGH = 9
COST_UNKNOWN = 10
OUT_OF_RANGE = 11
_NO_PRICE = frozenset({*_MISSING.values(), DIVIDED_BY_ZERO, NOT_FINITE, NOT_POSITIVE})
_GUARD_RAIL = frozenset({MARGIN_TOO_LOW, MARKUP_TOO_HIGH, COST_UNKNOWN})

# Statuses in the order the preview lists them: guard-rail breakers first.
STATUSES = ("guard rail", "out of range", "no price", "not rounded", "ok")
# The statuses of products that get no price.
UNPRICED = ("out of range", "no price")


@dataclass(frozen=True)
class PricingInputs:
    """What evaluation reads, prepared once per catalog: float64 columns, TRY rates, scopes."""

    variables: dict[str, np.ndarray]
    rate_to_try: np.ndarray
    scopes: ScopeIndex


@dataclass(frozen=True)
class ComputedPrices:
    """Per-row results of ``compute_prices``; prices are NaN where there is none."""

    rule_index: np.ndarray
    result: np.ndarray
    price: np.ndarray
    price_try: np.ndarray
    issue: np.ndarray
    rails: RailCheck


def pricing_inputs(products: pd.DataFrame, rate: RateLookup) -> PricingInputs:
    """Float copies of TCC, price and coefficient, each row's TRY rate, and its rule keys."""
    rates = _rates(products, rate)
    codes, currencies = pd.factorize(products["currency"])
    # One rate per distinct currency, and NaN last for rows without a currency (code -1).
    per_currency = [float(rates[c]) if c in rates else np.nan for c in currencies] + [np.nan]
    return PricingInputs(
        variables={
            name: products[column].astype("float64").to_numpy()
            for name, column in VARIABLE_COLUMNS.items()
        },
        rate_to_try=np.array(per_currency)[codes],
        scopes=scope_index(products),
    )


def compute_prices(
    inputs: PricingInputs, plan: PricingPlan, formulas: Sequence[Formula]
) -> ComputedPrices:
    """Price every row: most specific rule, its formula, rounding, then the guard rails.

    ``formulas`` are ``plan.rules`` parsed, in the same order.
    """
    assigned = assign_rules(inputs.scopes, plan.rules)
    result, issue = _evaluate_rules(inputs, formulas, assigned)
    # Before any rounding: cents of a huge result would overflow into a negative price.
    _flag(issue, np.flatnonzero(result > MAX_PRICE), OUT_OF_RANGE)
    valid = np.where(issue == OK, result, np.nan)

    rounding = plan.rounding
    price_try = np.full(len(valid), np.nan)
    if rounding.in_try and rounding.mode != "none":
        price, price_try = round_prices_in_try(valid, inputs.rate_to_try, rounding.mode)
        no_rate = ~np.isnan(valid) & np.isnan(inputs.rate_to_try)
    else:
        price = round_prices(valid, rounding.mode)
        no_rate = np.zeros(len(valid), dtype=bool)
    # Prices are whole cents by now, so anything under half a cent is 0 here.
    _flag(issue, np.flatnonzero(price <= 0), NOT_POSITIVE)
    priced = issue == OK
    price = np.where(priced, price, np.nan)
    price_try = np.where(priced, price_try, np.nan)

    rails = check_rails(price, inputs.variables["TCC"], plan.guard_rails)
    _flag(issue, np.flatnonzero(rails.margin_too_low), MARGIN_TOO_LOW)
    _flag(issue, np.flatnonzero(rails.markup_too_high), MARKUP_TOO_HIGH)
    _flag(issue, np.flatnonzero(rails.cost_unknown), COST_UNKNOWN)
    _flag(issue, np.flatnonzero(no_rate), NO_RATE)
    return ComputedPrices(assigned, result, price, price_try, issue, rails)


def _evaluate_rules(
    inputs: PricingInputs, formulas: Sequence[Formula], assigned: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's formula result, and issue codes for missing inputs, division by zero, inf."""
    # Rules often share a formula (many product overrides, say): evaluate each distinct
    # formula once over all the rows it prices, found by sorting rows by formula.
    distinct: dict[str, Formula] = {}
    for formula in formulas:
        distinct.setdefault(formula.canonical, formula)
    number = {text: n for n, text in enumerate(distinct)}
    # int16 codes: numpy's stable sort of small integers is a linear-time radix sort.
    by_formula = np.array([number[f.canonical] for f in formulas], dtype=np.int16)[assigned]
    trees = list(distinct.values())
    result = np.full(len(assigned), np.nan)
    issue = np.zeros(len(assigned), dtype=np.int8)
    order = np.argsort(by_formula, kind="stable")
    for rows in np.split(order, np.flatnonzero(np.diff(by_formula[order])) + 1):
        if not len(rows):
            continue
        formula = trees[by_formula[rows[0]]]
        values = {name: inputs.variables[name][rows] for name in formula.variables}
        evaluation = evaluate(formula.tree, values, len(rows))
        result[rows] = evaluation.values
        for name, column in values.items():
            _flag(issue, rows[np.isnan(column)], _MISSING[name])
        _flag(issue, rows[evaluation.divided_by_zero], DIVIDED_BY_ZERO)
    _flag(issue, np.flatnonzero(~np.isfinite(result)), NOT_FINITE)
    return result, issue


def price_list(products: pd.DataFrame, plan: PricingPlan, rate: RateLookup) -> pd.DataFrame:
    """Every product's new TSP under ``plan`` in its currency and in TRY, with rule and issue.

    Columns: ps_id, sku, name, category, supplier (its name where ``products`` has one,
    else its id), supplier_id, currency, tcc, old_tsp, rule,
    new_tsp, new_tsp_try (Decimal or None), status (one of ``STATUSES``), issue (text or
    None). Raises FormulaError when a rule's formula cannot be read.
    """
    computed = compute_prices(pricing_inputs(products, rate), plan, plan.parsed())
    new_tsp = _money(computed.price)
    rates = _rates(products, rate)
    rounded_try = _money(computed.price_try)
    new_try = [
        given if given is not None else to_try(price, rates.get(currency))
        for price, given, currency in zip(new_tsp, rounded_try, products["currency"], strict=True)
    ]
    labels = rule_labels(plan.rules, products)
    frame = pd.DataFrame(
        {
            "ps_id": products["ps_id"],
            "sku": products["sku"],
            "name": products["name"],
            "category": products["category"],
            "supplier": products.get("supplier", products["supplier_id"]),
            "supplier_id": products["supplier_id"],
            "currency": products["currency"],
            "tcc": products["tcc"],
            "old_tsp": products["tsp"],
            "rule": [labels[n] for n in computed.rule_index],
            "new_tsp": pd.Series(new_tsp, index=products.index, dtype=object),
            "new_tsp_try": pd.Series(new_try, index=products.index, dtype=object),
            "status": _statuses(computed.issue),
        }
    )
    frame["issue"] = _issue_texts(frame, computed, plan)
    return frame


def _rates(products: pd.DataFrame, rate: RateLookup) -> dict[str, Decimal]:
    """TRY per unit of each currency in the frame that has a rate."""
    found = {c: rate(c) for c in products["currency"].dropna().unique()}
    return {c: r for c, r in found.items() if r is not None}


def _flag(issue: np.ndarray, rows: np.ndarray, code: int) -> None:
    """Give ``code`` to those of ``rows`` that have no issue yet."""
    issue[rows[issue[rows] == OK]] = code


def _money(values: np.ndarray) -> list[Decimal | None]:
    """Float amounts as Decimal to the cent (half up); NaN becomes None."""
    cents = to_cents(np.nan_to_num(values, nan=0.0)).astype(np.int64).tolist()
    present = (~np.isnan(values)).tolist()
    return [Decimal(c).scaleb(-2) if ok else None for c, ok in zip(cents, present, strict=True)]


def to_try(price: Decimal | None, rate: Decimal | None) -> Decimal | None:
    """``price`` times ``rate`` to the cent (half up); None when either is missing."""
    if price is None or rate is None:
        return None
    return round_money(price * rate)


def _statuses(issue: np.ndarray) -> list[str]:
    names = {OK: "ok", NO_RATE: "not rounded"}
    names |= {code: "no price" for code in _NO_PRICE}
    names |= {code: "guard rail" for code in _GUARD_RAIL}
    names[OUT_OF_RANGE] = "out of range"
    return [names[code] for code in issue.tolist()]


def _issue_texts(
    frame: pd.DataFrame, computed: ComputedPrices, plan: PricingPlan
) -> list[str | None]:
    """One sentence per flagged row; only flagged rows are formatted."""
    fixed = {code: f"no {VARIABLES[name]} for this product" for name, code in _MISSING.items()}
    fixed |= {
        DIVIDED_BY_ZERO: "division by zero",
        NOT_FINITE: "the result is not a finite number",
        COST_UNKNOWN: "no TCC to check the guard rails against",
    }
    rails = plan.guard_rails
    texts: list[str | None] = [None] * len(frame)
    for n in np.flatnonzero(computed.issue != OK).tolist():
        code = int(computed.issue[n])
        if code == NOT_POSITIVE:
            texts[n] = f"the formula gives {computed.result[n]:,.2f}, not a positive price"
        elif code == OUT_OF_RANGE:
            texts[n] = (
                f"the formula gives {computed.result[n]:,.2f}, above the highest price "
                f"({MAX_PRICE:,.2f}): check its numbers"
            )
        elif code == NO_RATE:
            texts[n] = f"no TRY rate for {frame['currency'].iat[n]}: not rounded"
        elif code == MARGIN_TOO_LOW:
            margin = computed.rails.margin_pct[n]
            texts[n] = f"margin {margin:.1f}% is below the {rails.min_margin_pct}% floor"
        elif code == MARKUP_TOO_HIGH:
            markup = computed.rails.markup_pct[n]
            texts[n] = f"markup {markup:.0f}% is above the {rails.max_markup_pct}% maximum"
        else:
            texts[n] = fixed[code]
    return texts


# Column headings of an exported price list, in order.
EXPORT_HEADINGS = {
    "ps_id": "ps id",
    "sku": "SKU",
    "name": "Name",
    "category": "Category",
    "supplier": "Supplier",
    "supplier_id": "Supplier id",
    "currency": "Currency",
    "tcc": "TCC",
    "old_tsp": "Old TSP",
    "new_tsp": "New TSP",
    "new_tsp_try": "New TSP (TRY)",
    "rule": "Rule",
    "status": "Status",
    "issue": "Issue",
}


def export_frame(prices: pd.DataFrame) -> pd.DataFrame:
    """A ``price_list`` frame with the export's columns and headings."""
    return prices[list(EXPORT_HEADINGS)].rename(columns=EXPORT_HEADINGS)
