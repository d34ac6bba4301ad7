"""The transparency log's storage: leaves, complete subtree nodes and signed tree heads.

An append bumps the single ``log_state`` row with ``UPDATE … RETURNING`` (a row lock on
PostgreSQL until commit; SQLite transactions are already exclusive), so leaves get consecutive
indexes in commit order, and the leaf, its new nodes and the new size commit with the change
the leaf records — or not at all.

Appends run with every state change, so they are three plain Core statements: the size bump,
the leaf, its new nodes. The left siblings an append hashes with are the right edge
("frontier") of the tree before it: one complete node per set bit of the size. Complete nodes
never change, so the frontier of a *committed* size is remembered per engine and reused when
the next append in this process lands right after it; otherwise (another process appended, or
this is the first append) it is read in one query. A transaction's frontier is remembered only
once it has committed, and forgotten if it rolls back.

Roots and proofs first record which nodes they need (the pattern depends only on positions,
never on hash values) and then fetch them in one query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import (
    Connection,
    Engine,
    Executable,
    and_,
    bindparam,
    event,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.domain.merkle import NodeReader, canonical_json, leaf_hash, new_nodes_after_append
from infobank.domain.tree_heads import TreeHead, decode_hash, encode_hash

__all__ = ["SqlAlchemyLog", "fetch_nodes", "with_nodes"]

T = TypeVar("T")

_STATE = m.LogStateRow.metadata.tables["log_state"]

_LEAVES = m.LogLeafRow.metadata.tables["log_leaves"]

_NODES = m.LogNodeRow.metadata.tables["log_nodes"]

_HEADS = m.TreeHeadRow.metadata.tables["tree_heads"]

_INSERT_LEAF = insert(_LEAVES)

_INSERT_NODE = insert(_NODES)

_BUMP = (
    update(_STATE).where(_STATE.c.id == 1).values(size=_STATE.c.size + 1).returning(_STATE.c.size)
)


class _Known:
    """NodeReader over nodes already fetched; a missing one is a damaged store."""

    def __init__(self, nodes: Mapping[tuple[int, int], bytes]) -> None:
        self.nodes = nodes

    def node(self, level: int, index: int) -> bytes:
        found = self.nodes.get((level, index))
        if found is None:
            raise LookupError(f"log node ({level}, {index}) is missing")
        return found


class _Wanted:
    """NodeReader that only notes which nodes are asked for (answers are placeholders)."""

    _PLACEHOLDER = bytes(32)

    def __init__(self) -> None:
        self.keys: set[tuple[int, int]] = set()

    def node(self, level: int, index: int) -> bytes:
        self.keys.add((level, index))
        return self._PLACEHOLDER


@cache
def _lookup(count: int) -> Executable:
    """``(level = :l0 AND idx = :i0) OR …`` for ``count`` keys, built once per count.

    Both databases answer it from the primary key; a row-value ``(level, idx) IN (…)`` would
    make SQLite scan the whole table.
    """
    level, idx = _NODES.c.level, _NODES.c.idx
    terms = [and_(level == bindparam(f"l{k}"), idx == bindparam(f"i{k}")) for k in range(count)]
    return select(level, idx, _NODES.c.hash).where(or_(*terms))


def fetch_nodes(conn: Connection, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The stored nodes among ``keys``, in one query per 128 keys."""
    wanted = sorted(set(keys))
    found: dict[tuple[int, int], bytes] = {}
    for start in range(0, len(wanted), 128):
        chunk = wanted[start : start + 128]
        params: dict[str, int] = {}
        for k, (level, idx) in enumerate(chunk):
            params[f"l{k}"] = level
            params[f"i{k}"] = idx
        for level, idx, value in conn.execute(_lookup(len(chunk)), params):
            found[(level, idx)] = bytes(value)
    return found


def with_nodes(conn: Connection, compute: Callable[[NodeReader], T]) -> T:
    """Run ``compute`` over the stored nodes, fetching all it needs in one round trip.

    Raises LookupError if a node it needs is not stored.
    """
    wanted = _Wanted()
    compute(wanted)
    return compute(_Known(fetch_nodes(conn, wanted.keys)))


def _frontier_keys(size: int) -> list[tuple[int, int]]:
    """The complete nodes on the right edge of a tree of ``size`` leaves, one per set bit."""
    return [(lv, (size >> lv) - 1) for lv in range(size.bit_length()) if size >> lv & 1]


Frontier = dict[tuple[int, int], bytes]

_COMMITTED: WeakKeyDictionary[Engine, tuple[int, Frontier]] = WeakKeyDictionary()

_PENDING = "infobank.log.frontier"


