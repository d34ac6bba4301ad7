"""Tables for ending the business (事業終了) and persons' exit choices."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models.base import ID, Base

__all__ = ["BankTerminationRow", "ExitChoiceRow"]


class BankTerminationRow(Base):
    """The one row of the end of the business, once an operator planned it."""

    __tablename__ = "bank_termination"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    planned_at: Mapped[datetime]
    planned_by: Mapped[str] = mapped_column(String(64))
    deadline: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    counts: Mapped[dict[str, object]] = mapped_column(JSON)
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    final_tree_size: Mapped[int | None] = mapped_column(Integer)


class ExitChoiceRow(Base):
    """What a person chose for their data when the bank closes, and what became of it."""

    __tablename__ = "exit_choices"

    person_id: Mapped[str] = mapped_column(
        ID, ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    choice: Mapped[str] = mapped_column(String(16))
    target_url: Mapped[str | None] = mapped_column(String(2048))
    chosen_at: Mapped[datetime]
    outcome: Mapped[str | None] = mapped_column(String(16))
    outcome_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
