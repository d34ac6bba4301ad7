"""SQLAlchemy repositories for web sessions and inquiries (相談窓口). Rows in, domain values out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from infobank.adapters.db import models_web as w
from infobank.domain.identity import Principal, PrincipalKind, StaffRole
from infobank.domain.inquiries import StoredInquiry, StoredInquiryMessage
from infobank.domain.sessions import WebSession

__all__ = ["SqlAlchemyInquiries", "SqlAlchemyWebSessions"]


def _session(row: w.WebSessionRow) -> WebSession:
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
            w.WebSessionRow(
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
        row = self.session.get(w.WebSessionRow, token_hash)
        return _session(row) if row else None

    def touch(self, token_hash: str, at: datetime) -> None:
        self.session.execute(
            update(w.WebSessionRow)
            .where(w.WebSessionRow.token_hash == token_hash)
            .values(last_seen_at=at)
        )

    def revoke(self, token_hash: str, at: datetime) -> None:
        self.session.execute(
            update(w.WebSessionRow)
            .where(w.WebSessionRow.token_hash == token_hash, w.WebSessionRow.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    def revoke_for(self, kind: PrincipalKind, subject_id: str, at: datetime) -> None:
        self.session.execute(
            update(w.WebSessionRow)
            .where(
                w.WebSessionRow.subject_kind == kind.value,
                w.WebSessionRow.subject_id == subject_id,
                w.WebSessionRow.revoked_at.is_(None),
            )
            .values(revoked_at=at)
        )


def _inquiry(row: w.InquiryRow) -> StoredInquiry:
    return StoredInquiry(
        id=row.id,
        person_id=row.person_id,
        category=row.category,
        subject_enc=row.subject_enc,
        status=row.status,
        created_at=row.created_at,
        updated_at=row.updated_at,
        closed_at=row.closed_at,
        assigned_to=row.assigned_to,
        assigned_at=row.assigned_at,
        first_replied_at=row.first_replied_at,
    )


class SqlAlchemyInquiries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, inquiry: StoredInquiry) -> None:
        self.session.add(
            w.InquiryRow(
                id=inquiry.id,
                person_id=inquiry.person_id,
                category=inquiry.category,
                subject_enc=inquiry.subject_enc,
                status=inquiry.status,
                created_at=inquiry.created_at,
                updated_at=inquiry.updated_at,
                closed_at=inquiry.closed_at,
            )
        )
        self.session.flush()

    def get(self, inquiry_id: str, *, for_update: bool = False) -> StoredInquiry | None:
        query = select(w.InquiryRow).where(w.InquiryRow.id == inquiry_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        return _inquiry(row) if row else None

    def for_person(self, person_id: str) -> list[StoredInquiry]:
        rows = self.session.scalars(
            select(w.InquiryRow)
            .where(w.InquiryRow.person_id == person_id)
            .order_by(w.InquiryRow.updated_at.desc())
        )
        return [_inquiry(r) for r in rows]

    def find(
        self, statuses: Sequence[str] = (), limit: int = 200, assigned_to: str | None = None
    ) -> list[StoredInquiry]:
        query = select(w.InquiryRow).order_by(w.InquiryRow.updated_at)
        if statuses:
            query = query.where(w.InquiryRow.status.in_(statuses))
        if assigned_to is not None:
            query = query.where(w.InquiryRow.assigned_to == assigned_to)
        return [_inquiry(r) for r in self.session.scalars(query.limit(limit))]

    def assign(self, inquiry_id: str, staff_id: str | None, at: datetime) -> None:
        self.session.execute(
            update(w.InquiryRow)
            .where(w.InquiryRow.id == inquiry_id)
            .values(assigned_to=staff_id, assigned_at=at if staff_id else None)
        )

    def mark_first_reply(self, inquiry_id: str, at: datetime) -> None:
        self.session.execute(
            update(w.InquiryRow)
            .where(w.InquiryRow.id == inquiry_id, w.InquiryRow.first_replied_at.is_(None))
            .values(first_replied_at=at)
        )

    def set_status(self, inquiry_id: str, status: str, at: datetime) -> None:
        self.session.execute(
            update(w.InquiryRow)
            .where(w.InquiryRow.id == inquiry_id)
            .values(status=status, updated_at=at, closed_at=at if status == "closed" else None)
        )

    def add_message(self, message: StoredInquiryMessage) -> None:
        self.session.add(
            w.InquiryMessageRow(
                id=message.id,
                inquiry_id=message.inquiry_id,
                position=message.position,
                author_kind=message.author_kind,
                author_id=message.author_id,
                body_enc=message.body_enc,
                created_at=message.created_at,
            )
        )

    def messages(self, inquiry_ids: Sequence[str]) -> list[StoredInquiryMessage]:
        if not inquiry_ids:
            return []
        rows = self.session.scalars(
            select(w.InquiryMessageRow)
            .where(w.InquiryMessageRow.inquiry_id.in_(inquiry_ids))
            .order_by(w.InquiryMessageRow.inquiry_id, w.InquiryMessageRow.position)
        )
        return [
            StoredInquiryMessage(
                id=r.id,
                inquiry_id=r.inquiry_id,
                position=r.position,
                author_kind=r.author_kind,
                author_id=r.author_id,
                body_enc=r.body_enc,
                created_at=r.created_at,
            )
            for r in rows
        ]
