"""The table of web sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models.base import ID, Base

__all__ = ["WebSessionRow"]


class WebSessionRow(Base):
    """A signed-in browser, stored by the SHA-256 of its cookie token, never the token."""

    __tablename__ = "web_sessions"
    __table_args__ = (Index("ix_web_sessions_subject", "subject_kind", "subject_id"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(ID)
    role: Mapped[str | None] = mapped_column(String(16))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    last_seen_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
