"""Tables for usage targets, daily snapshots and API request counts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models.base import Base

__all__ = ["ApiRequestDayRow", "UsageSnapshotRow", "UsageTargetRow"]


class UsageTargetRow(Base):
    """The operator's plan for one month and one metric (users, active consents, …)."""

    __tablename__ = "usage_targets"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    metric: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))


class UsageSnapshotRow(Base):
    """Counts taken by the worker when a new day (JST) begins."""

    __tablename__ = "usage_snapshots"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    users: Mapped[int] = mapped_column(Integer)
    active_consents: Mapped[int] = mapped_column(Integer)
    deliveries_total: Mapped[int] = mapped_column(Integer)
    taken_at: Mapped[datetime]


class ApiRequestDayRow(Base):
    """API requests served per day (JST), added up from every process's tally."""

    __tablename__ = "usage_api_requests"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
