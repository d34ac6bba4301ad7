"""The help desk (相談窓口) as the support staff work it: the queue, assigning, answering and
closing persons' inquiries."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import Field

from infobank.domain.identity import Principal, StaffRole
from infobank.entrypoints.api.bodies import Input
from infobank.entrypoints.api.deps import ContextDep, staff_with
from infobank.entrypoints.api.listing import Listing, PageDep, listing
from infobank.entrypoints.api.me.inquiries import MessageCreate, inquiry_public
from infobank.services import inquiries

router = APIRouter()

Desk = Annotated[Principal, staff_with(StaffRole.SUPPORT, StaffRole.OPERATOR)]


class Assignment(Input):
    staff_id: str | None = Field(default=None, max_length=64)


@router.get("/v1/admin/inquiries", tags=["staff"])
def desk(
    ctx: ContextDep,
    _staff: Desk,
    page: PageDep,
    status_: Annotated[
        list[Literal["open", "answered", "closed"]] | None, Query(alias="status")
    ] = None,
    assigned_to: Annotated[str | None, Query(max_length=64)] = None,
    overdue: bool = False,
) -> Listing[dict[str, Any]]:
    """The help desk queue (support, operator), newest first; ``assigned_to`` (a staff id, or
    ``me``) and ``overdue=true`` narrow it (then a page may hold fewer than ``limit``)."""
    who = _staff.id if assigned_to == "me" else assigned_to
    found = inquiries.desk_page(
        ctx, page, status_ or ("open", "answered"), assigned_to=who, overdue_only=overdue
    )
    now = ctx.clock.now()
    return listing(found, lambda i: inquiry_public(i, now, staff=True))


@router.get("/v1/admin/inquiries/{inquiry_id}", tags=["staff"])
def get_one(ctx: ContextDep, _staff: Desk, inquiry_id: str) -> dict[str, Any]:
    """One inquiry with its messages, assignment, age and first-reply target."""
    found = inquiries.get_inquiry(ctx, inquiry_id, None)
    return inquiry_public(found, ctx.clock.now(), staff=True)


@router.post("/v1/admin/inquiries/{inquiry_id}/assign", tags=["staff"])
def assign(ctx: ContextDep, _staff: Desk, inquiry_id: str, body: Assignment) -> dict[str, Any]:
    """Give an inquiry to a support or operator staff member (``staff_id: null`` takes it
    back)."""
    assigned = inquiries.assign(ctx, inquiry_id, body.staff_id)
    return inquiry_public(assigned, ctx.clock.now(), staff=True)


@router.post("/v1/admin/inquiries/{inquiry_id}/answer", tags=["staff"])
def answer(ctx: ContextDep, staff: Desk, inquiry_id: str, body: MessageCreate) -> dict[str, Any]:
    """Answer an inquiry; the person is notified."""
    inquiries.answer(ctx, staff, inquiry_id, body.body)
    return inquiry_public(inquiries.get_inquiry(ctx, inquiry_id, None), ctx.clock.now(), staff=True)


@router.post("/v1/admin/inquiries/{inquiry_id}/close", tags=["staff"])
def close(ctx: ContextDep, staff: Desk, inquiry_id: str) -> dict[str, Any]:
    """Close an inquiry."""
    inquiries.close(ctx, staff, inquiry_id)
    return inquiry_public(inquiries.get_inquiry(ctx, inquiry_id, None), ctx.clock.now(), staff=True)
