"""The repository for web sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.domain.identity import Principal, PrincipalKind, StaffRole
from infobank.domain.sessions import WebSession

__all__ = ["SqlAlchemyWebSessions"]


def _session(row: m.WebSessionRow) -> WebSession:
    return WebSession(
        token_hash=row.token_hash,
        principal=Principal(
            kind=PrincipalKind(row.subject_kind),
            id=row.subject_id,
            role=StaffRole(row.role) if row.role else None,
        ),
        csrf_token=row.csrf_token,
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_seen_at=row.last_seen_at,
        revoked_at=row.revoked_at,
    )


class SqlAlchemyWebSessions:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, web: WebSession) -> None:
        p = web.principal
        self.session.add(
            m.WebSessionRow(
                token_hash=web.token_hash,
                subject_kind=p.kind.value,
                subject_id=p.id,
                role=p.role.value if p.role else None,
                csrf_token=web.csrf_token,
                created_at=web.created_at,
                expires_at=web.expires_at,
                last_seen_at=web.last_seen_at,
                revoked_at=web.revoked_at,
            )
        )

    def get(self, token_hash: str) -> WebSession | None:
        row = self.session.get(m.WebSessionRow, token_hash)
        return _session(row) if row else None

    def touch(self, token_hash: str, at: datetime) -> None:
        self.session.execute(
            update(m.WebSessionRow)
            .where(m.WebSessionRow.token_hash == token_hash)
            .values(last_seen_at=at)
        )

    def revoke(self, token_hash: str, at: datetime) -> None:
        self.session.execute(
            update(m.WebSessionRow)
            .where(m.WebSessionRow.token_hash == token_hash, m.WebSessionRow.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    def revoke_for(self, kind: PrincipalKind, subject_id: str, at: datetime) -> None:
        self.session.execute(
            update(m.WebSessionRow)
            .where(
                m.WebSessionRow.subject_kind == kind.value,
                m.WebSessionRow.subject_id == subject_id,
                m.WebSessionRow.revoked_at.is_(None),
            )
            .values(revoked_at=at)
        )
