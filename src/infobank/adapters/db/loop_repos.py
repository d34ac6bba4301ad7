"""SQLAlchemy repositories of the trust loop. Rows in, domain values out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, func, insert, select, update
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.adapters.db import models_loop as t
from infobank.domain.consents import Consent
from infobank.domain.deliveries import Delivery, Invitation
from infobank.domain.offers import Offer, Review, Target
from infobank.services.loop_ports import EligibleProfile

__all__ = [
    "SqlAlchemyConsents",
    "SqlAlchemyDeliveries",
    "SqlAlchemyOffers",
    "SqlAlchemyRecipientEndpoints",
]


_BATCH = 2000  # persons per IN (…) list when fetching the facts of many at once


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def _offer(row: t.OfferRow) -> Offer:
    target: dict[str, Any] = dict(row.target or {})
    return Offer(
        id=row.id,
        recipient_id=row.recipient_id,
        status=row.status,
        title=row.title,
        purpose_code=row.purpose_code,
        purpose_text=row.purpose_text,
        justification=row.justification,
        categories=tuple(row.categories),
        benefit_points=row.benefit_points,
        retention_days=row.retention_days,
        consent_duration_days=row.consent_duration_days,
        fetch_mode=row.fetch_mode,
        fetch_every_days=row.fetch_every_days,
        data_range_days=row.data_range_days,
        profiling=row.profiling,
        reprovision_parties=tuple(row.reprovision_parties),
        target=Target(
            age_min=target.get("age_min"),
            age_max=target.get("age_max"),
            prefectures=tuple(target.get("prefectures") or ()),
            genders=tuple(target.get("genders") or ()),
        ),
        capacity=row.capacity,
        created_at=row.created_at,
        submitted_at=row.submitted_at,
        opened_at=row.opened_at,
        closed_at=row.closed_at,
        starts_at=row.starts_at,
    )


class SqlAlchemyOffers:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, offer: Offer) -> None:
        target = offer.target
        self.session.add(
            t.OfferRow(
                id=offer.id,
                recipient_id=offer.recipient_id,
                status=offer.status,
                title=offer.title,
                purpose_code=offer.purpose_code,
                purpose_text=offer.purpose_text,
                justification=offer.justification,
                categories=list(offer.categories),
                benefit_points=offer.benefit_points,
                retention_days=offer.retention_days,
                consent_duration_days=offer.consent_duration_days,
                fetch_mode=offer.fetch_mode,
                fetch_every_days=offer.fetch_every_days,
                data_range_days=offer.data_range_days,
                profiling=offer.profiling,
                reprovision_parties=list(offer.reprovision_parties),
                target={
                    "age_min": target.age_min,
                    "age_max": target.age_max,
                    "prefectures": list(target.prefectures),
                    "genders": list(target.genders),
                },
                capacity=offer.capacity,
                created_at=offer.created_at,
                starts_at=offer.starts_at,
            )
        )

    def get(self, offer_id: str, *, for_update: bool = False) -> Offer | None:
        query = select(t.OfferRow).where(t.OfferRow.id == offer_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        return _offer(row) if row else None

    def set_status(self, offer_id: str, status: str, at: datetime) -> None:
        values: dict[str, Any] = {"status": status}
        stamp = {"under_review": "submitted_at", "open": "opened_at", "closed": "closed_at"}
        if status in stamp:
            values[stamp[status]] = at
        self.session.execute(update(t.OfferRow).where(t.OfferRow.id == offer_id).values(values))

    def find(self, *, recipient_id: str | None = None, statuses: Sequence[str] = ()) -> list[Offer]:
        query = select(t.OfferRow).order_by(t.OfferRow.created_at)
        if recipient_id is not None:
            query = query.where(t.OfferRow.recipient_id == recipient_id)
        if statuses:
            query = query.where(t.OfferRow.status.in_(statuses))
        return [_offer(r) for r in self.session.scalars(query)]

    def add_review(self, review: Review) -> None:
        self.session.add(
            t.ReviewRow(
                id=review.id,
                offer_id=review.offer_id,
                reviewer_id=review.reviewer_id,
                decision=review.decision,
                minutes=review.minutes,
                conditions=list(review.conditions),
                decided_at=review.decided_at,
            )
        )

    def reviews(self, offer_id: str) -> list[Review]:
        rows = self.session.scalars(
            select(t.ReviewRow)
            .where(t.ReviewRow.offer_id == offer_id)
            .order_by(t.ReviewRow.decided_at)
        )
        return [
            Review(
                id=r.id,
                offer_id=r.offer_id,
                reviewer_id=r.reviewer_id,
                decision=r.decision,
                minutes=r.minutes,
                conditions=tuple(r.conditions),
                decided_at=r.decided_at,
            )
            for r in rows
        ]

    def _matching(self, offer: Offer, today: date) -> Select[str]:
        """Persons with a data key who meet the targeting and hold every requested category.

        The targeting reads ``ix_persons_targeting`` (narrow, live persons only); each category
        is one EXISTS on ``records``. PostgreSQL turns those into hash semi-joins. SQLite has no
        hash join and probes an index per candidate, so there the candidates are first
        materialised in id order: consecutive probes of records, keys and invitations then
        land on pages already in cache, which halves the time at a million persons.
        """
        p = m.Person
        candidates = select(p.id).where(p.deleted_at.is_(None))
        target = offer.target
        if target.age_min is not None:
            candidates = candidates.where(p.birth_date <= _years_before(today, target.age_min))
        if target.age_max is not None:
            candidates = candidates.where(p.birth_date > _years_before(today, target.age_max + 1))
        if target.prefectures:
            candidates = candidates.where(p.prefecture.in_(target.prefectures))
        if target.genders:
            candidates = candidates.where(p.gender.in_(target.genders))
        query, person = candidates, p.id.expression
        if self.session.get_bind().dialect.name == "sqlite":
            ordered = candidates.order_by(p.id).cte("candidates").prefix_with("MATERIALIZED")
            query, person = select(ordered.c.id), ordered.c.id
        # A join on the data key (its primary key is the person) rather than an EXISTS: the
        # PostgreSQL planner then hashes the category checks and probes keys only at the end.
        query = query.join(m.PersonKey, m.PersonKey.person_id == person)
        r = m.RecordRow
        for category in sorted(set(offer.categories)):
            held = select(r.person_id).where(r.person_id == person, r.category == category)
            query = query.where(held.exists())
        return query

    def eligible_persons(self, offer: Offer, today: date, limit: int) -> list[str]:
        """Set-wise matching in SQL: targeting, every requested category held, not yet asked."""
        query = self._matching(offer, today)
        person = query.selected_columns[0]
        i = t.InvitationRow
        asked = select(i.person_id).where(i.offer_id == offer.id, i.person_id == person)
        query = query.where(~asked.exists()).order_by(person).limit(limit)
        return list(self.session.scalars(query))

    def eligible_profiles(self, offer: Offer, today: date, limit: int) -> list[EligibleProfile]:
        """The eligible persons with their terms version, delegation rules and record origins,
        in a few queries per thousands of persons (never one per person)."""
        ids = self.eligible_persons(offer, today, limit)
        found: dict[str, tuple[str | None, list[dict[str, Any]]]] = {}
        origins: dict[str, set[str]] = {}
        p, d, r = m.Person, t.DelegationRow, m.RecordRow
        for start in range(0, len(ids), _BATCH):
            chunk = ids[start : start + _BATCH]
            rows = self.session.execute(
                select(p.id, p.terms_version, d.rules)
                .outerjoin(d, d.person_id == p.id)
                .where(p.id.in_(chunk))
            )
            for person_id, terms_version, rules in rows:
                found[person_id] = (terms_version, [dict(x) for x in rules or []])
            held = self.session.execute(
                select(r.person_id, r.acquired_via)
                .where(r.person_id.in_(chunk), r.category.in_(list(offer.categories)))
                .distinct()
            )
            for person_id, via in held:
                origins.setdefault(person_id, set()).add(via)
        return [
            EligibleProfile(
                person_id=pid,
                terms_version=found.get(pid, (None, []))[0],
                delegation=found.get(pid, (None, []))[1],
                origins=frozenset(origins.get(pid, ())),
            )
            for pid in ids
        ]

    def matching_count(self, offer: Offer, today: date) -> int:
        """How many persons the offer's targeting and categories match (for reach)."""
        counted = select(func.count()).select_from(self._matching(offer, today).subquery())
        return self.session.scalar(counted) or 0

    def add_invitation(self, invitation: Invitation) -> None:
        self.session.add(
            t.InvitationRow(
                id=invitation.id,
                offer_id=invitation.offer_id,
                person_id=invitation.person_id,
                status=invitation.status,
                created_at=invitation.created_at,
                responded_at=invitation.responded_at,
            )
        )

    def invitation(self, offer_id: str, person_id: str) -> Invitation | None:
        row = self.session.scalar(
            select(t.InvitationRow).where(
                and_(t.InvitationRow.offer_id == offer_id, t.InvitationRow.person_id == person_id)
            )
        )
        return _invitation(row) if row else None

    def answer_invitation(self, invitation_id: str, status: str, at: datetime) -> None:
        self.session.execute(
            update(t.InvitationRow)
            .where(t.InvitationRow.id == invitation_id)
            .values(status=status, responded_at=at)
        )

    def inbox(self, person_id: str) -> list[tuple[Invitation, Offer]]:
        rows = self.session.execute(
            select(t.InvitationRow, t.OfferRow)
            .join(t.OfferRow, t.OfferRow.id == t.InvitationRow.offer_id)
            .where(t.InvitationRow.person_id == person_id)
            .order_by(t.InvitationRow.created_at.desc())
        )
        return [(_invitation(inv), _offer(offer)) for inv, offer in rows]

    def open_invitations(self, offer_id: str) -> list[str]:
        """The persons who have this offer in their inbox, unanswered."""
        query = (
            select(t.InvitationRow.person_id)
            .where(t.InvitationRow.offer_id == offer_id, t.InvitationRow.status == "open")
            .order_by(t.InvitationRow.person_id)
        )
        return list(self.session.scalars(query))

    def reached(self, offer_id: str) -> int:
        query = select(func.count()).where(t.InvitationRow.offer_id == offer_id)
        return self.session.scalar(query) or 0


