"""The repository for help-desk inquiries and their messages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.adapters.db.paging import page_of
from infobank.domain.inquiries import StoredInquiry, StoredInquiryMessage
from infobank.domain.pages import Page, PageRequest

__all__ = ["SqlAlchemyInquiries"]


def _inquiry(row: m.InquiryRow) -> StoredInquiry:
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
            m.InquiryRow(
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
        query = select(m.InquiryRow).where(m.InquiryRow.id == inquiry_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        return _inquiry(row) if row else None

    def for_person(self, person_id: str) -> list[StoredInquiry]:
        rows = self.session.scalars(
            select(m.InquiryRow)
            .where(m.InquiryRow.person_id == person_id)
            .order_by(m.InquiryRow.updated_at.desc())
        )
        return [_inquiry(r) for r in rows]

    def page(
        self,
        request: PageRequest,
        *,
        person_id: str | None = None,
        statuses: Sequence[str] = (),
        assigned_to: str | None = None,
    ) -> Page[StoredInquiry]:
        row = m.InquiryRow
        query = select(row)
        if person_id is not None:
            query = query.where(row.person_id == person_id)
        if statuses:
            query = query.where(row.status.in_(statuses))
        if assigned_to is not None:
            query = query.where(row.assigned_to == assigned_to)
        return page_of(self.session, query, row.created_at, row.id, request, _inquiry)

    def find(
        self, statuses: Sequence[str] = (), limit: int = 200, assigned_to: str | None = None
    ) -> list[StoredInquiry]:
        query = select(m.InquiryRow).order_by(m.InquiryRow.updated_at)
        if statuses:
            query = query.where(m.InquiryRow.status.in_(statuses))
        if assigned_to is not None:
            query = query.where(m.InquiryRow.assigned_to == assigned_to)
        return [_inquiry(r) for r in self.session.scalars(query.limit(limit))]

    def assign(self, inquiry_id: str, staff_id: str | None, at: datetime) -> None:
        self.session.execute(
            update(m.InquiryRow)
            .where(m.InquiryRow.id == inquiry_id)
            .values(assigned_to=staff_id, assigned_at=at if staff_id else None)
        )

    def mark_first_reply(self, inquiry_id: str, at: datetime) -> None:
        self.session.execute(
            update(m.InquiryRow)
            .where(m.InquiryRow.id == inquiry_id, m.InquiryRow.first_replied_at.is_(None))
            .values(first_replied_at=at)
        )

    def set_status(self, inquiry_id: str, status: str, at: datetime) -> None:
        self.session.execute(
            update(m.InquiryRow)
            .where(m.InquiryRow.id == inquiry_id)
            .values(status=status, updated_at=at, closed_at=at if status == "closed" else None)
        )

    def add_message(self, message: StoredInquiryMessage) -> None:
        self.session.add(
            m.InquiryMessageRow(
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
            select(m.InquiryMessageRow)
            .where(m.InquiryMessageRow.inquiry_id.in_(inquiry_ids))
            .order_by(m.InquiryMessageRow.inquiry_id, m.InquiryMessageRow.position)
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
