"""The transparency log's storage: leaves, complete subtree nodes and signed tree heads.

An append takes the single ``log_state`` row with ``FOR UPDATE`` (SQLite: the transaction is
already exclusive), so leaves get consecutive indexes in commit order, and the leaf, its new
nodes and the new size commit with the change the leaf records — or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from infobank.adapters.db import models_loop as t
from infobank.domain.merkle import canonical_json, leaf_hash, new_nodes_after_append

__all__ = ["SqlAlchemyLog"]


class _Nodes:
    """NodeReader over the stored complete subtrees, with this transaction's new ones."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.pending: dict[tuple[int, int], bytes] = {}

    def node(self, level: int, index: int) -> bytes:
        found = self.pending.get((level, index))
        if found is not None:
            return found
        row = self.session.get(t.LogNodeRow, (level, index))
        if row is None:
            raise KeyError(f"log node ({level}, {index}) is missing")
        return row.hash


class SqlAlchemyLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _state(self) -> t.LogStateRow:
        state = self.session.scalar(
            select(t.LogStateRow).where(t.LogStateRow.id == 1).with_for_update()
        )
        if state is None:
            state = t.LogStateRow(id=1, size=0)
            self.session.add(state)
            self.session.flush()
        return state

    def append(self, leaf: Mapping[str, Any], at: datetime) -> int:
        """Append one leaf (canonical JSON of ``leaf``); returns its index."""
        state = self._state()
        index = state.size
        raw = canonical_json(dict(leaf))
        hashed = leaf_hash(raw)
        nodes = _Nodes(self.session)
        for level, idx, value in new_nodes_after_append(index, hashed, nodes):
            nodes.pending[(level, idx)] = value
            self.session.add(t.LogNodeRow(level=level, idx=idx, hash=value))
        self.session.add(
            t.LogLeafRow(idx=index, leaf=raw.decode("utf-8"), leaf_hash=hashed, created_at=at)
        )
        state.size = index + 1
        return index

    def size(self) -> int:
        state = self.session.get(t.LogStateRow, 1)
        return state.size if state else 0

    def reader(self) -> _Nodes:
        return _Nodes(self.session)
