"""Repositories for entrusted records and source links."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update

from infobank.adapters.db import models as m
from infobank.adapters.db.paging import page_of
from infobank.adapters.db.repos.base import Repository
from infobank.domain.pages import Page, PageRequest
from infobank.domain.records import AcquiredVia, LinkCode, SourceLink, StoredRecord

__all__ = ["SqlAlchemyRecords", "SqlAlchemySourceLinks"]


def _record(row: m.RecordRow) -> StoredRecord:
    return StoredRecord(
        id=row.id,
        person_id=row.person_id,
        category=row.category,
        payload=row.payload,
        size_bytes=row.size_bytes,
        observed_at=row.observed_at,
        acquired_via=AcquiredVia(row.acquired_via),
        source_id=row.source_id,
        source_method=row.source_method,
        purpose=row.purpose,
        created_at=row.created_at,
    )


class SqlAlchemyRecords(Repository):
    def add(self, record: StoredRecord) -> None:
        self.session.add(
            m.RecordRow(
                id=record.id,
                person_id=record.person_id,
                category=record.category,
                payload=record.payload,
                size_bytes=record.size_bytes,
                observed_at=record.observed_at,
                acquired_via=record.acquired_via.value,
                source_id=record.source_id,
                source_method=record.source_method,
                purpose=record.purpose,
                created_at=record.created_at,
            )
        )

    def get(self, person_id: str, record_id: str) -> StoredRecord | None:
        row = self.session.scalar(
            select(m.RecordRow).where(
                m.RecordRow.id == record_id, m.RecordRow.person_id == person_id
            )
        )
        return _record(row) if row else None

    def list(self, person_id: str, category: str | None = None) -> Sequence[StoredRecord]:
        query = select(m.RecordRow).where(m.RecordRow.person_id == person_id)
        if category is not None:
            query = query.where(m.RecordRow.category == category)
        query = query.order_by(m.RecordRow.created_at, m.RecordRow.id)
        return [_record(r) for r in self.session.scalars(query)]

    def page(
        self, person_id: str, request: PageRequest, category: str | None = None
    ) -> Page[StoredRecord]:
        query = select(m.RecordRow).where(m.RecordRow.person_id == person_id)
        if category is not None:
            query = query.where(m.RecordRow.category == category)
        row = m.RecordRow
        return page_of(self.session, query, row.created_at, row.id, request, _record)

    def categories_held(self, person_id: str) -> set[str]:
        query = select(m.RecordRow.category).where(m.RecordRow.person_id == person_id).distinct()
        return set(self.session.scalars(query))


def _link(row: m.SourceLink) -> SourceLink:
    return SourceLink(
        id=row.id,
        person_id=row.person_id,
        source_id=row.source_id,
        person_ref=row.person_ref,
        external_ref_enc=row.external_ref_enc,
        created_at=row.created_at,
        unlinked_at=row.unlinked_at,
    )


class SqlAlchemySourceLinks(Repository):
    def add_code(self, code: LinkCode) -> None:
        self.session.add(
            m.LinkCode(
                code_hash=code.code_hash,
                person_id=code.person_id,
                source_id=code.source_id,
                expires_at=code.expires_at,
                used_at=code.used_at,
                created_at=code.created_at,
            )
        )

    def take_code(self, code_hash: str, source_id: str, at: datetime) -> LinkCode | None:
        # One conditional UPDATE: two sources racing for one code cannot both win it.
        result = self.session.execute(
            update(m.LinkCode)
            .where(
                m.LinkCode.code_hash == code_hash,
                m.LinkCode.source_id == source_id,
                m.LinkCode.used_at.is_(None),
                m.LinkCode.expires_at > at,
            )
            .values(used_at=at)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return None
        row = self.session.get(m.LinkCode, code_hash)
        assert row is not None
        return LinkCode(
            code_hash=row.code_hash,
            person_id=row.person_id,
            source_id=row.source_id,
            expires_at=row.expires_at,
            created_at=row.created_at,
            used_at=row.used_at,
        )

    def add(self, link: SourceLink) -> None:
        self.session.add(
            m.SourceLink(
                id=link.id,
                person_id=link.person_id,
                source_id=link.source_id,
                person_ref=link.person_ref,
                external_ref_enc=link.external_ref_enc,
                created_at=link.created_at,
                unlinked_at=link.unlinked_at,
            )
        )

    def for_person(self, person_id: str, source_id: str) -> SourceLink | None:
        row = self.session.scalar(
            select(m.SourceLink).where(
                m.SourceLink.person_id == person_id, m.SourceLink.source_id == source_id
            )
        )
        return _link(row) if row else None

    def by_refs(self, source_id: str, person_refs: Sequence[str]) -> dict[str, SourceLink]:
        if not person_refs:
            return {}
        rows = self.session.scalars(
            select(m.SourceLink).where(
                m.SourceLink.source_id == source_id,
                m.SourceLink.person_ref.in_(set(person_refs)),
                m.SourceLink.unlinked_at.is_(None),
            )
        )
        return {r.person_ref: _link(r) for r in rows}

    def list_for_person(self, person_id: str) -> Sequence[SourceLink]:
        rows = self.session.scalars(select(m.SourceLink).where(m.SourceLink.person_id == person_id))
        return [_link(r) for r in rows]
