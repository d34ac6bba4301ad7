"""SQLAlchemy repository of consents (同意): the artefact row, its status events, schedules,
notices and the person's delegation rules. Rows in, domain values out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.adapters.db.paging import page_of
from infobank.adapters.db.wakeup import mark_work
from infobank.domain.consents import Consent
from infobank.domain.pages import Page, PageRequest

__all__ = ["SqlAlchemyConsents"]

# Built once: every build and fetch reads its consent.
_CONSENT = select(m.ConsentRow).where(m.ConsentRow.id == bindparam("id"))
_CONSENT_LOCKED = _CONSENT.with_for_update()
_CONSENT_SKIPPING = _CONSENT.with_for_update(skip_locked=True)
_CONSENTS = m.ConsentRow.metadata.tables["consents"]
_USED = (
    update(_CONSENTS)
    .where(_CONSENTS.c.id == bindparam("c_id"))
    .values(use_count=_CONSENTS.c.use_count + 1, last_used_at=bindparam("at"))
)


def _consent(row: m.ConsentRow) -> Consent:
    return Consent(
        id=row.id,
        person_id=row.person_id,
        recipient_id=row.recipient_id,
        offer_id=row.offer_id,
        mode=row.mode,
        artefact=dict(row.artefact),
        jws=row.jws,
        status=row.status,
        start=row.start,
        expiry=row.expiry,
        use_count=row.use_count,
        last_used_at=row.last_used_at,
        status_changed_at=row.status_changed_at,
        created_at=row.created_at,
        next_delivery_at=row.next_delivery_at,
        log_index=row.log_index,
    )


class SqlAlchemyConsents:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, consent: Consent) -> None:
        mark_work(self.session)  # its first delivery may be due now
        self.session.add(
            m.ConsentRow(
                id=consent.id,
                person_id=consent.person_id,
                recipient_id=consent.recipient_id,
                offer_id=consent.offer_id,
                mode=consent.mode,
                artefact=consent.artefact,
                jws=consent.jws,
                status=consent.status,
                start=consent.start,
                expiry=consent.expiry,
                next_delivery_at=consent.next_delivery_at,
                use_count=consent.use_count,
                last_used_at=consent.last_used_at,
                status_changed_at=consent.status_changed_at,
                created_at=consent.created_at,
                log_index=consent.log_index,
            )
        )
        self.session.flush()  # events and deliveries reference it in this transaction

    def get(
        self, consent_id: str, *, for_update: bool = False, skip_locked: bool = False
    ) -> Consent | None:
        query = _CONSENT
        if for_update:
            query = _CONSENT_SKIPPING if skip_locked else _CONSENT_LOCKED
        row = self.session.scalar(query, {"id": consent_id})
        return _consent(row) if row else None

    def for_person(self, person_id: str, statuses: Sequence[str] = ()) -> list[Consent]:
        query = select(m.ConsentRow).where(m.ConsentRow.person_id == person_id)
        if statuses:
            query = query.where(m.ConsentRow.status.in_(statuses))
        query = query.order_by(m.ConsentRow.created_at)
        return [_consent(r) for r in self.session.scalars(query)]

    def page_for_person(self, person_id: str, request: PageRequest) -> Page[Consent]:
        row = m.ConsentRow
        query = select(row).where(row.person_id == person_id)
        return page_of(self.session, query, row.created_at, row.id, request, _consent)

    def for_recipient(self, recipient_id: str, statuses: Sequence[str]) -> list[Consent]:
        query = select(m.ConsentRow).where(
            m.ConsentRow.recipient_id == recipient_id, m.ConsentRow.status.in_(statuses)
        )
        return [_consent(r) for r in self.session.scalars(query)]

    def with_status(self, statuses: Sequence[str], offer_id: str | None = None) -> list[Consent]:
        query = select(m.ConsentRow).where(m.ConsentRow.status.in_(statuses))
        if offer_id is not None:
            query = query.where(m.ConsentRow.offer_id == offer_id)
        return [_consent(r) for r in self.session.scalars(query.order_by(m.ConsentRow.id))]

    def count_for_offer(self, offer_id: str) -> int:
        query = select(func.count()).where(m.ConsentRow.offer_id == offer_id)
        return self.session.scalar(query) or 0

    def exists_for(self, offer_id: str, person_id: str) -> bool:
        query = select(m.ConsentRow.id).where(
            m.ConsentRow.offer_id == offer_id, m.ConsentRow.person_id == person_id
        )
        return self.session.scalar(query) is not None

    def due(self, at: datetime, limit: int) -> list[str]:
        """Active consents whose next delivery is due; rows others are building are skipped."""
        query = (
            select(m.ConsentRow.id)
            .where(m.ConsentRow.status == "active", m.ConsentRow.next_delivery_at <= at)
            .order_by(m.ConsentRow.next_delivery_at)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def starting(self, at: datetime, limit: int) -> list[str]:
        """Post-dated consents whose start has come."""
        query = (
            select(m.ConsentRow.id)
            .where(m.ConsentRow.status == "pending", m.ConsentRow.start <= at)
            .order_by(m.ConsentRow.start)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def ending(self, at: datetime, limit: int) -> list[str]:
        """Consents past their expiry that are not over yet."""
        query = (
            select(m.ConsentRow.id)
            .where(
                m.ConsentRow.status.in_(("pending", "active", "paused")),
                m.ConsentRow.expiry <= at,
            )
            .order_by(m.ConsentRow.expiry)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def expiring(self, before: datetime, limit: int) -> list[str]:
        """Live consents ending before ``before`` whose person was not yet told."""
        query = (
            select(m.ConsentRow.id)
            .where(
                m.ConsentRow.status.in_(("active", "paused")),
                m.ConsentRow.expiry <= before,
                m.ConsentRow.expiry_notice_at.is_(None),
            )
            .order_by(m.ConsentRow.expiry)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def reminders_due(self, since: datetime, limit: int) -> list[str]:
        """Active consents started, or last recalled to their person, before ``since``."""
        last = func.coalesce(m.ConsentRow.reminded_at, m.ConsentRow.start)
        query = (
            select(m.ConsentRow.id)
            .where(m.ConsentRow.status == "active", last <= since)
            .order_by(last)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def mark_notice(self, consent_id: str, kind: str, at: datetime) -> None:
        """Remember that the person got the ``expiry`` notice or a ``reminder`` at ``at``."""
        column = {"expiry": "expiry_notice_at", "reminder": "reminded_at"}[kind]
        self.session.execute(
            update(m.ConsentRow).where(m.ConsentRow.id == consent_id).values({column: at})
        )

    def notices(self, consent_id: str) -> tuple[datetime | None, datetime | None]:
        """(expiry notice, last reminder) times of a consent."""
        row = self.session.get(m.ConsentRow, consent_id)
        return (row.expiry_notice_at, row.reminded_at) if row else (None, None)

    def set_status(self, consent_id: str, status: str, at: datetime) -> None:
        if status == "active":
            mark_work(self.session)  # a delivery may be due now
        self.session.execute(
            update(m.ConsentRow)
            .where(m.ConsentRow.id == consent_id)
            .values(status=status, status_changed_at=at)
        )

    def set_schedule(self, consent_id: str, next_at: datetime | None) -> None:
        self.session.execute(
            update(m.ConsentRow)
            .where(m.ConsentRow.id == consent_id)
            .values(next_delivery_at=next_at)
        )

    def record_use(self, consent_id: str, at: datetime) -> None:
        self.session.connection().execute(_USED, {"c_id": consent_id, "at": at})

    def add_event(self, consent_id: str, kind: str, actor: str, at: datetime, log: int) -> None:
        self.session.add(
            m.ConsentEventRow(consent_id=consent_id, kind=kind, actor=actor, at=at, log_index=log)
        )

    def events(self, consent_id: str) -> list[tuple[str, str, datetime, int | None]]:
        """(kind, actor, at, log index) of each status change, oldest first."""
        query = (
            select(m.ConsentEventRow)
            .where(m.ConsentEventRow.consent_id == consent_id)
            .order_by(m.ConsentEventRow.id)
        )
        return [(e.kind, e.actor, e.at, e.log_index) for e in self.session.scalars(query)]

    def delegation(self, person_id: str) -> list[dict[str, Any]]:
        row = self.session.get(m.DelegationRow, person_id)
        return [dict(rule) for rule in row.rules] if row else []

    def set_delegation(self, person_id: str, rules: list[dict[str, Any]], at: datetime) -> None:
        row = self.session.get(m.DelegationRow, person_id)
        if row is None:
            self.session.add(m.DelegationRow(person_id=person_id, rules=rules, updated_at=at))
        else:
            row.rules = rules
            row.updated_at = at
