"""Tables for recipients (提供先第三者), sources (情報提供元) and certifications."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    ForeignKey,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models.base import ID, Base

__all__ = ["Certification", "Recipient", "Source"]


class Recipient(Base):
    """提供先第三者."""

    __tablename__ = "recipients"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str]
    industry: Mapped[str] = mapped_column(String(64))
    contact_email: Mapped[str]
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    suspended_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Source(Base):
    """情報提供元."""

    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str]
    industry: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class Certification(Base):
    """A recipient's Privacy Mark (Pマーク), ISMS or other certificate."""

    __tablename__ = "certifications"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    recipient_id: Mapped[str] = mapped_column(ID, ForeignKey("recipients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(128))
    valid_from: Mapped[date]
    valid_until: Mapped[date]
    recorded_by: Mapped[str] = mapped_column(ID)
    created_at: Mapped[datetime]
