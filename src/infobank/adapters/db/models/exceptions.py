"""Tables for exception types (例外類型) and approvals for recipients."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models.base import ID, Base

__all__ = ["ExceptionTypeRow", "RecipientExceptionRow"]


class ExceptionTypeRow(Base):
    """例外類型: a kind of recipient the operator admits without Pマーク/ISMS (from 2.0)."""

    __tablename__ = "exception_types"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_ja: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    evidence_required: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    retired_at: Mapped[datetime | None]


class RecipientExceptionRow(Base):
    """An exception the ethics board approved for one recipient, until it expires."""

    __tablename__ = "recipient_exceptions"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    recipient_id: Mapped[str] = mapped_column(ID, ForeignKey("recipients.id"), index=True)
    type_code: Mapped[str] = mapped_column(String(64), ForeignKey("exception_types.code"))
    evidence: Mapped[str] = mapped_column(Text)
    minutes: Mapped[str] = mapped_column(Text)
    approved_by: Mapped[str] = mapped_column(String(64))
    approved_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]
