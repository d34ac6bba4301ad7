"""The help desk (相談窓口): persons ask, support staff answer, either side closes.

Subjects and messages are sealed under the person's data key, bound to their row, before
they reach the repository. A person sees only their own inquiries (another's id answers 404);
each answer from the desk is also a notification to the person.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import datetime

from infobank.domain.business_days import add_business_days
from infobank.domain.errors import Conflict, Gone, InvalidInput, NotFound
from infobank.domain.identity import Principal, PrincipalKind, StaffRole
from infobank.domain.inquiries import (
    INQUIRY_CATEGORIES,
    Inquiry,
    InquiryMessage,
    StoredInquiry,
    StoredInquiryMessage,
    inquiry_status_after,
)
from infobank.domain.pages import Page, PageRequest
from infobank.services.context import Context
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = [
    "MAX_BODY",
    "MAX_SUBJECT",
    "answer",
    "assign",
    "close",
    "desk",
    "desk_page",
    "first_reply_due",
    "follow_up",
    "get_inquiry",
    "inquiries_page",
    "list_inquiries",
    "open_inquiry",
]

MAX_SUBJECT = 200
MAX_BODY = 5000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # newlines and tabs are fine


def _text(name: str, value: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput(f"{name} is required", code="validation_error")
    if len(value) > limit:
        raise InvalidInput(f"{name} is longer than {limit} characters", code="validation_error")
    if _CONTROL.search(value):
        raise InvalidInput(f"{name} must not hold control characters", code="validation_error")
    return value


def _is_id(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _key(uow: UnitOfWork, person_id: str) -> bytes:
    wrapped = uow.persons.wrapped_key(person_id)
    if wrapped is None:
        raise Gone("this person's data has been erased", code="data_erased")
    return wrapped


def _seal(ctx: Context, wrapped: bytes, person_id: str, row: str, text: str) -> bytes:
    return ctx.data_keys.encrypt(wrapped, person_id, text.encode(), f"inquiry:{row}".encode())


def _unseal(ctx: Context, wrapped: bytes, person_id: str, row: str, blob: bytes) -> str:
    return ctx.data_keys.decrypt(wrapped, person_id, blob, f"inquiry:{row}".encode()).decode()


def first_reply_due(ctx: Context, inquiry: StoredInquiry) -> datetime:
    """When the desk's first reply is late: the configured business days after receipt."""
    return add_business_days(inquiry.created_at, ctx.limits.inquiry_first_reply_business_days)


def _open(ctx: Context, uow: UnitOfWork, stored: Sequence[StoredInquiry]) -> list[Inquiry]:
    """Decrypt inquiries with their messages; an erased person's show no text."""
    now = ctx.clock.now()
    messages: dict[str, list[StoredInquiryMessage]] = {}
    for message in uow.inquiries.messages([i.id for i in stored]):
        messages.setdefault(message.inquiry_id, []).append(message)
    keys: dict[str, bytes | None] = {}
    opened: list[Inquiry] = []
    for item in stored:
        if item.person_id not in keys:
            keys[item.person_id] = uow.persons.wrapped_key(item.person_id)
        wrapped = keys[item.person_id]
        thread = messages.get(item.id, [])
        if wrapped is None:
            subject, shown = (
                "",
                tuple(InquiryMessage(m.id, m.author_kind, "", m.created_at) for m in thread),
            )
        else:
            subject = _unseal(ctx, wrapped, item.person_id, f"{item.id}:subject", item.subject_enc)
            shown = tuple(
                InquiryMessage(
                    m.id,
                    m.author_kind,
                    _unseal(ctx, wrapped, item.person_id, f"{item.id}:{m.id}", m.body_enc),
                    m.created_at,
                )
                for m in thread
            )
        opened.append(
            Inquiry(
                id=item.id,
                person_id=item.person_id,
                category=item.category,
                subject=subject,
                status=item.status,
                created_at=item.created_at,
                updated_at=item.updated_at,
                closed_at=item.closed_at,
                messages=shown,
                erased=wrapped is None,
                assigned_to=item.assigned_to,
                assigned_at=item.assigned_at,
                first_replied_at=item.first_replied_at,
                first_reply_due_at=(due := first_reply_due(ctx, item)),
                overdue=item.first_replied_at is None and item.status != "closed" and now >= due,
            )
        )
    return opened


def _add_message(
    ctx: Context,
    uow: UnitOfWork,
    inquiry: StoredInquiry,
    author: Principal,
    body: str,
    position: int,
) -> None:
    message_id = str(uuid.uuid4())
    wrapped = _key(uow, inquiry.person_id)
    uow.inquiries.add_message(
        StoredInquiryMessage(
            id=message_id,
            inquiry_id=inquiry.id,
            position=position,
            author_kind=author.kind.value,
            author_id=author.id,
            body_enc=_seal(ctx, wrapped, inquiry.person_id, f"{inquiry.id}:{message_id}", body),
            created_at=ctx.clock.now(),
        )
    )


def open_inquiry(ctx: Context, person_id: str, category: str, subject: str, body: str) -> str:
    """A person asks the help desk; returns the inquiry id."""
    if category not in INQUIRY_CATEGORIES:
        raise InvalidInput(
            f"category must be one of {', '.join(INQUIRY_CATEGORIES)}", code="validation_error"
        )
    subject = _text("subject", subject, MAX_SUBJECT)
    body = _text("body", body, MAX_BODY)
    now = ctx.clock.now()
    inquiry_id = str(uuid.uuid4())
    with ctx.uow() as uow:
        wrapped = _key(uow, person_id)
        stored = StoredInquiry(
            id=inquiry_id,
            person_id=person_id,
            category=category,
            subject_enc=_seal(ctx, wrapped, person_id, f"{inquiry_id}:subject", subject),
            status="open",
            created_at=now,
            updated_at=now,
        )
        uow.inquiries.add(stored)
        _add_message(ctx, uow, stored, Principal(PrincipalKind.PERSON, person_id), body, 1)
        uow.commit()
    return inquiry_id