def _publish(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is not None:
        engine, size, frontier = pending
        _COMMITTED[engine] = (size, frontier)


def _forget(session: Session, _previous: object) -> None:
    session.info.pop(_PENDING, None)


_hooked = False


def _remember(session: Session, engine: Engine, size: int, frontier: Frontier) -> None:
    """Keep this transaction's frontier, to be shared once (and only if) it commits."""
    global _hooked
    if not _hooked:  # once per process, on the first append: cheaper than per session
        event.listen(Session, "after_commit", _publish)
        event.listen(Session, "after_soft_rollback", _forget)
        _hooked = True
    session.info[_PENDING] = (engine, size, frontier)


def _head(row: Any) -> TreeHead:
    root = decode_hash(row.root_hash)
    return TreeHead(
        tree_size=row.tree_size,
        root_hash=root if root is not None else b"",
        timestamp=row.timestamp,
        signature=row.signature,
    )


class SqlAlchemyLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def append(self, leaf: Mapping[str, Any], at: datetime) -> int:
        """Append one leaf (canonical JSON of ``leaf``); returns its index."""
        conn = self.session.connection()
        size = conn.execute(_BUMP).scalar()
        if size is None:  # an emptied database: create the row (once), then take it as usual
            try:
                with self.session.begin_nested():  # the SAVEPOINT comes with connection()
                    self.session.connection().execute(insert(_STATE).values(id=1, size=0))
            except IntegrityError:  # a concurrent first append created it
                pass
            size = conn.execute(_BUMP).scalar_one()
        index = int(size) - 1
        raw = canonical_json(dict(leaf))
        hashed = leaf_hash(raw)
        frontier = self._frontier(conn, index)
        created = new_nodes_after_append(index, hashed, _Known(frontier))
        conn.execute(
            _INSERT_LEAF,
            {"idx": index, "leaf": raw.decode("utf-8"), "leaf_hash": hashed, "created_at": at},
        )
        conn.execute(_INSERT_NODE, [{"level": lv, "idx": i, "hash": h} for lv, i, h in created])
        after = {key: frontier[key] for key in _frontier_keys(index + 1) if key in frontier}
        top_level, top_idx, top = created[-1]
        after[(top_level, top_idx)] = top
        _remember(self.session, conn.engine, index + 1, after)
        return index

    def _frontier(self, conn: Connection, size: int) -> Frontier:
        """The right edge of the tree of ``size`` leaves: remembered, or read."""
        keys = _frontier_keys(size)
        candidates: list[tuple[int, Frontier]] = []
        pending = self.session.info.get(_PENDING)
        if pending is not None and pending[0] is conn.engine:
            candidates.append((pending[1], pending[2]))  # earlier appends, this transaction
        committed = _COMMITTED.get(conn.engine)
        if committed is not None:
            candidates.append(committed)
        for known_size, known in candidates:
            if known_size == size and all(key in known for key in keys):
                return dict(known)
        return fetch_nodes(conn, keys) if keys else {}

    def size(self) -> int:
        found = self.session.connection().execute(select(_STATE.c.size).where(_STATE.c.id == 1))
        return int(found.scalar() or 0)

    def with_nodes(self, compute: Callable[[NodeReader], T]) -> T:
        return with_nodes(self.session.connection(), compute)

    def entries(self, start: int, end: int) -> list[tuple[int, str, bytes]]:
        """Leaves ``start <= index < end`` as stored: ``(index, leaf, leaf_hash)``."""
        query = (
            select(_LEAVES.c.idx, _LEAVES.c.leaf, _LEAVES.c.leaf_hash)
            .where(_LEAVES.c.idx >= start, _LEAVES.c.idx < end)
            .order_by(_LEAVES.c.idx)
        )
        rows = self.session.connection().execute(query)
        return [(idx, leaf, bytes(hashed)) for idx, leaf, hashed in rows]

    def add_head(self, head: TreeHead) -> TreeHead:
        """Store a signed head; if one was stored for that size meanwhile, that one stands."""
        values = {
            "tree_size": head.tree_size,
            "root_hash": encode_hash(head.root_hash),
            "timestamp": head.timestamp,
            "signature": head.signature,
        }
        try:
            with self.session.begin_nested():
                self.session.connection().execute(insert(_HEADS), values)
        except IntegrityError:
            existing = self.head(head.tree_size)
            if existing is None:
                raise
            return existing
        return head

    def head(self, tree_size: int) -> TreeHead | None:
        query = select(_HEADS).where(_HEADS.c.tree_size == tree_size)
        row = self.session.connection().execute(query).first()
        return _head(row) if row is not None else None

    def latest_head(self) -> TreeHead | None:
        query = select(_HEADS).order_by(_HEADS.c.tree_size.desc()).limit(1)
        row = self.session.connection().execute(query).first()
        return _head(row) if row is not None else None

    def heads(self, start: int, limit: int) -> Sequence[TreeHead]:
        """Signed heads with ``tree_size >= start``, smallest first."""
        query = (
            select(_HEADS)
            .where(_HEADS.c.tree_size >= start)
            .order_by(_HEADS.c.tree_size)
            .limit(limit)
        )
        return [_head(row) for row in self.session.connection().execute(query)]
