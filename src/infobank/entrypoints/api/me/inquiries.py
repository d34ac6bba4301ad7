"""The person's inquiries to the help desk (相談窓口): asking, following up, closing; and
how an inquiry is shown, to the person and to the desk."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, status
from pydantic import Field

from infobank.domain.inquiries import Inquiry
from infobank.entrypoints.api.bodies import Created, Input
from infobank.entrypoints.api.deps import ContextDep, CurrentPerson
from infobank.entrypoints.api.listing import Listing, PageDep, listing
from infobank.services import inquiries
from infobank.services.inquiries import MAX_BODY, MAX_SUBJECT

router = APIRouter()

# The same codes as ``INQUIRY_CATEGORIES`` (a test keeps them equal).
InquiryCategory = Literal["question", "consent", "data", "complaint", "other"]


class InquiryCreate(Input):
    category: InquiryCategory = "question"
    subject: str = Field(min_length=1, max_length=MAX_SUBJECT)
    body: str = Field(min_length=1, max_length=MAX_BODY)


class MessageCreate(Input):
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


@router.get("/v1/me/inquiries", tags=["persons"])
def list_mine(ctx: ContextDep, person: CurrentPerson, page: PageDep) -> Listing[dict[str, Any]]:
    """The person's inquiries to the help desk with status and messages, newest first."""
    now = ctx.clock.now()
    return listing(inquiries.inquiries_page(ctx, person.id, page), lambda i: inquiry_public(i, now))


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
