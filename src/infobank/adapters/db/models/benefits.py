"""Tables for benefits (便益): ledger transactions and entries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models.base import ID, Base

__all__ = ["LedgerEntryRow", "LedgerTxnRow"]


class LedgerTxnRow(Base):
    """A balanced ledger transaction; ``key`` makes each credit happen exactly once."""

    __tablename__ = "ledger_txns"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    memo: Mapped[str]
    at: Mapped[datetime]


class LedgerEntryRow(Base):
    """One leg of a transaction; the legs of a transaction sum to zero."""

    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    txn_id: Mapped[str] = mapped_column(ID, ForeignKey("ledger_txns.id"), index=True)
    account: Mapped[str] = mapped_column(String(80), index=True)
    amount: Mapped[int]