def list_inquiries(ctx: Context, person_id: str) -> list[Inquiry]:
    with ctx.read() as uow:
        return _open(ctx, uow, uow.inquiries.for_person(person_id))


def inquiries_page(ctx: Context, person_id: str, request: PageRequest) -> Page[Inquiry]:
    """One page of the person's inquiries, newest first."""
    with ctx.read() as uow:
        page = uow.inquiries.page(request, person_id=person_id)
        opened = _open(ctx, uow, page.items)
    return Page(opened, page.next_cursor, page.prev_cursor)


def _mine(
    uow: UnitOfWork, inquiry_id: str, person_id: str | None, *, for_update: bool = True
) -> StoredInquiry:
    inquiry = uow.inquiries.get(inquiry_id, for_update=for_update) if _is_id(inquiry_id) else None
    # Another person's inquiry is answered exactly like a missing one.
    if inquiry is None or (person_id is not None and inquiry.person_id != person_id):
        raise NotFound("no such inquiry")
    return inquiry


def get_inquiry(ctx: Context, inquiry_id: str, person_id: str | None) -> Inquiry:
    """One inquiry with its messages: the person's own (``person_id``), or any for the desk."""
    with ctx.read() as uow:
        return _open(ctx, uow, [_mine(uow, inquiry_id, person_id, for_update=False)])[0]


def _reply(ctx: Context, inquiry_id: str, author: Principal, body: str, action: str) -> None:
    body = _text("body", body, MAX_BODY)
    with ctx.uow() as uow:
        owner = author.id if author.kind is PrincipalKind.PERSON else None
        inquiry = _mine(uow, inquiry_id, owner)
        status = inquiry_status_after(inquiry.status, action)
        position = len(uow.inquiries.messages([inquiry.id])) + 1
        _add_message(ctx, uow, inquiry, author, body, position)
        now = ctx.clock.now()
        uow.inquiries.set_status(inquiry.id, status, now)
        if action == "answer":
            uow.inquiries.mark_first_reply(inquiry.id, now)
            uow.notifications.add(
                inquiry.person_id, "inquiry.answered", {"inquiry_id": inquiry.id}, now
            )
        uow.commit()


def follow_up(ctx: Context, person_id: str, inquiry_id: str, body: str) -> None:
    """The person adds to their own inquiry; it is open again for the desk."""
    _reply(ctx, inquiry_id, Principal(PrincipalKind.PERSON, person_id), body, "follow_up")


def answer(ctx: Context, staff: Principal, inquiry_id: str, body: str) -> None:
    """The help desk answers; the person is notified."""
    _reply(ctx, inquiry_id, staff, body, "answer")


def close(ctx: Context, actor: Principal, inquiry_id: str) -> None:
    """Close an inquiry: the person their own, the desk any."""
    with ctx.uow() as uow:
        owner = actor.id if actor.kind is PrincipalKind.PERSON else None
        inquiry = _mine(uow, inquiry_id, owner)
        status = inquiry_status_after(inquiry.status, "close")
        uow.inquiries.set_status(inquiry.id, status, ctx.clock.now())
        if owner is None:  # closed by the desk: the person is told
            uow.notifications.add(
                inquiry.person_id, "inquiry.closed", {"inquiry_id": inquiry.id}, ctx.clock.now()
            )
        uow.commit()


def desk(
    ctx: Context,
    statuses: Sequence[str] = ("open", "answered"),
    *,
    assigned_to: str | None = None,
    overdue_only: bool = False,
) -> list[Inquiry]:
    """The help desk's queue, longest-waiting first; optionally one staff member's, or only
    those whose first reply is late."""
    with ctx.read() as uow:
        found = _open(ctx, uow, uow.inquiries.find(statuses, assigned_to=assigned_to))
    return [i for i in found if i.overdue] if overdue_only else found


def desk_page(
    ctx: Context,
    request: PageRequest,
    statuses: Sequence[str] = ("open", "answered"),
    *,
    assigned_to: str | None = None,
    overdue_only: bool = False,
) -> Page[Inquiry]:
    """One page of the help desk's queue, newest first. With ``overdue_only`` the page keeps
    only the late ones, so it may hold fewer than the limit; its cursors still read on."""
    with ctx.read() as uow:
        page = uow.inquiries.page(request, statuses=statuses, assigned_to=assigned_to)
        found = _open(ctx, uow, page.items)
    kept = [i for i in found if i.overdue] if overdue_only else found
    return Page(kept, page.next_cursor, page.prev_cursor)


_DESK_ROLES = (StaffRole.SUPPORT, StaffRole.OPERATOR)


def assign(ctx: Context, inquiry_id: str, staff_id: str | None) -> Inquiry:
    """Give an inquiry to a member of the help desk (担当者), or take it back (None)."""
    with ctx.uow() as uow:
        inquiry = _mine(uow, inquiry_id, None)
        if staff_id is not None:
            member = uow.staff.get(staff_id) if _is_id(staff_id) else None
            if member is None or member.role not in _DESK_ROLES or member.disabled_at:
                raise InvalidInput(
                    "assign to an active support or operator staff member",
                    code="not_desk_staff",
                )
        if inquiry.status == "closed":
            raise Conflict("a closed inquiry cannot be assigned", code="inquiry_state")
        uow.inquiries.assign(inquiry.id, staff_id, ctx.clock.now())
        uow.commit()
        return _open(ctx, uow, [_mine(uow, inquiry_id, None)])[0]
