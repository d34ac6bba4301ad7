"""SQLAlchemy repositories for incidents, usage, the end of the business and transfers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.adapters.db import models_loop as t
from infobank.adapters.db import models_ops as o
from infobank.domain.incidents import Incident

__all__ = ["SqlAlchemyIncidents", "SqlAlchemyUsage"]


def _incident(row: o.IncidentRow) -> Incident:
    return Incident(
        id=row.id,
        summary=row.summary,
        discovered_at=row.discovered_at,
        target=row.target,
        recipient_id=row.recipient_id,
        categories=tuple(row.categories),
        period_from=row.period_from,
        period_to=row.period_to,
        cause=row.cause,
        measures=row.measures,
        secondary_damage=row.secondary_damage,
        wrongful_intent=row.wrongful_intent,
        sensitive_involved=row.sensitive_involved,
        status=row.status,
        affected_count=row.affected_count,
        notified_count=row.notified_count,
        recipient_suspended=row.recipient_suspended,
        created_by=row.created_by,
        created_at=row.created_at,
        preliminary_due_at=row.preliminary_due_at,
        final_due_at=row.final_due_at,
        preliminary_sent_at=row.preliminary_sent_at,
        final_sent_at=row.final_sent_at,
    )


class SqlAlchemyIncidents:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, incident: Incident, person_ids: Sequence[str]) -> None:
        values = {name: getattr(incident, name) for name in o.IncidentRow.__table__.columns.keys()}
        values["categories"] = list(incident.categories)
        self.session.add(o.IncidentRow(**values))
        self.session.flush()
        self.session.add_all(
            o.IncidentPersonRow(incident_id=incident.id, person_id=p) for p in person_ids
        )

    def get(self, incident_id: str, *, for_update: bool = False) -> Incident | None:
        query = select(o.IncidentRow).where(o.IncidentRow.id == incident_id)
        row = self.session.scalar(query.with_for_update() if for_update else query)
        return _incident(row) if row else None

    def list(self) -> list[Incident]:
        rows = self.session.scalars(
            select(o.IncidentRow).order_by(o.IncidentRow.discovered_at.desc())
        )
        return [_incident(r) for r in rows]

    def set_report(self, incident_id: str, status: str, stage: str, at: datetime) -> None:
        column = "preliminary_sent_at" if stage == "preliminary" else "final_sent_at"
        self.session.execute(
            update(o.IncidentRow)
            .where(o.IncidentRow.id == incident_id)
            .values({"status": status, column: at})
        )

    def received_from(
        self, recipient_id: str, categories: Sequence[str], start: datetime, end: datetime
    ) -> dict[str, bool]:
        d = t.DeliveryRow
        in_period = or_(d.fetched_at.between(start, end), d.acknowledged_at.between(start, end))
        rows = self.session.execute(
            select(d.person_id, d.categories, m.Person.deleted_at)
            .join(m.Person, m.Person.id == d.person_id)
            .where(d.recipient_id == recipient_id, d.fetched_at.is_not(None), in_period)
        )
        wanted = set(categories)
        # Categories are a JSON list per package: matched here, the same on every database.
        return {
            person_id: deleted_at is None
            for person_id, held, deleted_at in rows
            if wanted.intersection(held or ())
        }

    def holding(self, categories: Sequence[str], end: datetime) -> dict[str, bool]:
        r = m.RecordRow
        rows = self.session.execute(
            select(r.person_id, m.Person.deleted_at)
            .join(m.Person, m.Person.id == r.person_id)
            .where(r.category.in_(list(categories)), r.created_at <= end)
            .distinct()
        )
        return {person_id: deleted_at is None for person_id, deleted_at in rows}


class SqlAlchemyUsage:
    def __init__(self, session: Session) -> None:
        self.session = session

    def targets(self, months: Sequence[str]) -> dict[str, dict[str, int]]:
        rows = self.session.scalars(
            select(o.UsageTargetRow).where(o.UsageTargetRow.month.in_(list(months)))
        )
        out: dict[str, dict[str, int]] = {}
        for row in rows:
            out.setdefault(row.month, {})[row.metric] = row.value
        return out

    def set_target(self, month: str, metric: str, value: int, at: datetime, by: str) -> None:
        row = self.session.get(o.UsageTargetRow, (month, metric))
        if row is None:
            self.session.add(
                o.UsageTargetRow(
                    month=month, metric=metric, value=value, updated_at=at, updated_by=by
                )
            )
        else:
            row.value, row.updated_at, row.updated_by = value, at, by

    def has_snapshot(self, day: date) -> bool:
        found = self.session.scalar(
            select(o.UsageSnapshotRow.day).where(o.UsageSnapshotRow.day == day)
        )
        return found is not None

    def add_snapshot(
        self, day: date, users: int, active_consents: int, deliveries_total: int, at: datetime
    ) -> bool:
        try:
            with self.session.begin_nested():
                self.session.add(
                    o.UsageSnapshotRow(
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
        s = o.UsageSnapshotRow
        rows = self.session.scalars(select(s).where(s.day.between(start, end)))
        return {r.day: (r.users, r.active_consents, r.deliveries_total) for r in rows}

    def add_api_requests(self, counts: Mapping[date, int]) -> None:
        row = o.ApiRequestDayRow
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
        a = o.ApiRequestDayRow
        rows = self.session.execute(select(a.day, a.count).where(a.day.between(start, end)))
        return {row[0]: int(row[1]) for row in rows}
