"""The reorder proposal: Smart Reordering recommendations joined to the catalog, with
cover, stock-out dates, costs in supplier currency and TRY, quantities already on
order, MOQ / case-pack rounding, ABC classes, overstock, filters and a TRY budget."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd

from lib.money import round_money
from lib.orders.workflow import NEVER_OVERDUE
from lib.pleasurestock.models import Order, Recommendation
from lib.reorder.forecast import ForecastSettings
from lib.reorder.settings import SupplierSettings

# TRY per unit of a currency; None when no rate is known (the rate service failed).
Rate = Callable[[str], Decimal | None]


@dataclass(frozen=True)
class Joined:
    """Recommendations matched to catalog rows, and those that match no product."""

    frame: pd.DataFrame
    unmatched: list[Recommendation]


def join_recommendations(
    recommendations: Iterable[Recommendation], catalog: pd.DataFrame
) -> Joined:
    """Match each recommendation on ps id (``pl_x`` -> ``ps_x``), else on a unique SKU."""
    ps_ids = set(catalog["ps_id"])
    sku_counts = catalog["sku"].value_counts()
    by_sku = dict(zip(catalog["sku"], catalog["ps_id"], strict=True))
    rows: list[dict[str, object]] = []
    unmatched: list[Recommendation] = []
    for rec in recommendations:
        if rec.ps_id_guess in ps_ids:
            ps_id, matched_on = rec.ps_id_guess, "id"
        elif rec.product_sku and sku_counts.get(rec.product_sku, 0) == 1:
            ps_id, matched_on = by_sku[rec.product_sku], "SKU"
        else:
            unmatched.append(rec)
            continue
        rows.append(
            {
                "ps_id": ps_id,
                "matched_on": matched_on,
                "recommended": rec.recommended_quantity,
                "stock": rec.current_stock or 0,
                "avg_daily_sales": float(rec.average_daily_sales or 0),
                "accuracy": float(rec.forecast_accuracy)
                if rec.forecast_accuracy is not None
                else None,
            }
        )
    recs = pd.DataFrame(
        rows,
        columns=["ps_id", "matched_on", "recommended", "stock", "avg_daily_sales", "accuracy"],
    )
    return Joined(recs.merge(catalog, on="ps_id", how="left"), unmatched)


def quantities_on_order(orders: Iterable[Order]) -> dict[str, int]:
    """Units per ps id in our open orders (not delivered, accepted or cancelled)."""
    totals: dict[str, int] = {}
    for order in orders:
        if order.status in NEVER_OVERDUE:
            continue
        for item in order.items:
            if item.ps_id and not item.is_custom:
                totals[item.ps_id] = totals.get(item.ps_id, 0) + item.quantity
    return totals


def round_to_pack(quantity: pd.Series, moq: pd.Series, case_pack: pd.Series) -> pd.Series:
    """Raise a positive quantity to the MOQ, then up to whole case packs; 0 stays 0."""
    q = quantity.to_numpy(dtype=int)
    packed = np.maximum(q, moq.to_numpy(dtype=int))
    pack = case_pack.to_numpy(dtype=int)
    packed = -(-packed // pack) * pack
    return pd.Series(np.where(q > 0, packed, 0), index=quantity.index)


def days_of_cover(stock: pd.Series, daily_sales: pd.Series) -> pd.Series:
    """Stock ÷ average daily sales; NaN when nothing sells (cover is unbounded)."""
    sales = daily_sales.to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = np.where(sales > 0, stock.to_numpy(dtype=float) / sales, np.nan)
    return pd.Series(cover, index=stock.index)


def stockout_dates(cover: pd.Series, today: date) -> pd.Series:
    """The day stock runs out at the current pace (today + whole days of cover)."""
    return cover.map(lambda days: None if pd.isna(days) else today + timedelta(days=int(days)))


def settings_columns(
    suppliers: pd.Series, per_supplier: Mapping[str, SupplierSettings], default: SupplierSettings
) -> pd.DataFrame:
    """Each row's supplier settings (the defaults where a supplier has none)."""
    chosen = [per_supplier.get(s, default) if isinstance(s, str) else default for s in suppliers]
    return pd.DataFrame(
        {
            "lead_time_days": [s.lead_time_days for s in chosen],
            "service_level": [s.service_level for s in chosen],
            "review_period_days": [s.review_period_days for s in chosen],
            "moq": [s.moq for s in chosen],
            "case_pack": [s.case_pack for s in chosen],
        },
        index=suppliers.index,
    )


