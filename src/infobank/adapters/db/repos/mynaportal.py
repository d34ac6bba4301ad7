"""SQLAlchemy implementation of ``MynaportalStore``: links, identity verifications, imported
items and joint applications. Rows in, domain values out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.adapters.db.paging import page_of
from infobank.adapters.db.repos.policy import policy_changed
from infobank.domain.mynaportal import (
    IdentityVerification,
    JointApplication,
    LinkStatus,
    MynaportalLink,
)
from infobank.domain.pages import Page, PageRequest
from infobank.domain.policy import JointApplicationEntry

__all__ = ["SqlAlchemyMynaportal"]

# Built once: every decision about a person asks where their records came from.
_ORIGINS = (
    select(m.RecordRow.acquired_via)
    .where(
        m.RecordRow.person_id == bindparam("person"),
        m.RecordRow.category.in_(bindparam("categories", expanding=True)),
    )
    .distinct()
)

_LINK_FIELDS = (
    "status",
    "failure_code",
    "token_enc",
    "window_start",
    "window_end",
    "last_fetched_at",
    "renewal_notified_at",
    "completed_at",
)


def _link(row: m.MynaportalLinkRow) -> MynaportalLink:
    return MynaportalLink(
        id=row.id,
        person_id=row.person_id,
        state_lookup=row.state_lookup,
        nonce=row.nonce,
        verifier_enc=row.verifier_enc,
        status=row.status,
        created_at=row.created_at,
        failure_code=row.failure_code,
        token_enc=row.token_enc,
        window_start=row.window_start,
        window_end=row.window_end,
        last_fetched_at=row.last_fetched_at,
        renewal_notified_at=row.renewal_notified_at,
        completed_at=row.completed_at,
    )


def _application(row: m.JointApplicationRow) -> JointApplication:
    return JointApplication(
        id=row.id,
        recipient_id=row.recipient_id,
        purposes=tuple(row.purposes),
        categories=tuple(row.categories),
        approval_reference=row.approval_reference,
        approved_on=row.approved_on,
        created_by=row.created_by,
        created_at=row.created_at,
        withdrawn_at=row.withdrawn_at,
        withdrawn_by=row.withdrawn_by,
    )


class SqlAlchemyMynaportal:
    def __init__(self, session: Session) -> None:
        self.session = session

    # links ---------------------------------------------------------------------------------

    def add_link(self, link: MynaportalLink) -> None:
        self.session.add(
            m.MynaportalLinkRow(
                id=link.id,
                person_id=link.person_id,
                state_lookup=link.state_lookup,
                nonce=link.nonce,
                verifier_enc=link.verifier_enc,
                status=link.status,
                failure_code=link.failure_code,
                token_enc=link.token_enc,
                window_start=link.window_start,
                window_end=link.window_end,
                last_fetched_at=link.last_fetched_at,
                renewal_notified_at=link.renewal_notified_at,
                created_at=link.created_at,
                completed_at=link.completed_at,
            )
        )
        self.session.flush()

    def link_by_state(self, state_lookup: str) -> MynaportalLink | None:
        row = self.session.scalars(
            select(m.MynaportalLinkRow)
            .where(m.MynaportalLinkRow.state_lookup == state_lookup)
            .with_for_update()
        ).first()
        return _link(row) if row else None

    def current_link(self, person_id: str) -> MynaportalLink | None:
        row = self.session.scalars(
            select(m.MynaportalLinkRow)
            .where(
                m.MynaportalLinkRow.person_id == person_id,
                m.MynaportalLinkRow.status != LinkStatus.SUPERSEDED,
            )
            .order_by(m.MynaportalLinkRow.created_at.desc(), m.MynaportalLinkRow.id)
            .limit(1)
        ).first()
        return _link(row) if row else None

    def update_link(self, link_id: str, **values: Any) -> None:
        unknown = set(values) - set(_LINK_FIELDS)
        if unknown:
            raise ValueError(f"not updatable: {sorted(unknown)}")
        self.session.execute(
            update(m.MynaportalLinkRow).where(m.MynaportalLinkRow.id == link_id).values(**values)
        )

    def supersede(self, person_id: str, keep: str, at: datetime) -> None:
        self.session.execute(
            update(m.MynaportalLinkRow)
            .where(
                m.MynaportalLinkRow.person_id == person_id,
                m.MynaportalLinkRow.id != keep,
                m.MynaportalLinkRow.status.in_(
                    [LinkStatus.ACTIVE, LinkStatus.EXPIRED, LinkStatus.FAILED, LinkStatus.PENDING]
                ),
            )
            .values(status=LinkStatus.SUPERSEDED, completed_at=at)
        )

    def links_past_window(self, at: datetime, limit: int) -> list[MynaportalLink]:
        rows = self.session.scalars(
            select(m.MynaportalLinkRow)
            .where(
                m.MynaportalLinkRow.status == LinkStatus.ACTIVE,
                m.MynaportalLinkRow.window_end <= at,
            )
            .order_by(m.MynaportalLinkRow.window_end)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [_link(row) for row in rows]

    # identity verification -------------------------------------------------------------------

    def verification(self, person_id: str) -> IdentityVerification | None:
        row = self.session.get(m.IdentityVerificationRow, person_id)
        if row is None:
            return None
        return IdentityVerification(
            person_id=row.person_id,
            method=row.method,
            verified_at=row.verified_at,
            certificate_serial=row.certificate_serial,
            certificate_issuer=row.certificate_issuer,
            certificate_not_after=row.certificate_not_after,
            card_lookup=row.card_lookup,
        )

    def card_owner(self, card_lookup: str) -> str | None:
        return self.session.scalars(
            select(m.IdentityVerificationRow.person_id).where(
                m.IdentityVerificationRow.card_lookup == card_lookup
            )
        ).first()

    def set_verification(self, v: IdentityVerification) -> None:
        row = self.session.get(m.IdentityVerificationRow, v.person_id)
        if row is None:
            row = m.IdentityVerificationRow(person_id=v.person_id)
            self.session.add(row)
        row.method = v.method
        row.verified_at = v.verified_at
        row.certificate_serial = v.certificate_serial
        row.certificate_issuer = v.certificate_issuer
        row.certificate_not_after = v.certificate_not_after
        row.card_lookup = v.card_lookup
        self.session.flush()

    # imported items --------------------------------------------------------------------------

    def item_lookups(self, person_id: str) -> set[str]:
        return set(
            self.session.scalars(
                select(m.MynaportalItemRow.item_lookup).where(
                    m.MynaportalItemRow.person_id == person_id
                )
            )
        )

    def add_item(self, person_id: str, item_lookup: str, record_id: str, at: datetime) -> None:
        # The record is usually added in this same transaction. With no relationship() between
        # the two tables, the ORM orders one flush's INSERTs by class path, not by foreign key,
        # so write the pending record first.
        self.session.flush()
        self.session.add(
            m.MynaportalItemRow(
                person_id=person_id, item_lookup=item_lookup, record_id=record_id, created_at=at
            )
        )

    def record_origins(self, person_id: str, categories: Sequence[str]) -> frozenset[str]:
        if not person_id or not categories:
            return frozenset()
        found = self.session.scalars(
            _ORIGINS, {"person": person_id, "categories": list(categories)}
        )
        return frozenset(found)

    # joint applications ----------------------------------------------------------------------

    def add_joint_application(self, a: JointApplication) -> None:
        policy_changed(self.session)  # decisions' shared facts change
        self.session.add(
            m.JointApplicationRow(
                id=a.id,
                recipient_id=a.recipient_id,
                purposes=list(a.purposes),
                categories=list(a.categories),
                approval_reference=a.approval_reference,
                approved_on=a.approved_on,
                created_by=a.created_by,
                created_at=a.created_at,
                withdrawn_at=a.withdrawn_at,
                withdrawn_by=a.withdrawn_by,
            )
        )
        self.session.flush()

    def joint_application(self, application_id: str) -> JointApplication | None:
        row = self.session.get(m.JointApplicationRow, application_id)
        return _application(row) if row else None

    def joint_applications(self, recipient_id: str | None = None) -> list[JointApplication]:
        query = select(m.JointApplicationRow).order_by(
            m.JointApplicationRow.created_at, m.JointApplicationRow.id
        )
        if recipient_id is not None:
            query = query.where(m.JointApplicationRow.recipient_id == recipient_id)
        return [_application(row) for row in self.session.scalars(query)]

    def joint_applications_page(
        self, request: PageRequest, recipient_id: str | None = None
    ) -> Page[JointApplication]:
        row = m.JointApplicationRow
        query = select(row)
        if recipient_id is not None:
            query = query.where(row.recipient_id == recipient_id)
        return page_of(self.session, query, row.created_at, row.id, request, _application)

    def withdraw_joint_application(self, application_id: str, by: str, at: datetime) -> None:
        policy_changed(self.session)  # decisions' shared facts change
        self.session.execute(
            update(m.JointApplicationRow)
            .where(m.JointApplicationRow.id == application_id)
            .values(withdrawn_at=at, withdrawn_by=by)
        )

    def joint_entries(self, recipient_id: str) -> tuple[JointApplicationEntry, ...]:
        return tuple(entry for a in self.joint_applications(recipient_id) for entry in a.entries())
