"""Tables for entrusted records (預託データ), source links and link codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models.base import ID, Base

__all__ = ["LinkCode", "RecordRow", "SourceLink"]


class RecordRow(Base):
    """預託データ: the payload column holds only AES-256-GCM ciphertext."""

    __tablename__ = "records"
    __table_args__ = (
        Index("ix_records_person_category", "person_id", "category"),
        Index("ix_records_category_person", "category", "person_id"),  # holders of a category
        Index("ix_records_person_page", "person_id", "created_at", "id"),  # newest first
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(ID, ForeignKey("persons.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(64))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    size_bytes: Mapped[int]
    observed_at: Mapped[datetime | None]
    acquired_via: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[str | None] = mapped_column(ID, ForeignKey("sources.id"))
    source_method: Mapped[str | None] = mapped_column(String(64))
    purpose: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]


class SourceLink(Base):
    """A person's link with a source; the source only ever knows ``person_ref``."""

    __tablename__ = "source_links"
    __table_args__ = (UniqueConstraint("person_id", "source_id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(ID, ForeignKey("persons.id", ondelete="CASCADE"))
    source_id: Mapped[str] = mapped_column(ID, ForeignKey("sources.id"), index=True)
    person_ref: Mapped[str] = mapped_column(String(64), unique=True)
    external_ref_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
    unlinked_at: Mapped[datetime | None]


class LinkCode(Base):
    """A one-time code a person hands to a source, stored hashed."""

    __tablename__ = "link_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(ID, ForeignKey("persons.id", ondelete="CASCADE"))
    source_id: Mapped[str] = mapped_column(ID, ForeignKey("sources.id"))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