def _money(values: Iterable[object]) -> list[Decimal | None]:
    return [v if isinstance(v, Decimal) else None for v in values]


def _times(quantities: Iterable[int], prices: Iterable[Decimal | None]) -> list[Decimal | None]:
    return [
        None if price is None else round_money(price * quantity)
        for quantity, price in zip(quantities, prices, strict=True)
    ]


def _rates(currencies: Iterable[object], rate: Rate) -> list[Decimal | None]:
    """TRY per unit of each currency; None where there is no currency or no rate."""
    return [rate(str(currency)) if currency else None for currency in currencies]


def _exact_try(
    amounts: Iterable[Decimal | None], rates: Iterable[Decimal | None]
) -> list[Decimal | None]:
    """Unit amounts in TRY, unrounded: a rounded unit price times a quantity drifts."""
    return [
        None if amount is None or to_try is None else amount * to_try
        for amount, to_try in zip(amounts, rates, strict=True)
    ]


def build_proposal(
    joined: pd.DataFrame,
    on_order: Mapping[str, int],
    settings: pd.DataFrame,
    rate: Rate,
    today: date,
    abc_shares: tuple[float, float] = (0.80, 0.15),
) -> pd.DataFrame:
    """The proposal table: one row per matched recommendation, quantities net of what is
    already on order and rounded to MOQ / case pack, money as exact Decimals."""
    frame = joined.reset_index(drop=True).copy()
    settings = settings.reset_index(drop=True)
    frame = pd.concat([frame, settings], axis=1)
    frame["on_order"] = frame["ps_id"].map(lambda ps: on_order.get(ps, 0)).astype(int)
    frame["days_of_cover"] = days_of_cover(frame["stock"], frame["avg_daily_sales"])
    frame["stockout_date"] = stockout_dates(frame["days_of_cover"], today)
    frame["urgent"] = frame["days_of_cover"].lt(frame["lead_time_days"]).fillna(False)
    net = (frame["recommended"] - frame["on_order"]).clip(lower=0)
    frame["quantity"] = round_to_pack(net, frame["moq"], frame["case_pack"])
    frame["unit_tcc"] = _money(frame["tcc_total_cost"])
    frame["unit_tcc_try"] = _exact_try(frame["unit_tcc"], _rates(frame["tcc_currency"], rate))
    frame["unit_tsp"] = _money(frame["tsp_value"])
    frame["unit_tsp_try"] = _exact_try(frame["unit_tsp"], _rates(frame["tsp_currency"], rate))
    # The supplier's own price: what PleasureStock puts on the order it creates.
    frame["unit_price"] = _money(frame["price"])
    frame["price_rate"] = _rates(frame["currency"], rate)
    # What the product earns per day at TSP: the basis of the ABC classes.
    frame["daily_revenue_try"] = [
        None if price is None else round_money(price * Decimal(str(round(sales, 4))))
        for price, sales in zip(frame["unit_tsp_try"], frame["avg_daily_sales"], strict=True)
    ]
    frame["abc"] = abc_classes(frame["daily_revenue_try"], *abc_shares)
    return with_line_amounts(frame)