def _invitation(row: t.InvitationRow) -> Invitation:
    return Invitation(
        id=row.id,
        offer_id=row.offer_id,
        person_id=row.person_id,
        status=row.status,
        created_at=row.created_at,
        responded_at=row.responded_at,
    )


def _delivery(row: t.DeliveryRow) -> Delivery:
    return Delivery(
        id=row.id,
        consent_id=row.consent_id,
        recipient_id=row.recipient_id,
        person_id=row.person_id,
        sequence=row.sequence,
        status=row.status,
        jwe=row.jwe,
        digest=row.digest,
        record_count=row.record_count,
        categories=tuple(row.categories),
        created_at=row.created_at,
        fetched_at=row.fetched_at,
        acknowledged_at=row.acknowledged_at,
        withdrawn_at=row.withdrawn_at,
        log_index=row.log_index,
        fetch_count=row.fetch_count or 0,
    )


def _consent(row: t.ConsentRow) -> Consent:
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
        delivered_until=row.delivered_until,
        log_index=row.log_index,
    )


class SqlAlchemyConsents:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, consent: Consent) -> None:
        self.session.add(
            t.ConsentRow(
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
                delivered_until=consent.delivered_until,
                use_count=consent.use_count,
                last_used_at=consent.last_used_at,
                status_changed_at=consent.status_changed_at,
                created_at=consent.created_at,
                log_index=consent.log_index,
            )
        )
        self.session.flush()  # events and deliveries reference it in this transaction

    def get(self, consent_id: str, *, for_update: bool = False) -> Consent | None:
        query = select(t.ConsentRow).where(t.ConsentRow.id == consent_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        return _consent(row) if row else None

    def for_person(self, person_id: str, statuses: Sequence[str] = ()) -> list[Consent]:
        query = select(t.ConsentRow).where(t.ConsentRow.person_id == person_id)
        if statuses:
            query = query.where(t.ConsentRow.status.in_(statuses))
        query = query.order_by(t.ConsentRow.created_at)
        return [_consent(r) for r in self.session.scalars(query)]

    def for_recipient(self, recipient_id: str, statuses: Sequence[str]) -> list[Consent]:
        query = select(t.ConsentRow).where(
            t.ConsentRow.recipient_id == recipient_id, t.ConsentRow.status.in_(statuses)
        )
        return [_consent(r) for r in self.session.scalars(query)]

    def with_status(self, statuses: Sequence[str], offer_id: str | None = None) -> list[Consent]:
        query = select(t.ConsentRow).where(t.ConsentRow.status.in_(statuses))
        if offer_id is not None:
            query = query.where(t.ConsentRow.offer_id == offer_id)
        return [_consent(r) for r in self.session.scalars(query.order_by(t.ConsentRow.id))]

    def count_for_offer(self, offer_id: str) -> int:
        query = select(func.count()).where(t.ConsentRow.offer_id == offer_id)
        return self.session.scalar(query) or 0

    def exists_for(self, offer_id: str, person_id: str) -> bool:
        query = select(t.ConsentRow.id).where(
            t.ConsentRow.offer_id == offer_id, t.ConsentRow.person_id == person_id
        )
        return self.session.scalar(query) is not None

    def due(self, at: datetime, limit: int) -> list[str]:
        """Active consents whose next delivery is due; rows others are building are skipped."""
        query = (
            select(t.ConsentRow.id)
            .where(t.ConsentRow.status == "active", t.ConsentRow.next_delivery_at <= at)
            .order_by(t.ConsentRow.next_delivery_at)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def starting(self, at: datetime, limit: int) -> list[str]:
        """Post-dated consents whose start has come."""
        query = (
            select(t.ConsentRow.id)
            .where(t.ConsentRow.status == "pending", t.ConsentRow.start <= at)
            .order_by(t.ConsentRow.start)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def ending(self, at: datetime, limit: int) -> list[str]:
        """Consents past their expiry that are not over yet."""
        query = (
            select(t.ConsentRow.id)
            .where(
                t.ConsentRow.status.in_(("pending", "active", "paused")),
                t.ConsentRow.expiry <= at,
            )
            .order_by(t.ConsentRow.expiry)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def expiring(self, before: datetime, limit: int) -> list[str]:
        """Live consents ending before ``before`` whose person was not yet told."""
        query = (
            select(t.ConsentRow.id)
            .where(
                t.ConsentRow.status.in_(("active", "paused")),
                t.ConsentRow.expiry <= before,
                t.ConsentRow.expiry_notice_at.is_(None),
            )
            .order_by(t.ConsentRow.expiry)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def reminders_due(self, since: datetime, limit: int) -> list[str]:
        """Active consents started, or last recalled to their person, before ``since``."""
        last = func.coalesce(t.ConsentRow.reminded_at, t.ConsentRow.start)
        query = (
            select(t.ConsentRow.id)
            .where(t.ConsentRow.status == "active", last <= since)
            .order_by(last)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def mark_notice(self, consent_id: str, kind: str, at: datetime) -> None:
        """Remember that the person got the ``expiry`` notice or a ``reminder`` at ``at``."""
        column = {"expiry": "expiry_notice_at", "reminder": "reminded_at"}[kind]
        self.session.execute(
            update(t.ConsentRow).where(t.ConsentRow.id == consent_id).values({column: at})
        )

    def notices(self, consent_id: str) -> tuple[datetime | None, datetime | None]:
        """(expiry notice, last reminder) times of a consent."""
        row = self.session.get(t.ConsentRow, consent_id)
        return (row.expiry_notice_at, row.reminded_at) if row else (None, None)

    def set_status(self, consent_id: str, status: str, at: datetime) -> None:
        self.session.execute(
            update(t.ConsentRow)
            .where(t.ConsentRow.id == consent_id)
            .values(status=status, status_changed_at=at)
        )

    def set_schedule(
        self, consent_id: str, next_at: datetime | None, delivered_until: datetime | None
    ) -> None:
        self.session.execute(
            update(t.ConsentRow)
            .where(t.ConsentRow.id == consent_id)
            .values(next_delivery_at=next_at, delivered_until=delivered_until)
        )

    def record_use(self, consent_id: str, at: datetime) -> None:
        self.session.execute(
            update(t.ConsentRow)
            .where(t.ConsentRow.id == consent_id)
            .values(use_count=t.ConsentRow.use_count + 1, last_used_at=at)
        )

    def add_event(self, consent_id: str, kind: str, actor: str, at: datetime, log: int) -> None:
        self.session.add(
            t.ConsentEventRow(consent_id=consent_id, kind=kind, actor=actor, at=at, log_index=log)
        )

    def events(self, consent_id: str) -> list[tuple[str, str, datetime, int | None]]:
        """(kind, actor, at, log index) of each status change, oldest first."""
        query = (
            select(t.ConsentEventRow)
            .where(t.ConsentEventRow.consent_id == consent_id)
            .order_by(t.ConsentEventRow.id)
        )
        return [(e.kind, e.actor, e.at, e.log_index) for e in self.session.scalars(query)]

    def delegation(self, person_id: str) -> list[dict[str, Any]]:
        row = self.session.get(t.DelegationRow, person_id)
        return [dict(rule) for rule in row.rules] if row else []

    def set_delegation(self, person_id: str, rules: list[dict[str, Any]], at: datetime) -> None:
        row = self.session.get(t.DelegationRow, person_id)
        if row is None:
            self.session.add(t.DelegationRow(person_id=person_id, rules=rules, updated_at=at))
        else:
            row.rules = rules
            row.updated_at = at


class SqlAlchemyDeliveries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, d: Delivery) -> None:
        self.session.add(
            t.DeliveryRow(
                id=d.id,
                consent_id=d.consent_id,
                recipient_id=d.recipient_id,
                person_id=d.person_id,
                sequence=d.sequence,
                status=d.status,
                jwe=d.jwe,
                digest=d.digest,
                record_count=d.record_count,
                categories=list(d.categories),
                created_at=d.created_at,
                log_index=d.log_index,
            )
        )

    def next_sequence(self, consent_id: str) -> int:
        query = select(func.max(t.DeliveryRow.sequence)).where(
            t.DeliveryRow.consent_id == consent_id
        )
        return (self.session.scalar(query) or 0) + 1

    def get(self, delivery_id: str, *, for_update: bool = False) -> Delivery | None:
        query = select(t.DeliveryRow).where(t.DeliveryRow.id == delivery_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        return _delivery(row) if row else None

    def for_recipient(self, recipient_id: str, status: str | None) -> list[Delivery]:
        query = select(t.DeliveryRow).where(t.DeliveryRow.recipient_id == recipient_id)
        if status:
            query = query.where(t.DeliveryRow.status == status)
        rows = self.session.scalars(query.order_by(t.DeliveryRow.created_at))
        return [_delivery(r) for r in rows]

    def for_consent(self, consent_id: str) -> list[Delivery]:
        query = select(t.DeliveryRow).where(t.DeliveryRow.consent_id == consent_id)
        return [_delivery(r) for r in self.session.scalars(query.order_by(t.DeliveryRow.sequence))]

    def delivered_records(self, consent_id: str) -> set[str]:
        query = select(t.DeliveredRecordRow.record_id).where(
            t.DeliveredRecordRow.consent_id == consent_id
        )
        return set(self.session.scalars(query))

    def record_delivered(self, consent_id: str, delivery_id: str, record_ids: list[str]) -> None:
        if record_ids:
            self.session.flush()  # the delivery row they reference goes first
            self.session.execute(
                insert(t.DeliveredRecordRow),
                [
                    {"consent_id": consent_id, "record_id": rid, "delivery_id": delivery_id}
                    for rid in record_ids
                ],
            )

    def count_fetch(self, delivery_id: str) -> None:
        self.session.execute(
            update(t.DeliveryRow)
            .where(t.DeliveryRow.id == delivery_id)
            .values(fetch_count=t.DeliveryRow.fetch_count + 1)
        )

    def mark(self, delivery_id: str, status: str, at: datetime, log_index: int) -> None:
        stamp = {"fetched": "fetched_at", "acknowledged": "acknowledged_at"}[status]
        self.session.execute(
            update(t.DeliveryRow)
            .where(t.DeliveryRow.id == delivery_id)
            .values({"status": status, stamp: at, "log_index": log_index})
        )

    def withdraw_for_consent(self, consent_id: str, at: datetime) -> list[str]:
        """Make every package not yet acknowledged unavailable; the ciphertext is dropped."""
        rows = self.session.scalars(
            select(t.DeliveryRow).where(
                t.DeliveryRow.consent_id == consent_id,
                t.DeliveryRow.status.in_(("ready", "fetched")),
            )
        )
        withdrawn = []
        for row in rows:
            row.status = "withdrawn"
            row.withdrawn_at = at
            row.jwe = None
            withdrawn.append(row.id)
        return withdrawn


class SqlAlchemyRecipientEndpoints:
    def __init__(self, session: Session) -> None:
        self.session = session

    def jwk(self, recipient_id: str) -> dict[str, Any] | None:
        row = self.session.get(t.RecipientKeyRow, recipient_id)
        return dict(row.jwk) if row and row.jwk else None

    def webhook(self, recipient_id: str) -> str | None:
        row = self.session.get(t.RecipientKeyRow, recipient_id)
        return row.webhook_url if row else None

    def set(self, recipient_id: str, at: datetime, **values: Any) -> None:
        row = self.session.get(t.RecipientKeyRow, recipient_id)
        if row is None:
            row = t.RecipientKeyRow(recipient_id=recipient_id, jwk=None, webhook_url=None)
            self.session.add(row)
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = at
