"""The job queue: enqueue, lease (SKIP LOCKED on PostgreSQL), finish, retry."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.adapters.db.wakeup import mark_work

__all__ = ["SqlAlchemyJobs"]


class SqlAlchemyJobs:
    """Background work as rows, so it commits with the change that caused it (an outbox)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def enqueue(self, kind: str, dedupe_key: str, payload: dict[str, Any], at: datetime) -> None:
        exists = self.session.scalar(
            select(m.JobRow.id).where(m.JobRow.kind == kind, m.JobRow.dedupe_key == dedupe_key)
        )
        if exists is None:
            mark_work(self.session)
            self.session.add(
                m.JobRow(
                    kind=kind,
                    dedupe_key=dedupe_key,
                    payload=payload,
                    run_at=at,
                    attempts=0,
                    created_at=at,
                )
            )

    def lease_webhooks(
        self,
        at: datetime,
        until: datetime,
        limit: int,
        *,
        in_flight: Mapping[str, int] | None = None,
        per_recipient: int = 1_000_000,
    ) -> list[tuple[int, str, str]]:
        """Claim due webhook jobs by pushing their ``run_at`` to ``until``: other workers skip
        locked rows (PostgreSQL ``FOR UPDATE SKIP LOCKED``), and a crashed worker's lease lapses.
        No recipient gets more than ``per_recipient`` calls counting those ``in_flight``; its
        other jobs stay due for a later round. Returns ``(job id, revocation id, recipient)``."""
        busy = dict(in_flight or {})
        query = (
            select(m.JobRow, m.RevocationRow.recipient_id)
            .join(m.RevocationRow, m.RevocationRow.id == m.JobRow.dedupe_key)
            .where(m.JobRow.kind == "webhook", m.JobRow.done_at.is_(None), m.JobRow.run_at <= at)
            .order_by(m.JobRow.run_at, m.JobRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=m.JobRow)
        )
        full = [r for r, n in busy.items() if n >= per_recipient]
        if full:
            query = query.where(m.RevocationRow.recipient_id.not_in(full))
        claimed = []
        for row, recipient_id in self.session.execute(query):
            if busy.get(recipient_id, 0) >= per_recipient:
                continue
            busy[recipient_id] = busy.get(recipient_id, 0) + 1
            row.run_at = until
            claimed.append((row.id, str(row.payload["revocation_id"]), recipient_id))
        return claimed

    def done(self, job_id: int, at: datetime) -> None:
        self.session.execute(update(m.JobRow).where(m.JobRow.id == job_id).values(done_at=at))

    def failed(self, job_id: int, error: str, retry_at: datetime) -> int:
        row = self.session.get(m.JobRow, job_id)
        if row is None:
            return 0
        row.attempts += 1
        row.last_error = error[:2000]
        row.run_at = retry_at
        return row.attempts

    def attempts(self, job_id: int) -> int:
        row = self.session.get(m.JobRow, job_id)
        return row.attempts if row else 0

    def pending(self, kind: str | None = None) -> int:
        query = select(func.count()).where(m.JobRow.done_at.is_(None))
        if kind:
            query = query.where(m.JobRow.kind == kind)
        return self.session.scalar(query) or 0
