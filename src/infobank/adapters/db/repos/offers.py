"""SQLAlchemy repository of offers (オファー), set-wise matching and the invitations it
makes (the ethics board's decisions are in ``reviews``). Rows in, domain values out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.adapters.db.paging import page_of
from infobank.domain.deliveries import Invitation
from infobank.domain.offers import Offer, Opening, Target
from infobank.domain.pages import Page, PageRequest
from infobank.services.ports.offers import EligibleProfile

__all__ = ["SqlAlchemyOffers", "years_before"]

# Built once: every decision reads its offer.
_OFFER = select(m.OfferRow).where(m.OfferRow.id == bindparam("id"))
_OFFER_LOCKED = _OFFER.with_for_update()

_BATCH = 2000  # persons per IN (…) list when fetching the facts of many at once


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def _offer(row: m.OfferRow) -> Offer:
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
        profiling_infers=tuple(row.profiling_infers or ()),
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
        opening=None
        if row.opening_total is None
        else Opening(
            total=row.opening_total,
            delegated=row.opening_delegated,
            invited=row.opening_invited,
            done_at=row.opening_done_at,
            not_invited=row.opening_not_invited,
            held_back=tuple(row.opening_held_back or ()),
        ),
        renewal_requested_at=row.renewal_requested_at,
    )


class SqlAlchemyOffers:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, offer: Offer) -> None:
        target = offer.target
        self.session.add(
            m.OfferRow(
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
                profiling_infers=list(offer.profiling_infers) or None,
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
        query = _OFFER_LOCKED if for_update else _OFFER
        row = self.session.scalar(query, {"id": offer_id})
        return _offer(row) if row else None

    def set_status(self, offer_id: str, status: str, at: datetime) -> None:
        values: dict[str, Any] = {"status": status}
        stamp = {"under_review": "submitted_at", "open": "opened_at", "closed": "closed_at"}
        if status in stamp:
            values[stamp[status]] = at
        self.session.execute(update(m.OfferRow).where(m.OfferRow.id == offer_id).values(values))

    def start_opening(self, offer_id: str, opened_by: str, total: int, at: datetime) -> None:
        self.session.execute(
            update(m.OfferRow)
            .where(m.OfferRow.id == offer_id)
            .values(opened_by=opened_by, opening_total=total, opening_touched_at=at)
        )

    def opening_progress(
        self,
        offer_id: str,
        delegated: int,
        invited: int,
        at: datetime,
        *,
        done: bool,
        not_invited: int = 0,
        held_back: Sequence[str] = (),
    ) -> None:
        """Add one committed batch to the offer's opening progress; ``not_invited`` persons
        left unasked because of ``held_back`` (reason codes, recorded when given)."""
        values: dict[str, Any] = {
            "opening_delegated": m.OfferRow.opening_delegated + delegated,
            "opening_invited": m.OfferRow.opening_invited + invited,
            "opening_not_invited": m.OfferRow.opening_not_invited + not_invited,
            "opening_touched_at": at,
            "opening_done_at": at if done else None,
        }
        if held_back:
            values["opening_held_back"] = list(held_back)
        self.session.execute(update(m.OfferRow).where(m.OfferRow.id == offer_id).values(values))

    def unfinished_openings(self, idle_since: datetime) -> list[tuple[str, str]]:
        """Open offers whose matching stopped half-way (no batch since ``idle_since``), with
        who opened them: ``(offer id, opened by)``."""
        query = (
            select(m.OfferRow.id, m.OfferRow.opened_by)
            .where(
                m.OfferRow.status == "open",
                m.OfferRow.opening_done_at.is_(None),
                m.OfferRow.opening_total.is_not(None),
                m.OfferRow.opening_touched_at < idle_since,
            )
            .order_by(m.OfferRow.opening_touched_at)
        )
        return [(offer_id, opened_by or "") for offer_id, opened_by in self.session.execute(query)]

    def page(
        self,
        request: PageRequest,
        *,
        recipient_id: str | None = None,
        statuses: Sequence[str] = (),
        renewals: bool = False,
    ) -> Page[Offer]:
        """``renewals``: approved or open offers submitted again for review (再審査) count
        too."""
        row = m.OfferRow
        query = select(row)
        if recipient_id is not None:
            query = query.where(row.recipient_id == recipient_id)
        if statuses and renewals:
            renewing = and_(
                row.renewal_requested_at.is_not(None), row.status.in_(("approved", "open"))
            )
            query = query.where(or_(row.status.in_(statuses), renewing))
        elif statuses:
            query = query.where(row.status.in_(statuses))
        return page_of(self.session, query, row.created_at, row.id, request, _offer)

    def find(self, *, recipient_id: str | None = None, statuses: Sequence[str] = ()) -> list[Offer]:
        query = select(m.OfferRow).order_by(m.OfferRow.created_at)
        if recipient_id is not None:
            query = query.where(m.OfferRow.recipient_id == recipient_id)
        if statuses:
            query = query.where(m.OfferRow.status.in_(statuses))
        return [_offer(r) for r in self.session.scalars(query)]

    def set_renewal(self, offer_id: str, at: datetime | None) -> None:
        """Mark the offer as submitted again for a new review at ``at``; None clears it."""
        row = m.OfferRow
        self.session.execute(update(row).where(row.id == offer_id).values(renewal_requested_at=at))

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
            candidates = candidates.where(p.birth_date <= years_before(today, target.age_min))
        if target.age_max is not None:
            candidates = candidates.where(p.birth_date > years_before(today, target.age_max + 1))
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
        i = m.InvitationRow
        asked = select(i.person_id).where(i.offer_id == offer.id, i.person_id == person)
        query = query.where(~asked.exists()).order_by(person).limit(limit)
        return list(self.session.scalars(query))

    def eligible_profiles(self, offer: Offer, today: date, limit: int) -> list[EligibleProfile]:
        """The eligible persons with their terms version, delegation rules and record origins,
        in a few queries per thousands of persons (never one per person)."""
        ids = self.eligible_persons(offer, today, limit)
        found: dict[str, tuple[str | None, list[dict[str, Any]], date | None, str | None]] = {}
        origins: dict[str, set[str]] = {}
        p, d, r = m.Person, m.DelegationRow, m.RecordRow
        for start in range(0, len(ids), _BATCH):
            chunk = ids[start : start + _BATCH]
            rows = self.session.execute(
                select(p.id, p.terms_version, d.rules, p.birth_date, p.prefecture)
                .outerjoin(d, d.person_id == p.id)
                .where(p.id.in_(chunk))
            )
            for person_id, terms_version, rules, born, prefecture in rows:
                delegation = [dict(x) for x in rules or []]
                found[person_id] = (terms_version, delegation, born, prefecture)
            held = self.session.execute(
                select(r.person_id, r.acquired_via)
                .where(r.person_id.in_(chunk), r.category.in_(list(offer.categories)))
                .distinct()
            )
            for person_id, via in held:
                origins.setdefault(person_id, set()).add(via)
        profiles = []
        for pid in ids:
            agreed, rules_of, birth, place = found.get(pid) or (None, [], None, None)
            profiles.append(
                EligibleProfile(
                    person_id=pid,
                    terms_version=agreed,
                    delegation=rules_of,
                    origins=frozenset(origins.get(pid, ())),
                    birth_date=birth,
                    prefecture=place,
                )
            )
        return profiles

    def matching_count(self, offer: Offer, today: date) -> int:
        """How many persons the offer's targeting and categories match (for reach)."""
        counted = select(func.count()).select_from(self._matching(offer, today).subquery())
        return self.session.scalar(counted) or 0

    def add_invitation(self, invitation: Invitation) -> None:
        self.session.add(
            m.InvitationRow(
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
            select(m.InvitationRow).where(
                and_(m.InvitationRow.offer_id == offer_id, m.InvitationRow.person_id == person_id)
            )
        )
        return _invitation(row) if row else None

    def answer_invitation(self, invitation_id: str, status: str, at: datetime) -> None:
        self.session.execute(
            update(m.InvitationRow)
            .where(m.InvitationRow.id == invitation_id)
            .values(status=status, responded_at=at)
        )

    def inbox(self, person_id: str) -> list[tuple[Invitation, Offer]]:
        rows = self.session.execute(
            select(m.InvitationRow, m.OfferRow)
            .join(m.OfferRow, m.OfferRow.id == m.InvitationRow.offer_id)
            .where(m.InvitationRow.person_id == person_id)
            .order_by(m.InvitationRow.created_at.desc())
        )
        return [(_invitation(inv), _offer(offer)) for inv, offer in rows]

    def inbox_page(
        self, person_id: str, request: PageRequest, statuses: Sequence[str] = ()
    ) -> Page[tuple[Invitation, Offer]]:
        invitation = m.InvitationRow
        query = (
            select(invitation, m.OfferRow)
            .join(m.OfferRow, m.OfferRow.id == invitation.offer_id)
            .where(invitation.person_id == person_id)
        )
        if statuses:
            query = query.where(invitation.status.in_(statuses))

        def pair(row: Any) -> tuple[Invitation, Offer]:
            return _invitation(row[0]), _offer(row[1])

        return page_of(self.session, query, invitation.created_at, invitation.id, request, pair)

    def open_invitations(self, offer_id: str) -> list[str]:
        """The persons who have this offer in their inbox, unanswered."""
        query = (
            select(m.InvitationRow.person_id)
            .where(m.InvitationRow.offer_id == offer_id, m.InvitationRow.status == "open")
            .order_by(m.InvitationRow.person_id)
        )
        return list(self.session.scalars(query))

    def reached(self, offer_id: str) -> int:
        query = select(func.count()).where(m.InvitationRow.offer_id == offer_id)
        return self.session.scalar(query) or 0


def _invitation(row: m.InvitationRow) -> Invitation:
    return Invitation(
        id=row.id,
        offer_id=row.offer_id,
        person_id=row.person_id,
        status=row.status,
        created_at=row.created_at,
        responded_at=row.responded_at,
    )
