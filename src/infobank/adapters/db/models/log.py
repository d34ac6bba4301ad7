"""Tables for the transparency log: state, leaves, tree nodes and signed heads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models.base import Base

__all__ = ["LogLeafRow", "LogNodeRow", "LogStateRow", "TreeHeadRow"]


class LogStateRow(Base):
    """The one row holding the transparency log's size; appends lock it to take turns."""

    __tablename__ = "log_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    size: Mapped[int]


class LogLeafRow(Base):
    """A transparency log leaf: canonical JSON without personal data in the clear."""

    __tablename__ = "log_leaves"

    idx: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    leaf: Mapped[str] = mapped_column(Text)
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class LogNodeRow(Base):
    """A complete subtree hash of the Merkle tree, so proofs need O(log n) reads."""

    __tablename__ = "log_nodes"

    level: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    idx: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary)


class TreeHeadRow(Base):
    """A signed tree head (STH)."""

    __tablename__ = "tree_heads"

    tree_size: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    root_hash: Mapped[str] = mapped_column(String(64))
    timestamp: Mapped[datetime]
    signature: Mapped[str] = mapped_column(Text)
