"""Repositories for the loop's side effects: revocation notices, the benefit ledger,
notifications, background jobs and idempotency keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from infobank.adapters.db import models_loop as t
from infobank.domain.deliveries import Notification, Revocation
from infobank.services.loop_ports import StoredResponse

__all__ = [
    "SqlAlchemyIdempotency",
    "SqlAlchemyJobs",
    "SqlAlchemyLedger",
    "SqlAlchemyNotifications",
    "SqlAlchemyRevocations",
]


def _revocation(row: t.RevocationRow) -> Revocation:
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
            t.RevocationRow(
                id=r.id,
                consent_id=r.consent_id,
                recipient_id=r.recipient_id,
                reason=r.reason,
                notice=r.notice,
                created_at=r.created_at,
            )
        )

    def get(self, revocation_id: str) -> Revocation | None:
        row = self.session.get(t.RevocationRow, revocation_id)
        return _revocation(row) if row else None

    def for_consent(self, consent_id: str) -> Revocation | None:
        row = self.session.scalar(
            select(t.RevocationRow).where(t.RevocationRow.consent_id == consent_id)
        )
        return _revocation(row) if row else None

    def for_recipient(self, recipient_id: str) -> list[Revocation]:
        rows = self.session.scalars(
            select(t.RevocationRow)
            .where(t.RevocationRow.recipient_id == recipient_id)
            .order_by(t.RevocationRow.created_at)
        )
        return [_revocation(r) for r in rows]

    def acknowledge(self, revocation_id: str, method: str, at: datetime) -> None:
        self.session.execute(
            update(t.RevocationRow)
            .where(t.RevocationRow.id == revocation_id)
            .values(acknowledged_at=at, ack_method=method)
        )

    def webhook_delivered(self, revocation_id: str, at: datetime) -> None:
        self.session.execute(
            update(t.RevocationRow)
            .where(t.RevocationRow.id == revocation_id)
            .values(webhook_delivered_at=at)
        )


class SqlAlchemyLedger:
    """Double-entry: every transaction's legs sum to zero; ``key`` makes it happen once."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def post(self, key: str, memo: str, legs: dict[str, int], at: datetime) -> bool:
        """Post a balanced transaction; False (and nothing written) if ``key`` was posted."""
        if sum(legs.values()) != 0:
            raise ValueError("a ledger transaction must balance")
        if self.session.scalar(select(t.LedgerTxnRow.id).where(t.LedgerTxnRow.key == key)):
            return False
        txn_id = str(uuid.uuid4())
        try:
            with self.session.begin_nested():
                self.session.add(t.LedgerTxnRow(id=txn_id, key=key, memo=memo, at=at))
                self.session.flush()
        except IntegrityError:  # a concurrent worker posted it first
            return False
        for account, amount in legs.items():
            self.session.add(t.LedgerEntryRow(txn_id=txn_id, account=account, amount=amount))
        return True

    def balance(self, account: str) -> int:
        query = select(func.coalesce(func.sum(t.LedgerEntryRow.amount), 0)).where(
            t.LedgerEntryRow.account == account
        )
        return int(self.session.scalar(query) or 0)

    def entries(self, account: str) -> list[dict[str, Any]]:
        rows = self.session.execute(
            select(t.LedgerTxnRow, t.LedgerEntryRow.amount)
            .join(t.LedgerEntryRow, t.LedgerEntryRow.txn_id == t.LedgerTxnRow.id)
            .where(t.LedgerEntryRow.account == account)
            .order_by(t.LedgerTxnRow.at)
        )
        return [
            {"id": txn.id, "key": txn.key, "memo": txn.memo, "at": txn.at, "points": amount}
            for txn, amount in rows
        ]


class SqlAlchemyNotifications:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, person_id: str, kind: str, params: dict[str, Any], at: datetime) -> None:
        self.session.add(
            t.NotificationRow(
                id=str(uuid.uuid4()), person_id=person_id, kind=kind, params=params, created_at=at
            )
        )

    def for_person(self, person_id: str) -> list[Notification]:
        rows = self.session.scalars(
            select(t.NotificationRow)
            .where(t.NotificationRow.person_id == person_id)
            .order_by(t.NotificationRow.created_at.desc())
        )
        return [
            Notification(
                id=r.id,
                person_id=r.person_id,
                kind=r.kind,
                params=dict(r.params),
                created_at=r.created_at,
                read_at=r.read_at,
            )
            for r in rows
        ]


