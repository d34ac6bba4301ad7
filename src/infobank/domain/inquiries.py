"""Inquiries (相談窓口): a person's question or complaint and the help desk's answers.

    open ──answer──► answered ──follow_up──► open        (either) ──close──► closed

Subjects and messages may hold personal data, so they are stored only encrypted under the
person's data key (``*_enc``); erasing the key erases the conversation too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from infobank.domain.errors import Conflict

__all__ = [
    "INQUIRY_CATEGORIES",
    "Inquiry",
    "InquiryMessage",
    "StoredInquiry",
    "StoredInquiryMessage",
    "inquiry_status_after",
]

INQUIRY_CATEGORIES = ("question", "consent", "data", "complaint", "other")

_NEXT = {
    ("open", "answer"): "answered",
    ("answered", "answer"): "answered",
    ("open", "follow_up"): "open",
    ("answered", "follow_up"): "open",
    ("open", "close"): "closed",
    ("answered", "close"): "closed",
}


def inquiry_status_after(status: str, action: str) -> str:
    following = _NEXT.get((status, action))
    if following is None:
        raise Conflict(f"an inquiry that is {status} cannot take {action}", code="inquiry_state")
    return following


@dataclass(frozen=True, slots=True)
class StoredInquiry:
    id: str
    person_id: str
    category: str
    subject_enc: bytes
    status: str
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    assigned_to: str | None = None  # the support staff member handling it (担当者)
    assigned_at: datetime | None = None
    first_replied_at: datetime | None = None  # the desk's first answer


@dataclass(frozen=True, slots=True)
class StoredInquiryMessage:
    id: str
    inquiry_id: str
    position: int  # 1, 2, … within the inquiry
    author_kind: str  # person | staff
    author_id: str
    body_enc: bytes
    created_at: datetime


@dataclass(frozen=True, slots=True)
class InquiryMessage:
    id: str
    author_kind: str
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Inquiry:
    """An inquiry as its reader sees it. ``erased``: the person's key is gone, text with it."""

    id: str
    person_id: str
    category: str
    subject: str
    status: str
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    messages: tuple[InquiryMessage, ...]
    erased: bool = False
    assigned_to: str | None = None
    assigned_at: datetime | None = None
    first_replied_at: datetime | None = None
    # The first reply's target (business days after receipt) and whether it has passed unmet.
    first_reply_due_at: datetime | None = None
    overdue: bool = False
