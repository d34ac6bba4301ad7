"""Usage against the operator's targets (計画と実績): users, active consents, deliveries and API
requests, per day or per month.

    daily snapshots (worker, first round of each day in JST) ──► users, active consents (levels)
    snapshot totals, day to day ──► deliveries per day (a flow)
    request tally (API middleware) ──► API requests per day (a flow)
    targets per month (operator) ──► levels as set; flows spread evenly over the month's days

A day without a snapshot has no actual value (``None``): the chart shows a gap, not a zero.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["FLOWS", "LEVELS", "METRICS", "Point", "days_between", "month_of", "series"]

LEVELS = ("users", "active_consents")  # a value at a moment: a month shows its last day
FLOWS = ("deliveries", "api_requests")  # a count per day: a month shows the sum
METRICS = LEVELS + FLOWS
MAX_DAYS = 3 * 366


@dataclass(frozen=True, slots=True)
class Point:
    period: str  # YYYY-MM-DD or YYYY-MM
    actual: int | None
    target: float | None


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def days_between(start: date, end: date) -> list[date]:
    if end < start:
        raise ValueError("the end of the range is before its start")
    if (end - start).days >= MAX_DAYS:
        raise ValueError(f"a range covers at most {MAX_DAYS} days")
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _daily_target(metric: str, day: date, targets: Mapping[str, Mapping[str, int]]) -> float | None:
    value = targets.get(month_of(day), {}).get(metric)
    if value is None:
        return None
    if metric in LEVELS:
        return float(value)
    return round(value / calendar.monthrange(day.year, day.month)[1], 2)


def series(
    days: Sequence[date],
    actual: Mapping[str, Mapping[date, int]],
    targets: Mapping[str, Mapping[str, int]],
    granularity: str = "day",
) -> dict[str, list[Point]]:
    """Actual against target for every metric, per day or per month (``granularity``).

    ``actual[metric][day]`` holds what is known; ``targets[month][metric]`` the plan.
    """
    if granularity not in ("day", "month"):
        raise ValueError("granularity must be day or month")
    out: dict[str, list[Point]] = {}
    for metric in METRICS:
        known = actual.get(metric, {})
        if granularity == "day":
            out[metric] = [
                Point(d.isoformat(), known.get(d), _daily_target(metric, d, targets)) for d in days
            ]
            continue
        months: dict[str, list[date]] = {}
        for d in days:
            months.setdefault(month_of(d), []).append(d)
        points = []
        for month, in_month in months.items():
            values = [known[d] for d in in_month if d in known]
            if not values:
                value = None
            elif metric in LEVELS:
                value = known[max(d for d in in_month if d in known)]
            else:
                value = sum(values)
            planned = targets.get(month, {}).get(metric)
            points.append(Point(month, value, None if planned is None else float(planned)))
        out[metric] = points
    return out
