"""The repository for recipients and sources, their certifications and suspension."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import select, update

from infobank.adapters.db import models as m
from infobank.adapters.db.paging import page_of
from infobank.adapters.db.repos.base import Repository
from infobank.adapters.db.repos.policy import policy_changed
from infobank.domain.identity import (
    Business,
    Certification,
    PrincipalKind,
)
from infobank.domain.pages import Page, PageRequest

__all__ = ["SqlAlchemyBusinesses"]


def _business(row: m.Recipient | m.Source) -> Business:
    if isinstance(row, m.Recipient):
        return Business(
            id=row.id,
            kind=PrincipalKind.RECIPIENT,
            name=row.name,
            industry=row.industry,
            client_id=row.client_id,
            secret_hash=row.secret_hash,
            created_at=row.created_at,
            contact_email=row.contact_email,
            suspended_at=row.suspended_at,
        )
    return Business(
        id=row.id,
        kind=PrincipalKind.SOURCE,
        name=row.name,
        industry=row.industry,
        client_id=row.client_id,
        secret_hash=row.secret_hash,
        created_at=row.created_at,
    )


def _model(kind: PrincipalKind) -> type[m.Recipient | m.Source]:
    if kind is PrincipalKind.RECIPIENT:
        return m.Recipient
    if kind is PrincipalKind.SOURCE:
        return m.Source
    raise ValueError(f"{kind} is not a business")


class SqlAlchemyBusinesses(Repository):
    def add(self, business: Business) -> None:
        policy_changed(self.session)  # decisions' shared facts change
        common = {
            "id": business.id,
            "name": business.name,
            "industry": business.industry,
            "client_id": business.client_id,
            "secret_hash": business.secret_hash,
            "created_at": business.created_at,
        }
        if business.kind is PrincipalKind.RECIPIENT:
            self.session.add(
                m.Recipient(**common, contact_email=business.contact_email, suspended_at=None)
            )
        else:
            self.session.add(m.Source(**common))

    def get(self, kind: PrincipalKind, business_id: str) -> Business | None:
        row = self.session.get(_model(kind), business_id)
        return _business(cast(m.Recipient | m.Source, row)) if row else None

    def by_client_id(self, client_id: str) -> Business | None:
        for model in (m.Recipient, m.Source):
            row = self.session.scalar(select(model).where(model.client_id == client_id))
            if row is not None:
                return _business(cast(m.Recipient | m.Source, row))
        return None

    def list(self, kind: PrincipalKind) -> Sequence[Business]:
        model = _model(kind)
        rows = self.session.scalars(select(model).order_by(model.name))
        return [_business(cast(m.Recipient | m.Source, r)) for r in rows]

    def page(self, kind: PrincipalKind, request: PageRequest) -> Page[Business]:
        model = _model(kind)
        query = select(model)

        def business(row: m.Recipient | m.Source) -> Business:
            return _business(row)

        return page_of(self.session, query, model.created_at, model.id, request, business)

    def add_certification(self, certification: Certification) -> None:
        policy_changed(self.session)  # decisions' shared facts change
        self.session.add(
            m.Certification(
                id=certification.id,
                recipient_id=certification.recipient_id,
                kind=certification.kind,
                number=certification.number,
                valid_from=certification.valid_from,
                valid_until=certification.valid_until,
                recorded_by=certification.recorded_by,
                created_at=certification.created_at,
            )
        )

    def certifications(self, recipient_id: str) -> Sequence[Certification]:
        rows = self.session.scalars(
            select(m.Certification)
            .where(m.Certification.recipient_id == recipient_id)
            .order_by(m.Certification.valid_until.desc())
        )
        return [
            Certification(
                id=r.id,
                recipient_id=r.recipient_id,
                kind=r.kind,
                number=r.number,
                valid_from=r.valid_from,
                valid_until=r.valid_until,
                recorded_by=r.recorded_by,
                created_at=r.created_at,
            )
            for r in rows
        ]

    def set_suspended(self, recipient_id: str, at: datetime | None) -> None:
        policy_changed(self.session)  # decisions' shared facts change
        self.session.execute(
            update(m.Recipient).where(m.Recipient.id == recipient_id).values(suspended_at=at)
        )