class SqlAlchemyJobs:
    """Background work as rows, so it commits with the change that caused it (an outbox)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def enqueue(self, kind: str, dedupe_key: str, payload: dict[str, Any], at: datetime) -> None:
        exists = self.session.scalar(
            select(t.JobRow.id).where(t.JobRow.kind == kind, t.JobRow.dedupe_key == dedupe_key)
        )
        if exists is None:
            self.session.add(
                t.JobRow(
                    kind=kind,
                    dedupe_key=dedupe_key,
                    payload=payload,
                    run_at=at,
                    attempts=0,
                    created_at=at,
                )
            )

    def lease(
        self, at: datetime, until: datetime, limit: int
    ) -> list[tuple[int, str, dict[str, Any]]]:
        """Claim due jobs by pushing their ``run_at`` to ``until``; other workers skip locked
        rows (PostgreSQL ``FOR UPDATE SKIP LOCKED``), and a crashed worker's lease lapses."""
        query = (
            select(t.JobRow)
            .where(t.JobRow.done_at.is_(None), t.JobRow.run_at <= at)
            .order_by(t.JobRow.run_at, t.JobRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claimed = []
        for row in self.session.scalars(query):
            row.run_at = until
            claimed.append((row.id, row.kind, dict(row.payload)))
        return claimed

    def done(self, job_id: int, at: datetime) -> None:
        self.session.execute(update(t.JobRow).where(t.JobRow.id == job_id).values(done_at=at))

    def failed(self, job_id: int, error: str, retry_at: datetime) -> int:
        row = self.session.get(t.JobRow, job_id)
        if row is None:
            return 0
        row.attempts += 1
        row.last_error = error[:2000]
        row.run_at = retry_at
        return row.attempts

    def attempts(self, job_id: int) -> int:
        row = self.session.get(t.JobRow, job_id)
        return row.attempts if row else 0

    def pending(self, kind: str | None = None) -> int:
        query = select(func.count()).where(t.JobRow.done_at.is_(None))
        if kind:
            query = query.where(t.JobRow.kind == kind)
        return self.session.scalar(query) or 0


class SqlAlchemyIdempotency:
    """Idempotency keys: a row is reserved (status 0) before the request runs, then completed
    with the response, so a concurrent repeat waits and a later repeat is replayed."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, principal: str, key: str, *, for_update: bool = False) -> StoredResponse | None:
        query = select(t.IdempotencyRow).where(
            t.IdempotencyRow.principal == principal, t.IdempotencyRow.key == key
        )
        row = self.session.scalar(query.with_for_update() if for_update else query)
        if row is None:
            return None
        return StoredResponse(row.request_hash, row.status_code, row.body, row.created_at)

    def reserve(self, principal: str, key: str, request_hash: str, at: datetime) -> bool:
        """Insert the in-progress row unless the key exists; True when this call inserted it."""
        values = {
            "principal": principal,
            "key": key,
            "request_hash": request_hash,
            "status_code": 0,
            "body": b"",
            "created_at": at,
        }
        dialect = self.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        inserted = self.session.execute(
            insert(t.IdempotencyRow)
            .values(**values)
            .on_conflict_do_nothing()
            .returning(t.IdempotencyRow.key)
        ).first()
        return inserted is not None

    def renew(self, principal: str, key: str, at: datetime) -> None:
        self.session.execute(
            update(t.IdempotencyRow)
            .where(t.IdempotencyRow.principal == principal, t.IdempotencyRow.key == key)
            .values(created_at=at)
        )

    def complete(self, principal: str, key: str, status: int, body: bytes) -> None:
        self.session.execute(
            update(t.IdempotencyRow)
            .where(t.IdempotencyRow.principal == principal, t.IdempotencyRow.key == key)
            .values(status_code=status, body=body)
        )

    def release(self, principal: str, key: str) -> None:
        """Forget an in-progress reservation whose request failed, so a retry runs again."""
        self.session.execute(
            delete(t.IdempotencyRow).where(
                t.IdempotencyRow.principal == principal,
                t.IdempotencyRow.key == key,
                t.IdempotencyRow.status_code == 0,
            )
        )

    def purge(self, before: datetime) -> int:
        result = self.session.execute(
            delete(t.IdempotencyRow).where(t.IdempotencyRow.created_at < before)
        )
        return int(getattr(result, "rowcount", 0) or 0)
