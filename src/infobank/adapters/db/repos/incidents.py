"""The repository for incidents and the persons they affect."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.adapters.db.paging import page_of
from infobank.domain.incidents import Incident
from infobank.domain.pages import Page, PageRequest

__all__ = ["SqlAlchemyIncidents"]


def _incident(row: m.IncidentRow) -> Incident:
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
        values = {name: getattr(incident, name) for name in m.IncidentRow.__table__.columns.keys()}
        values["categories"] = list(incident.categories)
        self.session.add(m.IncidentRow(**values))
        self.session.flush()
        self.session.add_all(
            m.IncidentPersonRow(incident_id=incident.id, person_id=p) for p in person_ids
        )

    def get(self, incident_id: str, *, for_update: bool = False) -> Incident | None:
        query = select(m.IncidentRow).where(m.IncidentRow.id == incident_id)
        row = self.session.scalar(query.with_for_update() if for_update else query)
        return _incident(row) if row else None

    def list(self) -> list[Incident]:
        rows = self.session.scalars(
            select(m.IncidentRow).order_by(m.IncidentRow.discovered_at.desc())
        )
        return [_incident(r) for r in rows]

    def page(self, request: PageRequest) -> Page[Incident]:
        row = m.IncidentRow
        return page_of(self.session, select(row), row.discovered_at, row.id, request, _incident)

    def set_report(self, incident_id: str, status: str, stage: str, at: datetime) -> None:
        column = "preliminary_sent_at" if stage == "preliminary" else "final_sent_at"
        self.session.execute(
            update(m.IncidentRow)
            .where(m.IncidentRow.id == incident_id)
            .values({"status": status, column: at})
        )

    def received_from(
        self, recipient_id: str, categories: Sequence[str], start: datetime, end: datetime
    ) -> dict[str, bool]:
        d = m.DeliveryRow
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
