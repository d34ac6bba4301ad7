"""The help desk (相談窓口) in the staff console: the queue of inquiries (相談), taking one or
handing it back, answering and closing. Support and operator staff work the desk."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from starlette.responses import Response

from infobank.domain.identity import StaffRole
from infobank.entrypoints.web.deps import PageRoute, Visit, csrf_guard, staff_visit
from infobank.services import inquiries
from infobank.services.inquiries import MAX_BODY

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])

Body = Annotated[str, Form(max_length=MAX_BODY * 2)]
DeskVisit = Annotated[Visit, Depends(staff_visit(StaffRole.SUPPORT, StaffRole.OPERATOR))]


@router.get("/staff/inquiries")
def desk_page(
    visit: DeskVisit, show: str = "", mine: bool = False, overdue: bool = False
) -> Response:
    """The queue, longest waiting first: each with its category, who has it, its age and
    whether the first reply is late; ``mine`` and ``overdue`` narrow it."""
    statuses = ("open", "answered", "closed") if show == "all" else ("open", "answered")
    return visit.render(
        "staff/inquiries.html",
        items=inquiries.desk(
            visit.ctx,
            statuses,
            assigned_to=visit.principal_id if mine else None,
            overdue_only=overdue,
        ),
        me=visit.principal_id,
        show_all=show == "all",
        mine=mine,
        overdue=overdue,
        reply_days=visit.ctx.limits.inquiry_first_reply_business_days,
        error="",
    )


@router.post("/staff/inquiries/{inquiry_id}/assign")
def assign(
    visit: DeskVisit, inquiry_id: str, to: Annotated[str, Form(max_length=8)] = ""
) -> Response:
    """Take an inquiry (``to=me``), or hand it back to the queue (anything else)."""
    taking = to == "me"
    inquiries.assign(visit.ctx, inquiry_id, visit.principal_id if taking else None)
    return visit.redirect("/staff/inquiries", "inquiry_assigned" if taking else "inquiry_released")


@router.post("/staff/inquiries/{inquiry_id}/answer")
def answer(visit: DeskVisit, inquiry_id: str, body: Body = "") -> Response:
    assert visit.session is not None
    inquiries.answer(visit.ctx, visit.session.principal, inquiry_id, body)
    return visit.redirect("/staff/inquiries", "inquiry_answered")


@router.post("/staff/inquiries/{inquiry_id}/close")
def close(visit: DeskVisit, inquiry_id: str) -> Response:
    assert visit.session is not None
    inquiries.close(visit.ctx, visit.session.principal, inquiry_id)
    return visit.redirect("/staff/inquiries", "inquiry_closed")
