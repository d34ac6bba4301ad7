"""The repository for published terms versions."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.adapters.db.repos.policy import policy_changed
from infobank.services.ports.terms import PublishedTerms

__all__ = ["SqlAlchemyTermsBook"]


def _terms(row: m.TermsVersionRow) -> PublishedTerms:
    return PublishedTerms(
        version=row.version,
        text_ja=row.text_ja,
        text_en=row.text_en,
        published_at=row.published_at,
        published_by=row.published_by,
    )


class SqlAlchemyTermsBook:
    def __init__(self, session: Session) -> None:
        self.session = session

    def latest(self) -> PublishedTerms | None:
        row = self.session.scalar(
            select(m.TermsVersionRow)
            .order_by(m.TermsVersionRow.published_at.desc(), m.TermsVersionRow.version.desc())
            .limit(1)
        )
        return _terms(row) if row else None

    def get(self, version: str) -> PublishedTerms | None:
        row = self.session.get(m.TermsVersionRow, version)
        return _terms(row) if row else None

    def add(self, terms: PublishedTerms) -> None:
        policy_changed(self.session)  # decisions' shared facts change
        self.session.add(
            m.TermsVersionRow(
                version=terms.version,
                text_ja=terms.text_ja,
                text_en=terms.text_en,
                published_at=terms.published_at,
                published_by=terms.published_by,
            )
        )

    def tell_everyone(self, kind: str, params: dict[str, str], at: datetime) -> int:
        """One multi-row INSERT of the notifications (no per-person round trips)."""
        people = select(m.Person.id).where(m.Person.deleted_at.is_(None))
        ids = list(self.session.scalars(people))
        if not ids:
            return 0
        self.session.execute(
            insert(m.NotificationRow),
            [
                {
                    "id": str(uuid.uuid4()),
                    "person_id": pid,
                    "kind": kind,
                    "params": params,
                    "created_at": at,
                    "read_at": None,
                }
                for pid in ids
            ],
        )
        return len(ids)
