"""Tables for inquiries (相談) and their messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models.base import ID, Base

__all__ = ["InquiryMessageRow", "InquiryRow"]


class InquiryRow(Base):
    """相談: subject stored only encrypted under the person's data key."""

    __tablename__ = "inquiries"
    __table_args__ = (Index("ix_inquiries_status_updated", "status", "updated_at"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(
        ID, ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(32))
    subject_enc: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    assigned_to: Mapped[str | None] = mapped_column(ID, ForeignKey("staff.id"), index=True)
    assigned_at: Mapped[datetime | None]
    first_replied_at: Mapped[datetime | None]


class InquiryMessageRow(Base):
    """One message of an inquiry, from the person or the help desk, encrypted."""

    __tablename__ = "inquiry_messages"
    __table_args__ = (UniqueConstraint("inquiry_id", "position"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    inquiry_id: Mapped[str] = mapped_column(ID, ForeignKey("inquiries.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    author_kind: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[str] = mapped_column(ID)
    body_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
