"""Usage (利用状況): the operating figures against the operator's targets (計画と実績), as
JSON and as an SVG chart, and setting those targets."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field

from infobank.domain.business_days import local_day
from infobank.entrypoints.api.bodies import VerbatimInput
from infobank.entrypoints.api.deps import ContextDep, Operator, Reader
from infobank.services import charts, usage

router = APIRouter(tags=["staff"])

Metric = Literal["users", "active_consents", "deliveries", "api_requests"]
_TITLES = {
    "users": "利用者数 / Users",
    "active_consents": "有効な同意 / Active consents",
    "deliveries": "提供件数 / Deliveries",
    "api_requests": "APIリクエスト / API requests",
}


class MonthTargetIn(VerbatimInput):
    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")
    users: int | None = Field(default=None, ge=0)
    active_consents: int | None = Field(default=None, ge=0)
    deliveries: int | None = Field(default=None, ge=0, description="per month")
    api_requests: int | None = Field(default=None, ge=0, description="per month")


class TargetsIn(VerbatimInput):
    targets: list[MonthTargetIn] = Field(min_length=1, max_length=120)


def _range(ctx: ContextDep, start: date | None, end: date | None) -> tuple[date, date]:
    today = local_day(ctx.clock.now())
    end = end or today
    return start or end.replace(day=1), end


def _flush(request: Request) -> None:
    """This process's request tally goes in first, so the figures include it."""
    metrics = getattr(request.app.state, "metrics", None)
    if metrics is not None:
        metrics.tally.flush()


@router.put("/v1/admin/usage/targets")
def set_targets(ctx: ContextDep, staff: Operator, body: TargetsIn) -> dict[str, Any]:
    """Set the planned users, active consents, deliveries and API requests per month."""
    plans = [
        usage.MonthTargets(
            t.month, {k: v for k, v in t.model_dump(exclude={"month"}).items() if v is not None}
        )
        for t in body.targets
    ]
    usage.set_targets(ctx, staff.id, plans)
    months = sorted(t.month for t in body.targets)
    first = datetime.strptime(months[0], "%Y-%m").date()
    last = datetime.strptime(months[-1], "%Y-%m").date()
    return {"targets": usage.targets(ctx, first, last)}


@router.get("/v1/admin/usage")
def get_usage(
    request: Request,
    ctx: ContextDep,
    _staff: Reader,
    from_: Annotated[date | None, Query(alias="from")] = None,
    to: date | None = None,
    granularity: Literal["day", "month"] = "day",
) -> dict[str, Any]:
    """Actual against target per day or month (days in JST): users and active consents
    (levels), deliveries and API requests (counts). Default: this month so far."""
    _flush(request)
    start, end = _range(ctx, from_, to)
    points = usage.usage(ctx, start, end, granularity)
    return {
        "from": start,
        "to": end,
        "granularity": granularity,
        "timezone": "Asia/Tokyo",
        "metrics": usage.as_json(points),
        "targets": usage.targets(ctx, start, end),
    }


@router.get("/v1/admin/usage/chart")
def usage_chart(
    request: Request,
    ctx: ContextDep,
    _staff: Reader,
    metric: Metric,
    from_: Annotated[date | None, Query(alias="from")] = None,
    to: date | None = None,
    granularity: Literal["day", "month"] = "day",
) -> Response:
    """One metric, actual against target, as an inline SVG line chart."""
    _flush(request)
    start, end = _range(ctx, from_, to)
    points = usage.usage(ctx, start, end, granularity)[metric]
    svg = charts.line_chart(
        [p.period for p in points],
        [
            charts.Line(
                "実績 / actual", [None if p.actual is None else float(p.actual) for p in points]
            ),
            charts.Line("目標 / target", [p.target for p in points], dashed=True),
        ],
        title=_TITLES[metric],
    )
    return Response(svg, media_type="image/svg+xml")
