"""The version of the facts every decision about an offer shares (see ``repos/policy.py``)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models.base import Base

__all__ = ["PolicyStateRow"]


class PolicyStateRow(Base):
    """One row: a counter that every change to recipients' standing and certificates,
    exceptions, joint applications, reviews and terms moves on."""

    __tablename__ = "policy_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
