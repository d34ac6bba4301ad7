"""The person's side of the help desk (相談窓口): their inquiries (相談), opening one, following
it up and closing it. The staff answer them at ``staff.inquiries``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from starlette.responses import Response

from infobank.domain import errors as e
from infobank.domain.inquiries import INQUIRY_CATEGORIES
from infobank.entrypoints.web.deps import PageRoute, PersonVisit, Visit, csrf_guard
from infobank.services import inquiries
from infobank.services.inquiries import MAX_BODY, MAX_SUBJECT

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])

Body = Annotated[str, Form(max_length=MAX_BODY * 2)]


def _list_page(
    visit: Visit, *, status: int = 200, error: str = "", form: object = None
) -> Response:
    page = inquiries.inquiries_page(visit.ctx, visit.principal_id, visit.page_request())
    return visit.render(
        "inquiries.html",
        status=status,
        items=page.items,
        page=page,
        categories=INQUIRY_CATEGORIES,
        limits={"subject": MAX_SUBJECT, "body": MAX_BODY},
        error=error,
        form=form or {},
    )


@router.get("/inquiries")
def inquiries_page(visit: PersonVisit) -> Response:
    return _list_page(visit)


@router.post("/inquiries")
def open_inquiry(
    visit: PersonVisit,
    category: Annotated[str, Form(max_length=32)] = "question",
    subject: Annotated[str, Form(max_length=MAX_SUBJECT * 2)] = "",
    body: Body = "",
) -> Response:
    try:
        inquiry_id = inquiries.open_inquiry(visit.ctx, visit.principal_id, category, subject, body)
    except e.InvalidInput as exc:
        form = {"category": category, "subject": subject, "body": body}
        return _list_page(visit, status=422, error=exc.code, form=form)
    return visit.redirect(f"/inquiries/{inquiry_id}", "inquiry_sent")


def _inquiry_page(visit: Visit, inquiry_id: str, *, status: int = 200, error: str = "") -> Response:
    item = inquiries.get_inquiry(visit.ctx, inquiry_id, visit.principal_id)
    return visit.render("inquiry.html", status=status, item=item, error=error)


@router.get("/inquiries/{inquiry_id}")
def inquiry_page(visit: PersonVisit, inquiry_id: str) -> Response:
    return _inquiry_page(visit, inquiry_id)


@router.post("/inquiries/{inquiry_id}/messages")
def follow_up(visit: PersonVisit, inquiry_id: str, body: Body = "") -> Response:
    try:
        inquiries.follow_up(visit.ctx, visit.principal_id, inquiry_id, body)
    except e.InvalidInput as exc:
        return _inquiry_page(visit, inquiry_id, status=422, error=exc.code)
    return visit.redirect(f"/inquiries/{inquiry_id}", "inquiry_replied")


@router.post("/inquiries/{inquiry_id}/close")
def close_mine(visit: PersonVisit, inquiry_id: str) -> Response:
    assert visit.session is not None
    inquiries.close(visit.ctx, visit.session.principal, inquiry_id)
    return visit.redirect(f"/inquiries/{inquiry_id}", "inquiry_closed")
