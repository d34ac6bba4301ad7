"""The repository for idempotency keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.services.ports.idempotency import StoredResponse

__all__ = ["SqlAlchemyIdempotency"]


class SqlAlchemyIdempotency:
    """Idempotency keys: a row is reserved (status 0) before the request runs, then completed
    with the response, so a concurrent repeat waits and a later repeat is replayed."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, principal: str, key: str, *, for_update: bool = False) -> StoredResponse | None:
        query = select(m.IdempotencyRow).where(
            m.IdempotencyRow.principal == principal, m.IdempotencyRow.key == key
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
            insert(m.IdempotencyRow)
            .values(**values)
            .on_conflict_do_nothing()
            .returning(m.IdempotencyRow.key)
        ).first()
        return inserted is not None

    def renew(self, principal: str, key: str, at: datetime) -> None:
        self.session.execute(
            update(m.IdempotencyRow)
            .where(m.IdempotencyRow.principal == principal, m.IdempotencyRow.key == key)
            .values(created_at=at)
        )

    def complete(self, principal: str, key: str, status: int, body: bytes) -> None:
        self.session.execute(
            update(m.IdempotencyRow)
            .where(m.IdempotencyRow.principal == principal, m.IdempotencyRow.key == key)
            .values(status_code=status, body=body)
        )

    def release(self, principal: str, key: str) -> None:
        """Forget an in-progress reservation whose request failed, so a retry runs again."""
        self.session.execute(
            delete(m.IdempotencyRow).where(
                m.IdempotencyRow.principal == principal,
                m.IdempotencyRow.key == key,
                m.IdempotencyRow.status_code == 0,
            )
        )

    def purge(self, before: datetime) -> int:
        result = self.session.execute(
            delete(m.IdempotencyRow).where(m.IdempotencyRow.created_at < before)
        )
        return int(getattr(result, "rowcount", 0) or 0)
