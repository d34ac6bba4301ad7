"""The repository for exception types and approvals."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.adapters.db.repos.policy import policy_changed
from infobank.services.ports.exceptions import ExceptionApproval, ExceptionType

__all__ = ["SqlAlchemyExceptions"]


def _type(row: m.ExceptionTypeRow) -> ExceptionType:
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


def _approval(row: m.RecipientExceptionRow) -> ExceptionApproval:
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
        policy_changed(self.session)  # decisions' shared facts change
        self.session.add(
            m.ExceptionTypeRow(
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
        row = self.session.get(m.ExceptionTypeRow, code)
        return _type(row) if row else None

    def types(self) -> list[ExceptionType]:
        rows = self.session.scalars(select(m.ExceptionTypeRow).order_by(m.ExceptionTypeRow.code))
        return [_type(row) for row in rows]

    def retire_type(self, code: str, at: datetime) -> None:
        policy_changed(self.session)  # decisions' shared facts change
        self.session.execute(
            update(m.ExceptionTypeRow)
            .where(m.ExceptionTypeRow.code == code, m.ExceptionTypeRow.retired_at.is_(None))
            .values(retired_at=at)
        )

    def approve(self, approval: ExceptionApproval) -> None:
        policy_changed(self.session)  # decisions' shared facts change
        self.session.add(
            m.RecipientExceptionRow(
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
        row = self.session.get(m.RecipientExceptionRow, approval_id)
        return _approval(row) if row else None

    def withdraw(self, approval_id: str, at: datetime) -> None:
        policy_changed(self.session)  # decisions' shared facts change
        self.session.execute(
            update(m.RecipientExceptionRow)
            .where(
                m.RecipientExceptionRow.id == approval_id,
                m.RecipientExceptionRow.withdrawn_at.is_(None),
            )
            .values(withdrawn_at=at)
        )

    def live_for_recipient(self, recipient_id: str) -> list[ExceptionApproval]:
        """Approvals not withdrawn, of types not retired (expiry is the rule's to judge)."""
        a, k = m.RecipientExceptionRow, m.ExceptionTypeRow
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
            select(m.RecipientExceptionRow)
            .where(m.RecipientExceptionRow.recipient_id == recipient_id)
            .order_by(m.RecipientExceptionRow.approved_at)
        )
        return [_approval(row) for row in rows]