def with_line_amounts(frame: pd.DataFrame) -> pd.DataFrame:
    """Line cost (TCC in its currency and in TRY), TSP revenue, margin and the line at the
    supplier's price for ``quantity``, each rounded once; called again after edits."""
    frame = frame.copy()
    quantity = frame["quantity"].astype(int).tolist()
    frame["line_purchase"] = _times(quantity, frame["unit_price"])
    frame["line_cost"] = _times(quantity, frame["unit_tcc"])
    frame["line_cost_try"] = _times(quantity, frame["unit_tcc_try"])
    frame["tsp_revenue_try"] = _times(quantity, frame["unit_tsp_try"])
    frame["margin_try"] = [
        None if revenue is None or cost is None else revenue - cost
        for revenue, cost in zip(frame["tsp_revenue_try"], frame["line_cost_try"], strict=True)
    ]
    return frame


def abc_classes(revenue: pd.Series, a_share: float = 0.80, b_share: float = 0.15) -> pd.Series:
    """A for the products making the first ``a_share`` of revenue (highest first), B for
    the next ``b_share``, C for the rest; a product is in the class its running total ends in."""
    if not (a_share > 0 and b_share >= 0 and a_share + b_share <= 1):
        raise ValueError("ABC shares must be positive and add up to at most 100 %")
    amounts = revenue.map(lambda v: v if isinstance(v, Decimal) else Decimal(0))
    total = sum(amounts, Decimal(0))
    if total == 0:
        return pd.Series("C", index=revenue.index)
    ordered = amounts.sort_values(ascending=False, kind="stable")
    share = ordered.cumsum() / total
    a, b = Decimal(str(a_share)), Decimal(str(a_share + b_share))
    classes = share.map(lambda s: "A" if s <= a else ("B" if s <= b else "C"))
    return classes.reindex(revenue.index)


def overstock(cover: pd.DataFrame, threshold_days: float, rate: Rate) -> pd.DataFrame:
    """Products whose days of cover exceed ``threshold_days``, with the TRY tied up
    (stock × unit TCC in TRY), largest first. ``cover`` needs ps_id, name, stock,
    avg_daily_sales, tcc_total_cost, tcc_currency."""
    frame = cover.copy()
    frame["days_of_cover"] = days_of_cover(frame["stock"], frame["avg_daily_sales"])
    over = frame[frame["days_of_cover"].gt(threshold_days) | frame["days_of_cover"].isna()]
    over = over[over["stock"] > 0].copy()
    unit = _exact_try(_money(over["tcc_total_cost"]), _rates(over["tcc_currency"], rate))
    over["tied_up_try"] = _times(over["stock"].astype(int).tolist(), unit)
    key = over["tied_up_try"].map(lambda v: v if v is not None else Decimal(-1))
    return over.loc[key.sort_values(ascending=False).index]


@dataclass(frozen=True)
class ProposalFilter:
    """What the manager narrowed the proposal to; empty tuples mean everything."""

    suppliers: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    abc: tuple[str, ...] = ()
    only_urgent: bool = False


def filter_proposal(frame: pd.DataFrame, criteria: ProposalFilter) -> pd.DataFrame:
    """The rows matching every criterion."""
    keep = pd.Series(True, index=frame.index)
    if criteria.suppliers:
        keep &= frame["supplier_id"].isin(criteria.suppliers)
    if criteria.categories:
        keep &= frame["category_name"].isin(criteria.categories)
    if criteria.abc:
        keep &= frame["abc"].isin(criteria.abc)
    if criteria.only_urgent:
        keep &= frame["urgent"]
    return frame[keep]


def within_budget(frame: pd.DataFrame, budget_try: Decimal) -> pd.Series:
    """Which lines to keep for a TRY budget: most urgent first (fewest days of cover),
    then highest margin, kept while the running total of line costs fits. A line with no
    TRY cost (no TCC, or no rate for its currency) cannot be counted, so it is not kept."""
    cover = frame["days_of_cover"].fillna(np.inf)
    margin = frame["margin_try"].map(lambda v: v if v is not None else Decimal(0))
    order = pd.DataFrame({"cover": cover, "margin": margin}).sort_values(
        ["cover", "margin"], ascending=[True, False], kind="stable"
    )
    cost = frame.loc[order.index, "line_cost_try"]
    running = cost.map(lambda v: v if v is not None else Decimal(0)).cumsum()
    keep = cost.notna() & running.map(lambda total: total <= budget_try)
    return keep.reindex(frame.index)


