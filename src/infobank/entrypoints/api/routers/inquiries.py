"""The help desk (相談窓口): persons' inquiries and the support staff's answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, ConfigDict, Field

from infobank.domain.identity import Principal, StaffRole
from infobank.domain.inquiries import Inquiry
from infobank.entrypoints.api.deps import ContextDep, CurrentPerson, staff_with
from infobank.entrypoints.api.schemas import Created
from infobank.services import inquiries
from infobank.services.inquiries import MAX_BODY, MAX_SUBJECT

router = APIRouter()

Desk = Annotated[Principal, staff_with(StaffRole.SUPPORT, StaffRole.OPERATOR)]
# The same codes as ``INQUIRY_CATEGORIES`` (a test keeps them equal).
InquiryCategory = Literal["question", "consent", "data", "complaint", "other"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class InquiryCreate(_In):
    category: InquiryCategory = "question"
    subject: str = Field(min_length=1, max_length=MAX_SUBJECT)
    body: str = Field(min_length=1, max_length=MAX_BODY)


class MessageCreate(_In):
    body: str = Field(min_length=1, max_length=MAX_BODY)


def inquiry_public(
    inquiry: Inquiry, now: datetime | None = None, *, staff: bool = False
) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "id": inquiry.id,
        "category": inquiry.category,
        "subject": inquiry.subject,
        "status": inquiry.status,
        "created_at": inquiry.created_at,
        "updated_at": inquiry.updated_at,
        "closed_at": inquiry.closed_at,
        "erased": inquiry.erased,
        "messages": [
            {"from": m.author_kind, "body": m.body, "at": m.created_at} for m in inquiry.messages
        ],
        "assigned": inquiry.assigned_to is not None,
        "first_replied_at": inquiry.first_replied_at,
        "first_reply_due_at": inquiry.first_reply_due_at,
        "overdue": inquiry.overdue,
    }
    if now is not None:  # age: how long since it was received (or until it was closed)
        age = (inquiry.closed_at or now) - inquiry.created_at
        shown["age_seconds"] = max(0, int(age.total_seconds()))
        shown["age_days"] = max(0, age.days)
    if staff:
        shown["assigned_to"] = inquiry.assigned_to
        shown["assigned_at"] = inquiry.assigned_at
    return shown


class Assignment(_In):
    staff_id: str | None = Field(default=None, max_length=64)


@router.get("/v1/me/inquiries", tags=["persons"])
def list_mine(ctx: ContextDep, person: CurrentPerson) -> list[dict[str, Any]]:
    """The person's inquiries to the help desk, with their status and messages."""
    now = ctx.clock.now()
    return [inquiry_public(i, now) for i in inquiries.list_inquiries(ctx, person.id)]


@router.post("/v1/me/inquiries", status_code=status.HTTP_201_CREATED, tags=["persons"])
def create(ctx: ContextDep, person: CurrentPerson, body: InquiryCreate) -> Created:
    """Ask the help desk (相談窓口) a question or make a complaint."""
    inquiry_id = inquiries.open_inquiry(ctx, person.id, body.category, body.subject, body.body)
    return Created(id=inquiry_id)


@router.get("/v1/me/inquiries/{inquiry_id}", tags=["persons"])
def get_mine(ctx: ContextDep, person: CurrentPerson, inquiry_id: str) -> dict[str, Any]:
    """One of the person's inquiries (404 for anyone else's)."""
    return inquiry_public(inquiries.get_inquiry(ctx, inquiry_id, person.id), ctx.clock.now())


@router.post("/v1/me/inquiries/{inquiry_id}/messages", tags=["persons"])
def follow_up(
    ctx: ContextDep, person: CurrentPerson, inquiry_id: str, body: MessageCreate
) -> dict[str, Any]:
    """Add to an inquiry; it goes back to the help desk."""
    inquiries.follow_up(ctx, person.id, inquiry_id, body.body)
    return inquiry_public(inquiries.get_inquiry(ctx, inquiry_id, person.id), ctx.clock.now())


@router.post("/v1/me/inquiries/{inquiry_id}/close", tags=["persons"])
def close_mine(ctx: ContextDep, person: CurrentPerson, inquiry_id: str) -> dict[str, Any]:
    """Close one's own inquiry."""
    inquiries.close(ctx, person, inquiry_id)
    return inquiry_public(inquiries.get_inquiry(ctx, inquiry_id, person.id), ctx.clock.now())


@router.get("/v1/admin/inquiries", tags=["staff"])
def desk(
    ctx: ContextDep,
    _staff: Desk,
    status_: Annotated[
        list[Literal["open", "answered", "closed"]] | None, Query(alias="status")
    ] = None,
    assigned_to: Annotated[str | None, Query(max_length=64)] = None,
    overdue: bool = False,
) -> list[dict[str, Any]]:
    """The help desk queue (support, operator), longest-waiting first; ``assigned_to`` (a
    staff id, or ``me``) and ``overdue=true`` narrow it."""
    who = _staff.id if assigned_to == "me" else assigned_to
    found = inquiries.desk(
        ctx, status_ or ("open", "answered"), assigned_to=who, overdue_only=overdue
    )
    now = ctx.clock.now()
    return [inquiry_public(i, now, staff=True) for i in found]


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
