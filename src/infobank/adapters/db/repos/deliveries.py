"""SQLAlchemy repositories of deliveries (提供): sealed packages, the records each consent's
packages carried, the recipients' keys and webhooks, and revocations (提供停止) with their
signed notices. Rows in, domain values out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.adapters.db.paging import page_of
from infobank.domain.deliveries import Delivery, Revocation
from infobank.domain.pages import Page, PageRequest

__all__ = ["SqlAlchemyDeliveries", "SqlAlchemyRecipientEndpoints", "SqlAlchemyRevocations"]

# Built once: the fetch path runs these on every download.
_DELIVERY = select(m.DeliveryRow).where(m.DeliveryRow.id == bindparam("id"))
_DELIVERY_LOCKED = _DELIVERY.with_for_update()
_TABLE = m.DeliveryRow.metadata.tables["deliveries"]
_FETCHED_AGAIN = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("d_id"))
    .values(fetch_count=_TABLE.c.fetch_count + 1)
)
_FETCHED_FIRST = _FETCHED_AGAIN.values(
    status="fetched", fetched_at=bindparam("at"), log_index=bindparam("log_index")
)


def _delivery(row: m.DeliveryRow) -> Delivery:
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


class SqlAlchemyDeliveries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, d: Delivery) -> None:
        self.session.add(
            m.DeliveryRow(
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
        query = select(func.max(m.DeliveryRow.sequence)).where(
            m.DeliveryRow.consent_id == consent_id
        )
        return (self.session.scalar(query) or 0) + 1

    def get(self, delivery_id: str, *, for_update: bool = False) -> Delivery | None:
        query = _DELIVERY_LOCKED if for_update else _DELIVERY
        row = self.session.scalar(query, {"id": delivery_id})
        return _delivery(row) if row else None

    def for_recipient(
        self, recipient_id: str, status: str | None, request: PageRequest
    ) -> Page[Delivery]:
        row = m.DeliveryRow
        query = select(row).where(row.recipient_id == recipient_id)
        if status:
            query = query.where(row.status == status)
        return page_of(self.session, query, row.created_at, row.id, request, _delivery)

    def for_consent(self, consent_id: str) -> list[Delivery]:
        query = select(m.DeliveryRow).where(m.DeliveryRow.consent_id == consent_id)
        return [_delivery(r) for r in self.session.scalars(query.order_by(m.DeliveryRow.sequence))]

    def delivered_records(self, consent_id: str) -> set[str]:
        query = select(m.DeliveredRecordRow.record_id).where(
            m.DeliveredRecordRow.consent_id == consent_id
        )
        return set(self.session.scalars(query))

    def record_delivered(self, consent_id: str, delivery_id: str, record_ids: list[str]) -> None:
        if record_ids:
            self.session.flush()  # the delivery row they reference goes first
            self.session.execute(
                insert(m.DeliveredRecordRow),
                [
                    {"consent_id": consent_id, "record_id": rid, "delivery_id": delivery_id}
                    for rid in record_ids
                ],
            )

    def count_fetch(
        self, delivery_id: str, *, first_at: datetime | None = None, log_index: int | None = None
    ) -> None:
        """One more download; the first one (``first_at``) also marks the package fetched,
        in the same UPDATE."""
        conn = self.session.connection()
        if first_at is None:
            conn.execute(_FETCHED_AGAIN, {"d_id": delivery_id})
        else:
            params = {"d_id": delivery_id, "at": first_at, "log_index": log_index}
            conn.execute(_FETCHED_FIRST, params)

    def mark(self, delivery_id: str, status: str, at: datetime, log_index: int) -> None:
        stamp = {"fetched": "fetched_at", "acknowledged": "acknowledged_at"}[status]
        self.session.execute(
            update(m.DeliveryRow)
            .where(m.DeliveryRow.id == delivery_id)
            .values({"status": status, stamp: at, "log_index": log_index})
        )

    def withdraw_for_consent(self, consent_id: str, at: datetime) -> list[str]:
        """Make every package not yet acknowledged unavailable; the ciphertext is dropped."""
        rows = self.session.scalars(
            select(m.DeliveryRow).where(
                m.DeliveryRow.consent_id == consent_id,
                m.DeliveryRow.status.in_(("ready", "fetched")),
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
        row = self.session.get(m.RecipientKeyRow, recipient_id)
        return dict(row.jwk) if row and row.jwk else None

    def webhook(self, recipient_id: str) -> str | None:
        row = self.session.get(m.RecipientKeyRow, recipient_id)
        return row.webhook_url if row else None

    def set(self, recipient_id: str, at: datetime, **values: Any) -> None:
        row = self.session.get(m.RecipientKeyRow, recipient_id)
        if row is None:
            row = m.RecipientKeyRow(recipient_id=recipient_id, jwk=None, webhook_url=None)
            self.session.add(row)
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = at


def _revocation(row: m.RevocationRow) -> Revocation:
    return Revocation(
        id=row.id,
        consent_id=row.consent_id,
        recipient_id=row.recipient_id,
        reason=row.reason,
        notice=row.notice,
        created_at=row.created_at,
        acknowledged_at=row.acknowledged_at,
        ack_method=row.ack_method,
        webhook_delivered_at=row.webhook_delivered_at,
    )


class SqlAlchemyRevocations:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, r: Revocation) -> None:
        self.session.add(
            m.RevocationRow(
                id=r.id,
                consent_id=r.consent_id,
                recipient_id=r.recipient_id,
                reason=r.reason,
                notice=r.notice,
                created_at=r.created_at,
            )
        )

    def get(self, revocation_id: str) -> Revocation | None:
        row = self.session.get(m.RevocationRow, revocation_id)
        return _revocation(row) if row else None

    def for_consent(self, consent_id: str) -> Revocation | None:
        row = self.session.scalar(
            select(m.RevocationRow).where(m.RevocationRow.consent_id == consent_id)
        )
        return _revocation(row) if row else None

    def for_recipient(self, recipient_id: str, request: PageRequest) -> Page[Revocation]:
        row = m.RevocationRow
        query = select(row).where(row.recipient_id == recipient_id)
        return page_of(self.session, query, row.created_at, row.id, request, _revocation)

    def acknowledge(self, revocation_id: str, method: str, at: datetime) -> None:
        self.session.execute(
            update(m.RevocationRow)
            .where(m.RevocationRow.id == revocation_id)
            .values(acknowledged_at=at, ack_method=method)
        )

    def webhook_delivered(self, revocation_id: str, at: datetime) -> None:
        self.session.execute(
            update(m.RevocationRow)
            .where(m.RevocationRow.id == revocation_id)
            .values(webhook_delivered_at=at)
        )
