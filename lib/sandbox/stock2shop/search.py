"""The Elasticsearch subset the sandbox answers: a bool query (must, filter, must_not,
should) of range, term, terms and multi_match clauses; sort on one or more fields in
either direction; from/size with the result window; hits.total with its cap.

A clause it does not know is refused with 400 rather than ignored, so a client never
believes a filter was applied when it was not.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from lib.sandbox.stock2shop.seed import TIME_FORMAT

_TIME_FIELDS = frozenset({"created", "modified"})
_ABSENT = object()


class SearchError(ValueError):
    """A body the sandbox cannot run; answered with 400."""


@dataclass(frozen=True)
class SearchResult:
    """What one search found: the capped total and this page of records."""

    total: int
    page: list[dict[str, Any]]
    sort_field: str | None


def _values(record: Any, path: str) -> list[Any]:
    """Every value at a dotted ``path``, through lists (``variants.sku``)."""
    if "." not in path and isinstance(record, dict):  # the common case, once per record
        value = record.get(path, _ABSENT)
        return [] if value is _ABSENT else list(value) if isinstance(value, list) else [value]
    values = [record]
    for part in path.split("."):
        found: list[Any] = []
        for value in values:
            items = value if isinstance(value, list) else [value]
            found += [item[part] for item in items if isinstance(item, dict) and part in item]
        values = found
    return [v for value in values for v in (value if isinstance(value, list) else [value])]


@lru_cache(maxsize=1 << 17)
def _time_of(value: str) -> datetime:
    # Cached: every search compares each record's time, and strptime dominated a search.
    text = value.strip().replace("T", " ")
    for length in (19, 10):
        try:
            moment = datetime.strptime(text[:length], TIME_FORMAT[: 8 if length == 10 else None])
        except ValueError:
            continue
        return moment.replace(tzinfo=UTC)
    raise SearchError(f"failed to parse date field [{value}]")


def _time(value: Any) -> datetime:
    return _time_of(str(value))


def _comparable(field: str, value: Any) -> Any:
    if field.split(".")[-1] in _TIME_FIELDS:
        return _time(value)
    if isinstance(value, bool) or value is None:
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return str(left).lower() == str(right).lower()
    return str(left) == str(right)


# A query clause compiled once per search: whether a record matches it.
Predicate = Callable[[dict[str, Any]], bool]
_RANGE_TESTS: dict[str, Callable[[Any, Any], bool]] = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def _range(spec: dict[str, Any]) -> Predicate:
    (field, bounds), *_ = spec.items()
    if not isinstance(bounds, dict):
        raise SearchError(f"[range] query on [{field}] needs bounds")
    unknown = set(bounds) - set(_RANGE_TESTS) - {"format", "time_zone"}
    if unknown:
        raise SearchError(f"[range] query does not support [{sorted(unknown)[0]}]")
    checks = [
        (_RANGE_TESTS[op], _comparable(field, bound))
        for op, bound in bounds.items()
        if op in _RANGE_TESTS
    ]

    def matches(record: dict[str, Any]) -> bool:
        values = [_comparable(field, v) for v in _values(record, field)]
        return any(all(test(v, bound) for test, bound in checks) for v in values)

    return matches


def _multi_match(spec: dict[str, Any]) -> Predicate:
    text = str(spec.get("query", "")).lower()
    names = [str(field).removesuffix(".autocomplete") for field in spec.get("fields", [])]
    return lambda record: any(
        text in str(v).lower() for name in names for v in _values(record, name)
    )


def _term(spec: dict[str, Any]) -> Predicate:
    (field, wanted), *_ = spec.items()
    wanted = wanted.get("value") if isinstance(wanted, dict) else wanted
    return lambda record: any(_same(v, wanted) for v in _values(record, field))


def _terms(spec: dict[str, Any]) -> Predicate:
    (field, wanted), *_ = spec.items()
    return lambda record: any(_same(v, w) for v in _values(record, field) for w in wanted)


def _compiled(clause: Any) -> Predicate:
    """``clause`` as a predicate; raises SearchError for a clause it cannot run."""
    if not isinstance(clause, dict) or len(clause) != 1:
        raise SearchError("each query clause must be an object with one key")
    (kind, spec), *_ = clause.items()
    if kind == "match_all":
        return lambda record: True
    compilers = {
        "bool": _bool,
        "range": _range,
        "term": _term,
        "terms": _terms,
        "multi_match": _multi_match,
    }
    if kind not in compilers:
        raise SearchError(f"no [query] registered for [{kind}]")
    return compilers[kind](spec)


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _bool(spec: Any) -> Predicate:
    if not isinstance(spec, dict):
        raise SearchError("[bool] query malformed")
    unknown = set(spec) - {"must", "filter", "must_not", "should", "minimum_should_match"}
    if unknown:
        raise SearchError(f"[bool] query does not support [{sorted(unknown)[0]}]")
    required = [_compiled(c) for c in _listed(spec.get("must")) + _listed(spec.get("filter"))]
    excluded = [_compiled(c) for c in _listed(spec.get("must_not"))]
    should = [_compiled(c) for c in _listed(spec.get("should"))]

    def matches(record: dict[str, Any]) -> bool:
        if not all(p(record) for p in required):
            return False
        if any(p(record) for p in excluded):
            return False
        return not should or bool(required) or any(p(record) for p in should)

    return matches


def _sort_keys(sort: Any) -> list[tuple[str, bool]]:
    """(field, descending) pairs of a sort given as a dict, a list of dicts or field names."""
    keys: list[tuple[str, bool]] = []
    for item in _listed(sort):
        entries = item.items() if isinstance(item, dict) else [(item, "asc")]
        for field, how in entries:
            order = how.get("order", "asc") if isinstance(how, dict) else how
            if order not in ("asc", "desc"):
                raise SearchError(f"[sort] order must be asc or desc, got [{order}]")
            keys.append((str(field), order == "desc"))
    return keys


def _sorted(records: list[dict[str, Any]], keys: list[tuple[str, bool]]) -> list[dict[str, Any]]:
    # Equal sort values come in ascending id order (a sandbox assumption).
    ordered = sorted(records, key=lambda r: r["id"])
    for field, descending in reversed(keys):
        if field == "_score":
            continue
        ordered.sort(
            key=lambda r, f=field: (_comparable(f, (_values(r, f) or [""])[0]),),
            reverse=descending,
        )
    return ordered


def whole_number(value: Any, name: str, default: int) -> int:
    """``from``/``size`` as a JSON number or a numeric string (both in the document)."""
    if value is None:
        return default
    if isinstance(value, bool) or not str(value).strip().isdigit():
        raise SearchError(f"[{name}] must be a non-negative integer, got [{value}]")
    return int(str(value).strip())


def run_search(
    body: dict[str, Any],
    records: Iterable[dict[str, Any]],
    *,
    extra_filters: list[dict[str, Any]],
    result_window: int,
    total_cap: int,
) -> SearchResult:
    """Run ``body`` (its query plus ``extra_filters``, as the server adds them) over
    ``records``; raises SearchError for what it cannot run or a window too large."""
    start = whole_number(body.get("from"), "from", 0)
    size = whole_number(body.get("size"), "size", 10)
    if start + size > result_window:
        raise SearchError(
            f"Result window is too large, from + size must be less than or equal to: "
            f"[{result_window}] but was [{start + size}]."
        )
    predicates = [_compiled(c) for c in (body.get("query") or {"match_all": {}}, *extra_filters)]
    found = [r for r in records if all(p(r) for p in predicates)]
    keys = _sort_keys(body.get("sort"))
    found = _sorted(found, keys)
    sort_field = next((f for f, _ in keys if f != "_score"), None)
    return SearchResult(min(len(found), total_cap), found[start : start + size], sort_field)


def sort_value(record: dict[str, Any], field: str | None) -> list[Any]:
    """A hit's ``sort`` array: epoch milliseconds for a time field, as in the document."""
    if field is None:
        return []
    value = (_values(record, field) or [None])[0]
    if field.split(".")[-1] in _TIME_FIELDS and value is not None:
        return [int(_time(value).timestamp() * 1000)]
    return [value]
