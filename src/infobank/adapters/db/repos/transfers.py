"""The repository for transfers between banks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.domain.transfers import IncomingTransfer, OutgoingTransfer

__all__ = ["SqlAlchemyTransfers"]


def _outgoing(row: m.TransferOutRow) -> OutgoingTransfer:
    return OutgoingTransfer(
        id=row.id,
        person_id=row.person_id,
        target_url=row.target_url,
        status=row.status,
        created_at=row.created_at,
        record_count=row.record_count,
        consent_count=row.consent_count,
        remote_id=row.remote_id,
        error=row.error,
        sent_at=row.sent_at,
    )


def _incoming(row: m.TransferInRow) -> IncomingTransfer:
    return IncomingTransfer(
        id=row.id,
        transfer_ref=row.transfer_ref,
        issuer=row.issuer,
        sender_kid=row.sender_kid,
        sender_jwks=dict(row.sender_jwks),
        email_lookup=row.email_lookup,
        bundle=row.bundle,
        status=row.status,
        received_at=row.received_at,
        expires_at=row.expires_at,
        record_count=row.record_count,
        consent_count=row.consent_count,
        person_id=row.person_id,
        imported_at=row.imported_at,
        history_enc=row.history_enc,
    )


class SqlAlchemyTransfers:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_outgoing(self, transfer: OutgoingTransfer) -> None:
        self.session.add(
            m.TransferOutRow(
                id=transfer.id,
                person_id=transfer.person_id,
                target_url=transfer.target_url,
                status=transfer.status,
                record_count=transfer.record_count,
                consent_count=transfer.consent_count,
                created_at=transfer.created_at,
            )
        )

    def finish_outgoing(
        self,
        transfer_id: str,
        status: str,
        at: datetime,
        *,
        remote_id: str | None = None,
        error: str | None = None,
    ) -> None:
        self.session.execute(
            update(m.TransferOutRow)
            .where(m.TransferOutRow.id == transfer_id)
            .values(
                status=status,
                sent_at=at if status == "sent" else None,
                remote_id=remote_id,
                error=None if error is None else error[:2000],
            )
        )

    def outgoing(self, person_id: str) -> list[OutgoingTransfer]:
        rows = self.session.scalars(
            select(m.TransferOutRow)
            .where(m.TransferOutRow.person_id == person_id)
            .order_by(m.TransferOutRow.created_at)
        )
        return [_outgoing(r) for r in rows]

    def add_incoming(self, transfer: IncomingTransfer) -> bool:
        values = {
            name: getattr(transfer, name) for name in m.TransferInRow.__table__.columns.keys()
        }
        try:
            with self.session.begin_nested():
                self.session.add(m.TransferInRow(**values))
                self.session.flush()
        except IntegrityError:
            return False
        return True

    def incoming(self, transfer_id: str, *, for_update: bool = False) -> IncomingTransfer | None:
        query = select(m.TransferInRow).where(m.TransferInRow.id == transfer_id)
        row = self.session.scalar(query.with_for_update() if for_update else query)
        return _incoming(row) if row else None

    def incoming_by_ref(self, transfer_ref: str) -> IncomingTransfer | None:
        row = self.session.scalar(
            select(m.TransferInRow).where(m.TransferInRow.transfer_ref == transfer_ref)
        )
        return _incoming(row) if row else None

    def incoming_for(self, email_lookup: str, person_id: str) -> list[IncomingTransfer]:
        i = m.TransferInRow
        rows = self.session.scalars(
            select(i)
            .where(
                ((i.status == "pending") & (i.email_lookup == email_lookup))
                | (i.person_id == person_id)
            )
            .order_by(i.received_at)
        )
        return [_incoming(r) for r in rows]

    def mark_imported(
        self, transfer_id: str, person_id: str, at: datetime, history_enc: bytes
    ) -> None:
        self.session.execute(
            update(m.TransferInRow)
            .where(m.TransferInRow.id == transfer_id)
            .values(
                status="imported",
                person_id=person_id,
                imported_at=at,
                history_enc=history_enc,
                bundle=None,
            )
        )

    def expire_incoming(self, before: datetime | None) -> int:
        query = update(m.TransferInRow).where(m.TransferInRow.status == "pending")
        if before is not None:
            query = query.where(m.TransferInRow.expires_at <= before)
        result = self.session.execute(query.values(status="expired", bundle=None))
        return int(getattr(result, "rowcount", 0) or 0)
