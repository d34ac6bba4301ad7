"""The job queue: enqueue, lease (SKIP LOCKED on PostgreSQL), finish, retry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m

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

    def lease(
        self, at: datetime, until: datetime, limit: int
    ) -> list[tuple[int, str, dict[str, Any]]]:
        """Claim due jobs by pushing their ``run_at`` to ``until``; other workers skip locked
        rows (PostgreSQL ``FOR UPDATE SKIP LOCKED``), and a crashed worker's lease lapses."""
        query = (
            select(m.JobRow)
            .where(m.JobRow.done_at.is_(None), m.JobRow.run_at <= at)
            .order_by(m.JobRow.run_at, m.JobRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claimed = []
        for row in self.session.scalars(query):
            row.run_at = until
            claimed.append((row.id, row.kind, dict(row.payload)))
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
