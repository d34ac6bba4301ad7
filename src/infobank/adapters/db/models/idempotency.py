"""The table of idempotency keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models.base import Base

__all__ = ["IdempotencyRow"]


class IdempotencyRow(Base):
    """A business POST's response, replayed when the same Idempotency-Key comes again."""

    __tablename__ = "idempotency_keys"

    principal: Mapped[str] = mapped_column(String(80), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