def uncounted_lines(frame: pd.DataFrame) -> dict[str, int]:
    """Lines with a quantity but no TRY cost, per reason ("no TCC", "no USD rate", …):
    what a TRY total or budget could not count."""
    chosen = frame[(frame["quantity"] > 0) & frame["line_cost_try"].isna()]
    reasons = [
        "no TCC" if cost is None else f"no {currency or 'currency'} rate"
        for cost, currency in zip(chosen["unit_tcc"], chosen["tcc_currency"], strict=True)
    ]
    return dict(sorted(pd.Series(reasons, dtype=object).value_counts().items()))


def _sum_known(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def _purchase_total(lines: pd.DataFrame) -> tuple[str | None, Decimal | None, Decimal | None]:
    """Currency, total and TRY total of one supplier's lines at the supplier's price, as
    PleasureStock records the order: line totals to the cent, the order total in TRY
    rounded once. None where a price or rate is missing, or the currencies differ."""
    currencies = {c for c in lines["currency"] if c}
    if len(currencies) != 1 or lines["line_purchase"].isna().any():
        return (", ".join(sorted(currencies)) or None), None, None
    total = _sum_known(lines["line_purchase"])
    to_try = lines["price_rate"].iloc[0]
    return currencies.pop(), total, None if to_try is None else round_money(total * to_try)


def supplier_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """Per supplier of the lines with a quantity: lines, units, landed cost (TCC) in TRY
    and the lines it leaves out for lack of a TRY figure, and the order total at the
    supplier's price in its currency and in TRY."""
    chosen = frame[frame["quantity"] > 0]
    rows = []
    for supplier, lines in chosen.groupby(chosen["supplier_id"].fillna("(no supplier)")):
        currency, purchase, purchase_try = _purchase_total(lines)
        rows.append(
            {
                "supplier": supplier,
                "lines": len(lines),
                "units": int(lines["quantity"].sum()),
                "cost_try": _sum_known(lines["line_cost_try"]),
                "uncounted": int(lines["line_cost_try"].isna().sum()),
                "currency": currency,
                "purchase_total": purchase,
                "purchase_total_try": purchase_try,
            }
        )
    columns = ["supplier", "lines", "units", "cost_try", "uncounted", "currency"]
    return pd.DataFrame(rows, columns=[*columns, "purchase_total", "purchase_total_try"])


def forecast_settings(
    ps_ids: Iterable[str],
    catalog: pd.DataFrame,
    per_supplier: Mapping[str, SupplierSettings],
    default: SupplierSettings,
) -> ForecastSettings:
    """Each product's lead time, review period and service level, from its supplier."""
    suppliers = catalog.set_index("ps_id")["supplier_id"].reindex(list(ps_ids))
    columns = settings_columns(suppliers, per_supplier, default)
    return ForecastSettings(
        columns["lead_time_days"].to_numpy(int),
        columns["review_period_days"].to_numpy(int),
        columns["service_level"].to_numpy(float),
    )


def stock_cover(ours: pd.DataFrame, catalog: pd.DataFrame) -> pd.DataFrame:
    """Our forecast's average daily sales and last known stock joined to the catalog: the
    input of ``overstock`` (products whose stock was never reported are left out)."""
    cover = ours[["ps_id", "our_avg_daily_sales", "last_stock"]].rename(
        columns={"our_avg_daily_sales": "avg_daily_sales", "last_stock": "stock"}
    )
    return cover.dropna(subset=["stock"]).merge(catalog, on="ps_id")
