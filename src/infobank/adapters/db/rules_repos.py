"""Repositories for published terms versions and recipient exceptions (例外類型)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.adapters.db import models_loop as t
from infobank.adapters.db import models_rules as r
from infobank.services.rules_ports import ExceptionApproval, ExceptionType, PublishedTerms

__all__ = ["SqlAlchemyExceptions", "SqlAlchemyTermsBook"]


def _terms(row: r.TermsVersionRow) -> PublishedTerms:
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
            select(r.TermsVersionRow)
            .order_by(r.TermsVersionRow.published_at.desc(), r.TermsVersionRow.version.desc())
            .limit(1)
        )
        return _terms(row) if row else None

    def get(self, version: str) -> PublishedTerms | None:
        row = self.session.get(r.TermsVersionRow, version)
        return _terms(row) if row else None

    def add(self, terms: PublishedTerms) -> None:
        self.session.add(
            r.TermsVersionRow(
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
            insert(t.NotificationRow),
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


def _type(row: r.ExceptionTypeRow) -> ExceptionType:
    return ExceptionType(
        code=row.code,
        name_ja=row.name_ja,
        name_en=row.name_en,
        description=row.description,
        evidence_required=row.evidence_required,
        created_by=row.created_by,
        created_at=row.created_at,
        retired_at=row.retired_at,
    )


def _approval(row: r.RecipientExceptionRow) -> ExceptionApproval:
    return ExceptionApproval(
        id=row.id,
        recipient_id=row.recipient_id,
        type_code=row.type_code,
        evidence=row.evidence,
        minutes=row.minutes,
        approved_by=row.approved_by,
        approved_at=row.approved_at,
        expires_at=row.expires_at,
        withdrawn_at=row.withdrawn_at,
    )


class SqlAlchemyExceptions:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_type(self, kind: ExceptionType) -> None:
        self.session.add(
            r.ExceptionTypeRow(
                code=kind.code,
                name_ja=kind.name_ja,
                name_en=kind.name_en,
                description=kind.description,
                evidence_required=kind.evidence_required,
                created_by=kind.created_by,
                created_at=kind.created_at,
                retired_at=kind.retired_at,
            )
        )

    def type(self, code: str) -> ExceptionType | None:
        row = self.session.get(r.ExceptionTypeRow, code)
        return _type(row) if row else None

    def types(self) -> list[ExceptionType]:
        rows = self.session.scalars(select(r.ExceptionTypeRow).order_by(r.ExceptionTypeRow.code))
        return [_type(row) for row in rows]

    def retire_type(self, code: str, at: datetime) -> None:
        self.session.execute(
            update(r.ExceptionTypeRow)
            .where(r.ExceptionTypeRow.code == code, r.ExceptionTypeRow.retired_at.is_(None))
            .values(retired_at=at)
        )

    def approve(self, approval: ExceptionApproval) -> None:
        self.session.add(
            r.RecipientExceptionRow(
                id=approval.id,
                recipient_id=approval.recipient_id,
                type_code=approval.type_code,
                evidence=approval.evidence,
                minutes=approval.minutes,
                approved_by=approval.approved_by,
                approved_at=approval.approved_at,
                expires_at=approval.expires_at,
                withdrawn_at=approval.withdrawn_at,
            )
        )

    def get(self, approval_id: str) -> ExceptionApproval | None:
        row = self.session.get(r.RecipientExceptionRow, approval_id)
        return _approval(row) if row else None

    def withdraw(self, approval_id: str, at: datetime) -> None:
        self.session.execute(
            update(r.RecipientExceptionRow)
            .where(
                r.RecipientExceptionRow.id == approval_id,
                r.RecipientExceptionRow.withdrawn_at.is_(None),
            )
            .values(withdrawn_at=at)
        )

    def live_for_recipient(self, recipient_id: str) -> list[ExceptionApproval]:
        """Approvals not withdrawn, of types not retired (expiry is the rule's to judge)."""
        a, k = r.RecipientExceptionRow, r.ExceptionTypeRow
        rows = self.session.scalars(
            select(a)
            .join(k, k.code == a.type_code)
            .where(a.recipient_id == recipient_id, a.withdrawn_at.is_(None))
            .where(k.retired_at.is_(None))
            .order_by(a.approved_at)
        )
        return [_approval(row) for row in rows]

    def for_recipient(self, recipient_id: str) -> list[ExceptionApproval]:
        rows = self.session.scalars(
            select(r.RecipientExceptionRow)
            .where(r.RecipientExceptionRow.recipient_id == recipient_id)
            .order_by(r.RecipientExceptionRow.approved_at)
        )
        return [_approval(row) for row in rows]
