"""The ethics review queue (倫理審査) in the staff console: offers waiting for the data ethics
board (データ倫理審査会), first reviews and renewals (再審査), and recording its decision with
the minutes, the conditions the software checks (審査会の条件) and any conditions in words;
and an offer's usage reports (利用報告). Operators, ethics reviewers and auditors read; only
ethics reviewers decide.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from starlette.responses import Response

from infobank.domain import errors as e
from infobank.domain.identity import StaffRole
from infobank.domain.reviews import Conditions
from infobank.entrypoints.web.deps import PageRoute, Visit, csrf_guard, staff_visit
from infobank.services import offers, staff_console, usage_reports

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])

_O, _E, _A = StaffRole.OPERATOR, StaffRole.ETHICS, StaffRole.AUDITOR
Reader = Annotated[Visit, Depends(staff_visit(_O, _E, _A))]
Ethics = Annotated[Visit, Depends(staff_visit(_E))]
Text = Annotated[str, Form(max_length=1024)]
Number = Annotated[str, Form(max_length=16)]
Long = Annotated[str, Form(max_length=20000)]
Many = Annotated[list[str] | None, Form()]


def _reviews_page(
    visit: Visit,
    *,
    status: int = 200,
    error: str = "",
    form_offer: str = "",
    form: dict[str, Any] | None = None,
) -> Response:
    """The queue; after a refused decision, the form of ``form_offer`` keeps what was typed."""
    return visit.render(
        "staff/reviews.html",
        status=status,
        queue=(page := staff_console.review_queue(visit.ctx, visit.page_request())).items,
        page=page,
        error=error,
        form_offer=form_offer,
        form=form or {},
    )


@router.get("/staff/reviews")
def reviews_page(visit: Reader) -> Response:
    return _reviews_page(visit)


def _number(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise e.InvalidInput(f"not a whole number: {value!r}", code="invalid_conditions") from None


def _day(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise e.InvalidInput(f"not a date: {value!r}", code="invalid_conditions") from None


@router.post("/staff/offers/{offer_id}/review")
def review(
    visit: Ethics,
    offer_id: str,
    decision: Text = "",
    minutes: Long = "",
    notes: Long = "",
    conditions: Long = "",  # the earlier name of ``notes``
    max_retention_days: Number = "",
    no_profiling: Text = "",
    target_age_min: Number = "",
    target_age_max: Number = "",
    target_prefectures: Many = None,
    capacity_max: Number = "",
    approval_valid_until: Text = "",
    report_after_days: Number = "",
) -> Response:
    assert visit.session is not None
    words = [line.strip() for line in f"{notes}\n{conditions}".splitlines() if line.strip()]
    try:
        checked = Conditions(
            max_retention_days=_number(max_retention_days),
            profiling_allowed=False if no_profiling else None,
            target_age_min=_number(target_age_min),
            target_age_max=_number(target_age_max),
            target_prefectures=tuple(p for p in target_prefectures or () if p),
            capacity_max=_number(capacity_max),
            approval_valid_until=_day(approval_valid_until),
            report_after_days=_number(report_after_days),
        )
        offers.review_offer(
            visit.ctx,
            offer_id,
            visit.session.principal.id,
            decision,
            minutes,
            words,
            conditions=checked,
        )
    except e.InvalidInput as exc:
        typed = {
            "minutes": minutes,
            "notes": "\n".join(words),
            "max_retention_days": max_retention_days,
            "no_profiling": bool(no_profiling),
            "target_age_min": target_age_min,
            "target_age_max": target_age_max,
            "target_prefectures": list(target_prefectures or ()),
            "capacity_max": capacity_max,
            "approval_valid_until": approval_valid_until,
            "report_after_days": report_after_days,
        }
        return _reviews_page(visit, status=422, error=exc.code, form_offer=offer_id, form=typed)
    return visit.redirect("/staff/reviews", "review_recorded")


@router.get("/staff/offers/{offer_id}/reports")
def reports_page(visit: Reader, offer_id: str) -> Response:
    """Every usage report (利用報告) filed on one offer, newest first."""
    offer, _ = offers.get_offer(visit.ctx, offer_id, None)
    page = usage_reports.reports_page(visit.ctx, offer_id, visit.page_request())
    return visit.render("staff/usage_reports.html", offer=offer, reports=page.items, page=page)
