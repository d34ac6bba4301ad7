"""The usage page (利用状況): users, active consents, deliveries and API requests over time
against the targets the operator sets (計画と実績 — planned against actual, as the
government's survey of information banks asked), each drawn as a chart with its figures in a
table beside it.

Operators and auditors read it; only operators set targets.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query
from starlette.responses import Response

from infobank.domain import errors as e
from infobank.domain.business_days import local_day
from infobank.domain.identity import StaffRole
from infobank.domain.usage import METRICS, month_of
from infobank.entrypoints.web.deps import PageRoute, Visit, csrf_guard, staff_visit
from infobank.services import usage

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])

Reader = Annotated[Visit, Depends(staff_visit(StaffRole.OPERATOR, StaffRole.AUDITOR))]
Operator = Annotated[Visit, Depends(staff_visit(StaffRole.OPERATOR))]
Figure = Annotated[str, Form(max_length=32)]
Granularity = Literal["day", "month"]

_WHOLE = re.compile(r"^\d{1,15}$")


def _flush_request_tally(visit: Visit) -> None:
    """This process's count of API requests goes in first, so the figures include it."""
    metrics = getattr(visit.request.app.state, "metrics", None)
    if metrics is not None:
        metrics.tally.flush()


def _this_month(visit: Visit) -> tuple[date, date]:
    today = local_day(visit.ctx.clock.now())
    return today.replace(day=1), today


def _page(
    visit: Visit,
    start: date,
    end: date,
    granularity: Granularity,
    *,
    status: int = 200,
    error: str = "",
    form: dict[str, Any] | None = None,
) -> Response:
    _flush_request_tally(visit)
    points = usage.usage(visit.ctx, start, end, granularity)
    planned = usage.targets(visit.ctx, start, end)
    month = month_of(end)
    return visit.render(
        "staff/usage.html",
        status=status,
        start=start,
        end=end,
        granularity=granularity,
        metrics=METRICS,
        points=points,
        targets=planned,
        form=form or {"month": month, **planned.get(month, {})},
        error=error,
    )


@router.get("/staff/usage")
def usage_page(
    visit: Reader,
    from_: Annotated[date | None, Query(alias="from")] = None,
    to: date | None = None,
    granularity: Granularity = "day",
) -> Response:
    """This month so far by day, unless another period is asked for (days in JST)."""
    first, today = _this_month(visit)
    end = to or today
    start = from_ or end.replace(day=1)
    try:
        return _page(visit, start, end, granularity)
    except e.InvalidInput as exc:
        return _page(visit, first, today, "day", status=422, error=exc.code)


@router.post("/staff/usage/targets")
def set_targets(
    visit: Operator,
    month: Annotated[str, Form(max_length=16)] = "",
    users: Figure = "",
    active_consents: Figure = "",
    deliveries: Figure = "",
    api_requests: Figure = "",
) -> Response:
    """One month's plan; a figure left empty keeps its earlier target."""
    typed = {
        "users": users.strip(),
        "active_consents": active_consents.strip(),
        "deliveries": deliveries.strip(),
        "api_requests": api_requests.strip(),
    }
    form = {"month": month, **typed}
    first, today = _this_month(visit)
    if any(value and not _WHOLE.match(value) for value in typed.values()):
        return _page(visit, first, today, "day", status=422, error="validation_error", form=form)
    values = {metric: int(value) for metric, value in typed.items() if value}
    if not values:
        return _page(visit, first, today, "day", status=422, error="targets_empty", form=form)
    try:
        usage.set_targets(visit.ctx, visit.principal_id, [usage.MonthTargets(month, values)])
    except e.InvalidInput as exc:
        return _page(visit, first, today, "day", status=422, error=exc.code, form=form)
    year, number = (int(part) for part in month.split("-"))  # the use case has checked it
    shown = {
        "from": date(year, number, 1).isoformat(),
        "to": date(year, number, calendar.monthrange(year, number)[1]).isoformat(),
    }
    return visit.redirect("/staff/usage", "targets_saved", **shown)
