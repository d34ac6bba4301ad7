"""The benefits ledger (便益): double-entry points per person."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.adapters.db.paging import page_of
from infobank.domain.pages import Page, PageRequest

__all__ = ["SqlAlchemyLedger"]


class SqlAlchemyLedger:
    """Double-entry: every transaction's legs sum to zero; ``key`` makes it happen once."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def post(self, key: str, memo: str, legs: dict[str, int], at: datetime) -> bool:
        """Post a balanced transaction; False (and nothing written) if ``key`` was posted."""
        if sum(legs.values()) != 0:
            raise ValueError("a ledger transaction must balance")
        if self.session.scalar(select(m.LedgerTxnRow.id).where(m.LedgerTxnRow.key == key)):
            return False
        txn_id = str(uuid.uuid4())
        try:
            with self.session.begin_nested():
                self.session.add(m.LedgerTxnRow(id=txn_id, key=key, memo=memo, at=at))
                self.session.flush()
        except IntegrityError:  # a concurrent worker posted it first
            return False
        for account, amount in legs.items():
            self.session.add(m.LedgerEntryRow(txn_id=txn_id, account=account, amount=amount))
        return True

    def balance(self, account: str) -> int:
        query = select(func.coalesce(func.sum(m.LedgerEntryRow.amount), 0)).where(
            m.LedgerEntryRow.account == account
        )
        return int(self.session.scalar(query) or 0)

    def entries_page(self, account: str, request: PageRequest) -> Page[dict[str, Any]]:
        txn = m.LedgerTxnRow
        query = (
            select(txn, m.LedgerEntryRow.amount)
            .join(m.LedgerEntryRow, m.LedgerEntryRow.txn_id == txn.id)
            .where(m.LedgerEntryRow.account == account)
        )
        return page_of(self.session, query, txn.at, txn.id, request, _entry)

    def entries(self, account: str) -> list[dict[str, Any]]:
        rows = self.session.execute(
            select(m.LedgerTxnRow, m.LedgerEntryRow.amount)
            .join(m.LedgerEntryRow, m.LedgerEntryRow.txn_id == m.LedgerTxnRow.id)
            .where(m.LedgerEntryRow.account == account)
            .order_by(m.LedgerTxnRow.at)
        )
        return [_entry(row) for row in rows]


def _entry(row: Any) -> dict[str, Any]:
    txn, amount = row
    return {"id": txn.id, "key": txn.key, "memo": txn.memo, "at": txn.at, "points": amount}
