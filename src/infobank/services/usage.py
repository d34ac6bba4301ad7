"""Usage of the bank against the operator's targets (計画と実績), and the live counts that
``/metrics`` exposes.

The worker takes one snapshot a day (``snapshot_if_new_day``: users and active consents at the
start of the day in JST, and the running total of deliveries); the API adds up the requests it
served per day (``record_api_requests``). ``usage`` turns both into series beside the targets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from infobank.domain.business_days import local_day
from infobank.domain.errors import InvalidInput
from infobank.domain.usage import METRICS, Point, days_between, month_of, series
from infobank.services.context import Context

__all__ = [
    "Gauges",
    "MonthTargets",
    "as_json",
    "gauges",
    "record_api_requests",
    "set_targets",
    "snapshot_if_new_day",
    "targets",
    "usage",
]


@dataclass(frozen=True, slots=True)
class Gauges:
    persons: int
    consents: dict[str, int]
    deliveries: dict[str, int]
    queue_depth: int
    webhook_retries: int
    log_size: int


def gauges(ctx: Context) -> Gauges:
    """What the bank holds right now, by status (no personal data: counts only)."""
    with ctx.read() as uow:
        return Gauges(
            persons=uow.stats.live_persons(),
            consents=uow.stats.by("consents", "status"),
            deliveries=uow.stats.by("deliveries", "status"),
            queue_depth=uow.jobs.pending(),
            webhook_retries=uow.stats.webhook_retries(),
            log_size=uow.log.size(),
        )


def snapshot_if_new_day(ctx: Context) -> bool:
    """The worker's daily step: on the first round of a day (JST), store that day's counts.
    Every other round only reads whether today's snapshot exists."""
    now = ctx.clock.now()
    today = local_day(now)
    with ctx.uow() as uow:
        if uow.usage.has_snapshot(today):
            return False
        taken = uow.usage.add_snapshot(
            today,
            users=uow.stats.live_persons(),
            active_consents=uow.stats.count("consents", status="active"),
            deliveries_total=uow.stats.count("deliveries"),
            at=now,
        )
        uow.commit()
    return taken


def record_api_requests(ctx: Context, counts: Mapping[date, int]) -> None:
    """Add one process's tally of API requests per day."""
    if not any(counts.values()):
        return
    with ctx.uow() as uow:
        uow.usage.add_api_requests({d: n for d, n in counts.items() if n})
        uow.commit()


@dataclass(frozen=True, slots=True)
class MonthTargets:
    month: str  # YYYY-MM
    values: dict[str, int]  # metric → planned value


def _month(text: str) -> str:
    try:
        year, month = (int(part) for part in text.split("-"))
        return month_of(date(year, month, 1))
    except ValueError:
        raise InvalidInput(f"month {text!r} is not YYYY-MM", code="validation_error") from None


def set_targets(ctx: Context, staff_id: str, plans: Sequence[MonthTargets]) -> None:
    """The operator's plan: per month, planned users, active consents, deliveries and API
    requests (a metric left out keeps its earlier target)."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        for plan in plans:
            month = _month(plan.month)
            for metric, value in plan.values.items():
                if metric not in METRICS:
                    raise InvalidInput(f"unknown metric {metric!r}", code="validation_error")
                if value < 0:
                    raise InvalidInput("targets are not negative", code="validation_error")
                uow.usage.set_target(month, metric, value, now, staff_id)
        uow.commit()


def _months(start: date, end: date) -> list[str]:
    return list(dict.fromkeys(month_of(d) for d in days_between(start, end)))


def targets(ctx: Context, start: date, end: date) -> dict[str, dict[str, int]]:
    with ctx.read() as uow:
        return uow.usage.targets(_months(start, end))


def usage(ctx: Context, start: date, end: date, granularity: str = "day") -> dict[str, list[Point]]:
    """Actual against target per day or month, for users, active consents, deliveries and
    API requests. Today's levels are live; a day without a snapshot has no actual value."""
    try:
        days = days_between(start, end)
        if granularity not in ("day", "month"):
            raise ValueError("granularity must be day or month")
    except ValueError as exc:
        raise InvalidInput(str(exc), code="validation_error") from None
    today = local_day(ctx.clock.now())
    with ctx.read() as uow:
        snaps = uow.usage.snapshots(start, end + timedelta(days=1))
        requests = uow.usage.api_requests(start, end)
        planned = uow.usage.targets(_months(start, end))
        live: tuple[int, int, int] | None = None
        if start <= today <= end:
            live = (
                uow.stats.live_persons(),
                uow.stats.count("consents", status="active"),
                uow.stats.count("deliveries"),
            )
    actual: dict[str, dict[date, int]] = {m: {} for m in METRICS}
    for day in days:
        snap = snaps.get(day)
        if day == today and live is not None:
            actual["users"][day], actual["active_consents"][day] = live[0], live[1]
        elif snap is not None:
            actual["users"][day], actual["active_consents"][day] = snap[0], snap[1]
        following = live if day == today else snaps.get(day + timedelta(days=1))
        if snap is not None and following is not None:
            actual["deliveries"][day] = max(0, following[2] - snap[2])
        if day <= today:
            actual["api_requests"][day] = requests.get(day, 0)
    return series(days, actual, planned, granularity)


def as_json(points: Mapping[str, list[Point]]) -> dict[str, Any]:
    return {
        metric: [{"period": p.period, "actual": p.actual, "target": p.target} for p in values]
        for metric, values in points.items()
    }
