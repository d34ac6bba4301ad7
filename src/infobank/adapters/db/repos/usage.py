"""The repository for usage targets, snapshots and API request counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m

__all__ = ["SqlAlchemyUsage"]


class SqlAlchemyUsage:
    def __init__(self, session: Session) -> None:
        self.session = session

    def targets(self, months: Sequence[str]) -> dict[str, dict[str, int]]:
        rows = self.session.scalars(
            select(m.UsageTargetRow).where(m.UsageTargetRow.month.in_(list(months)))
        )
        out: dict[str, dict[str, int]] = {}
        for row in rows:
            out.setdefault(row.month, {})[row.metric] = row.value
        return out

    def set_target(self, month: str, metric: str, value: int, at: datetime, by: str) -> None:
        row = self.session.get(m.UsageTargetRow, (month, metric))
        if row is None:
            self.session.add(
                m.UsageTargetRow(
                    month=month, metric=metric, value=value, updated_at=at, updated_by=by
                )
            )
        else:
            row.value, row.updated_at, row.updated_by = value, at, by

    def has_snapshot(self, day: date) -> bool:
        found = self.session.scalar(
            select(m.UsageSnapshotRow.day).where(m.UsageSnapshotRow.day == day)
        )
        return found is not None

    def add_snapshot(
        self, day: date, users: int, active_consents: int, deliveries_total: int, at: datetime
    ) -> bool:
        try:
            with self.session.begin_nested():
                self.session.add(
                    m.UsageSnapshotRow(
                        day=day,
                        users=users,
                        active_consents=active_consents,
                        deliveries_total=deliveries_total,
                        taken_at=at,
                    )
                )
                self.session.flush()
        except IntegrityError:  # another worker took today's snapshot first
            return False
        return True

    def snapshots(self, start: date, end: date) -> dict[date, tuple[int, int, int]]:
        s = m.UsageSnapshotRow
        rows = self.session.scalars(select(s).where(s.day.between(start, end)))
        return {r.day: (r.users, r.active_consents, r.deliveries_total) for r in rows}

    def add_api_requests(self, counts: Mapping[date, int]) -> None:
        row = m.ApiRequestDayRow
        dialect = self.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        for day, count in counts.items():
            statement = insert(row).values(day=day, count=count)
            # Every process adds its own tally: the row is created once, then added to.
            self.session.execute(
                statement.on_conflict_do_update(
                    index_elements=["day"], set_={"count": row.count + count}
                )
            )

    def api_requests(self, start: date, end: date) -> dict[date, int]:
        a = m.ApiRequestDayRow
        rows = self.session.execute(select(a.day, a.count).where(a.day.between(start, end)))
        return {row[0]: int(row[1]) for row in rows}
