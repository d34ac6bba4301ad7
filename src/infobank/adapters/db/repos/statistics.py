"""Counts straight from the tables, for ``/metrics``, usage snapshots and the evidence pack.

Only the tables named in ``_TABLES`` can be counted, so a caller's string never becomes SQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.services.ports.statistics import CertificateDue

__all__ = ["SqlAlchemyStatistics"]

_MODELS: tuple[Any, ...] = (
    m.Person,
    m.Recipient,
    m.Certification,
    m.RecordRow,
    m.OfferRow,
    m.ReviewRow,
    m.ConsentRow,
    m.ConsentEventRow,
    m.DeliveryRow,
    m.RevocationRow,
    m.DelegationRow,
    m.JobRow,
    m.LogLeafRow,
    m.TreeHeadRow,
    m.InquiryRow,
    m.RecipientExceptionRow,
    m.IncidentRow,
    m.ExitChoiceRow,
    m.TransferOutRow,
    m.TransferInRow,
    m.JointApplicationRow,
)

_TABLES: dict[str, Table] = {model.__tablename__: model.__table__ for model in _MODELS}


def _table(name: str) -> Table:
    try:
        return _TABLES[name]
    except KeyError:
        raise ValueError(f"no statistics for table {name!r}") from None


class SqlAlchemyStatistics:
    def __init__(self, session: Session) -> None:
        self.session = session

    def count(self, table: str, **equal: Any) -> int:
        return self._count(_table(table), select(func.count()).select_from(_table(table)), equal)

    def count_before(self, table: str, column: str, before: datetime, **equal: Any) -> int:
        chosen = _table(table)
        query = select(func.count()).select_from(chosen).where(chosen.c[column] < before)
        return self._count(chosen, query, equal)

    def _count(self, chosen: Table, query: Any, equal: dict[str, Any]) -> int:
        for column, value in equal.items():
            if value is None:
                query = query.where(chosen.c[column].is_(None))
            elif isinstance(value, list | tuple):
                query = query.where(chosen.c[column].in_(value))
            else:
                query = query.where(chosen.c[column] == value)
        return int(self.session.scalar(query) or 0)

    def by(self, table: str, column: str) -> dict[str, int]:
        chosen = _table(table)
        rows = self.session.execute(
            select(chosen.c[column], func.count()).group_by(chosen.c[column])
        )
        return {str(value): int(n) for value, n in rows}

    def live_persons(self) -> int:
        return self.count("persons", deleted_at=None)

    def webhook_retries(self) -> int:
        """Failed webhook attempts so far (each one is retried with backoff)."""
        query = select(func.coalesce(func.sum(m.JobRow.attempts), 0)).where(
            m.JobRow.kind == "webhook"
        )
        return int(self.session.scalar(query) or 0)

    def latest(self, table: str, column: str) -> datetime | None:
        value = self.session.scalar(select(func.max(_table(table).c[column])))
        if value is None:
            return None
        assert isinstance(value, datetime)
        # Aggregates bypass the column type: SQLite hands back a naive UTC value.
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    def certificates_due(self, today: date, until: date) -> list[CertificateDue]:
        c = m.Certification
        rows = self.session.execute(
            select(c.recipient_id, m.Recipient.name, c.kind, c.number, c.valid_until)
            .join(m.Recipient, m.Recipient.id == c.recipient_id)
            .where(c.valid_until >= today, c.valid_until <= until)
            .order_by(c.valid_until)
        )
        return [CertificateDue(*row) for row in rows]

    def uncertified_recipients(self, today: date) -> int:
        c = m.Certification
        valid = (
            select(c.recipient_id)
            .where(c.valid_from <= today, c.valid_until >= today)
            .scalar_subquery()
        )
        query = select(func.count()).where(m.Recipient.id.not_in(valid))
        return int(self.session.scalar(query) or 0)

    def waiting_inquiries(self) -> list[tuple[str, datetime]]:
        i = m.InquiryRow
        rows = self.session.execute(
            select(i.id, i.created_at).where(i.status != "closed", i.first_replied_at.is_(None))
        )
        return [(inquiry_id, created) for inquiry_id, created in rows]

    def persons_on_terms(self, version: str) -> int:
        return self.count("persons", deleted_at=None, terms_version=version)
