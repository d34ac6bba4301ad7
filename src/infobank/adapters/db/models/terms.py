"""The table of published terms versions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models.base import Base

__all__ = ["TermsVersionRow"]


class TermsVersionRow(Base):
    """A version of the terms of use the operator published; the newest one is current."""

    __tablename__ = "terms_versions"

    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    text_ja: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(index=True)
    published_by: Mapped[str] = mapped_column(String(64))
