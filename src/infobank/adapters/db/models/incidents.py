"""Tables for incidents (漏えい等事案) and the persons they affect."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models.base import ID, Base

__all__ = ["IncidentPersonRow", "IncidentRow"]


class IncidentRow(Base):
    """An incident staff recorded, with its regulator report's deadlines and progress."""

    __tablename__ = "incidents"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    summary: Mapped[str] = mapped_column(Text)
    discovered_at: Mapped[datetime]
    target: Mapped[str] = mapped_column(String(16))
    recipient_id: Mapped[str | None] = mapped_column(ID, ForeignKey("recipients.id"), index=True)
    categories: Mapped[list[str]] = mapped_column(JSON)
    period_from: Mapped[datetime]
    period_to: Mapped[datetime]
    cause: Mapped[str] = mapped_column(Text)
    measures: Mapped[str] = mapped_column(Text)
    secondary_damage: Mapped[str] = mapped_column(Text)
    wrongful_intent: Mapped[bool] = mapped_column(Boolean)
    sensitive_involved: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(24), index=True)
    affected_count: Mapped[int] = mapped_column(Integer)
    notified_count: Mapped[int] = mapped_column(Integer)
    recipient_suspended: Mapped[bool] = mapped_column(Boolean)
    created_by: Mapped[str] = mapped_column(ID)
    created_at: Mapped[datetime]
    preliminary_due_at: Mapped[datetime]
    final_due_at: Mapped[datetime]
    preliminary_sent_at: Mapped[datetime | None]
    final_sent_at: Mapped[datetime | None]


class IncidentPersonRow(Base):
    """A person an incident touched (and who was told)."""

    __tablename__ = "incident_persons"

    incident_id: Mapped[str] = mapped_column(ID, ForeignKey("incidents.id"), primary_key=True)
    person_id: Mapped[str] = mapped_column(
        ID, ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True, index=True
    )
