"""The transparency log read straight from the database, for ``infobank log verify``.

Leaves are read in keyset pages (``idx >= n ORDER BY idx LIMIT page``), one short read
transaction each, so a verification of millions of leaves never holds the database for long.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import Engine, select

from infobank.adapters.db import models as m
from infobank.adapters.db.engine import READ_ONLY
from infobank.adapters.db.repos.log import with_nodes
from infobank.domain.merkle import root
from infobank.domain.merkle_proofs import consistency_proof
from infobank.domain.tree_heads import rfc3339
from infobank.services.ports.log_source import LeafBatch, PublishedHead

__all__ = ["SqlAlchemyLogSource"]

_STATE = m.LogStateRow.metadata.tables["log_state"]

_HEADS = m.TreeHeadRow.metadata.tables["tree_heads"]

_PAGE = (
    "SELECT idx, leaf, leaf_hash FROM log_leaves WHERE idx >= ? AND idx < ? ORDER BY idx LIMIT ?"
)


class SqlAlchemyLogSource:
    def __init__(self, engine: Engine, *, page: int = 8192) -> None:
        # An audit only reads: it never waits for, nor holds up, the bank's writers.
        self.engine = engine.execution_options(**{READ_ONLY: True})
        self.page = page

    def size(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(_STATE.c.size).where(_STATE.c.id == 1)).scalar() or 0)

    def heads(self) -> list[PublishedHead]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(_HEADS).order_by(_HEADS.c.tree_size)).all()
        return [
            PublishedHead(row.tree_size, row.root_hash, rfc3339(row.timestamp), row.signature)
            for row in rows
        ]

    def batches(self, start: int, end: int) -> Iterator[LeafBatch]:
        position = start
        with self.engine.connect() as conn:
            mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
            sql = _PAGE.replace("?", mark)
            while position < end:
                # The driver's own rows, without per-value processing: a million leaves
                # read in about the time it takes to hash them.
                result = conn.exec_driver_sql(sql, (position, end, self.page))
                rows = result.cursor.fetchall() if result.cursor is not None else []
                result.close()
                conn.rollback()  # end the read transaction between pages
                if not rows:
                    return
                indexes, leaves, hashes = zip(*rows, strict=True)
                yield LeafBatch(
                    indexes,
                    [leaf.encode("utf-8") for leaf in leaves],
                    [bytes(hashed) for hashed in hashes],
                )
                position = indexes[-1] + 1

    def consistency(self, first: int, second: int) -> Sequence[bytes] | None:
        with self.engine.connect() as conn:
            try:
                return with_nodes(conn, lambda nodes: consistency_proof(first, second, nodes))
            except LookupError:
                return None

    def stored_root(self, size: int) -> bytes:
        with self.engine.connect() as conn:
            return with_nodes(conn, lambda nodes: root(size, nodes))
