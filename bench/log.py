"""What the transparency log costs, against the floor of the same work done plainly.

    append   SqlAlchemyLog.append, one leaf per transaction, on a SQLite file: size bump, left
             siblings, leaf row, new complete nodes
    insert   the same leaf rows inserted plainly into a table like it, one per transaction
    verify   services.log_verify.verify over ``leaves`` leaves held in memory: every leaf
             hashed and compared, the tree rebuilt, ten signed heads checked (signature, root,
             consistency with the one before)
    sha256   SHA-256 of the same leaves, nothing else
    proof    an inclusion proof at ``leaves`` leaves from a SQLite file, as the API builds it
    verify_db  ``verify`` end to end from that file (reading the rows included), for reference

Ratios: ``append_vs_insert`` = appends/s ÷ inserts/s (goal ≥ 0.5), ``verify_vs_sha256`` =
verify time ÷ hashing time (goal ≤ 3). Times are ``time.perf_counter``; appends and inserts
run in alternating blocks and the best block of each counts. The ``*_1m_s`` keys hold the
figures at ``--leaves`` (1,000,000 by default).

    python -m bench.log [--leaves N] [--appends N] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sqlite3
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from joserfc.jwk import OKPKey
from sqlalchemy import insert

from infobank.adapters.crypto.signer import JoseSigner, JwksVerifier
from infobank.adapters.db import models as m
from infobank.adapters.db.engine import make_engine, make_session_factory
from infobank.adapters.db.migrate import upgrade
from infobank.adapters.db.repos.log import SqlAlchemyLog
from infobank.adapters.db.repos.log_source import SqlAlchemyLogSource
from infobank.domain.merkle import canonical_json, leaf_hash, root_from_leaf_hashes
from infobank.domain.merkle_proofs import consistency_proof, inclusion_proof
from infobank.domain.tree_heads import TreeHead
from infobank.services.log_heads import HEAD_TYP
from infobank.services.log_verify import verify
from infobank.services.ports.log_source import LeafBatch, PublishedHead

__all__ = ["log_figures"]

AT = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
_LEAVES = m.LogLeafRow.metadata.tables["log_leaves"]


def leaf(i: int) -> dict[str, object]:
    """A leaf shaped like a real one (a delivery built), about 330 bytes."""
    return {
        "event": "delivery.built",
        "at": "2026-11-26T09:00:00Z",
        "person": hashlib.sha256(b"p%d" % (i % 5000)).hexdigest()[:43],
        "consent": f"c0a8f5d2-0000-4000-8000-{i:012d}",
        "delivery": f"d0a8f5d2-0000-4000-8000-{i:012d}",
        "recipient": "r0a8f5d2-0000-4000-8000-000000000001",
        "payload_sha256": hashlib.sha256(b"%d" % i).hexdigest(),
        "records": 3,
    }


def _fresh(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def append_figures(count: int, blocks: int = 10) -> dict[str, float]:
    """Appends and plain inserts per second, one row per transaction.

    Each runs ``count`` rows in ``blocks`` blocks, alternating with the other, and the best
    block of each counts: both then ran in the quietest moments the machine had. A few rows
    of each go first, untimed, so statements are compiled and caches warm.
    """
    leaves = [leaf(i) for i in range(count + 20)]
    with tempfile.TemporaryDirectory(prefix="infobank-bench-") as tmp:
        logged = make_session_factory(make_engine(_fresh(Path(tmp) / "log.db")))
        plain = make_session_factory(make_engine(_fresh(Path(tmp) / "plain.db")))

        def append(first: int, last: int) -> float:
            start = time.perf_counter()
            for item in leaves[first:last]:
                with logged() as session:
                    SqlAlchemyLog(session).append(item, AT)
                    session.commit()
            return (time.perf_counter() - start) / (last - first)

        def insert_plainly(first: int, last: int) -> float:
            start = time.perf_counter()
            for n in range(first, last):
                raw = canonical_json(leaves[n])
                row = {
                    "idx": n,
                    "leaf": raw.decode(),
                    "leaf_hash": leaf_hash(raw),
                    "created_at": AT,
                }
                with plain() as session:
                    session.connection().execute(insert(_LEAVES), row)
                    session.commit()
            return (time.perf_counter() - start) / (last - first)

        append(0, 20)
        insert_plainly(0, 20)
        size = max(1, count // blocks)
        bounds = [(n, min(n + size, count + 20)) for n in range(20, count + 20, size)]
        timed = [(append(first, last), insert_plainly(first, last)) for first, last in bounds]
        best_append = min(a for a, _ in timed)
        best_insert = min(i for _, i in timed)
    appends, inserts = 1 / best_append, 1 / best_insert
    return {
        "appends_per_s": appends,
        "inserts_per_s": inserts,
        "append_vs_insert": appends / inserts,
    }


class _Levels:
    """Every complete node of a log, one list per level (a NodeReader)."""

    def __init__(self, hashes: list[bytes]) -> None:
        sha = hashlib.sha256
        self.levels = [hashes]
        while len(self.levels[-1]) > 1:
            below = self.levels[-1]
            it = iter(below)
            self.levels.append(
                [sha(b"\x01" + a + b).digest() for a, b in zip(it, it, strict=False)]
            )

    def node(self, level: int, index: int) -> bytes:
        return self.levels[level][index]


class _MemorySource:
    """A log held in memory: rows as a database would hand them over, heads, nodes."""

    def __init__(
        self, leaves: list[bytes], hashes: list[bytes], heads: list[PublishedHead], nodes: _Levels
    ) -> None:
        self.leaves, self.hashes, self.published, self.nodes = leaves, hashes, heads, nodes

    def size(self) -> int:
        return len(self.leaves)

    def heads(self) -> list[PublishedHead]:
        return self.published

    def batches(self, start: int, end: int) -> Iterator[LeafBatch]:
        for i in range(start, end, 8192):
            j = min(end, i + 8192)
            yield LeafBatch(range(i, j), self.leaves[i:j], self.hashes[i:j])

    def consistency(self, first: int, second: int) -> Sequence[bytes]:
        return consistency_proof(first, second, self.nodes)

    def stored_root(self, size: int) -> None:  # noqa: ARG002 - heads cover the whole log
        return None


def _heads(hashes: list[bytes], signer: JoseSigner) -> list[PublishedHead]:
    n = len(hashes)
    sizes = sorted({max(1, n * k // 10) for k in range(1, 11)})
    heads = []
    for k, size in enumerate(sizes):
        head = TreeHead(size, root_from_leaf_hashes(hashes[:size]), AT + timedelta(minutes=k))
        claims = head.claims()
        signature = signer.sign(head.payload(), typ=HEAD_TYP)
        heads.append(PublishedHead(size, claims["root_hash"], claims["timestamp"], signature))
    return heads


def _store(path: Path, leaves: list[bytes], nodes: _Levels, heads: list[PublishedHead]) -> str:
    """Write the log to a SQLite file in bulk, as appends would have left it."""
    url = _fresh(path)
    created = AT.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    db = sqlite3.connect(path)
    with db:
        db.executemany(
            "INSERT INTO log_leaves (idx, leaf, leaf_hash, created_at) VALUES (?, ?, ?, ?)",
            (
                (i, raw.decode(), h, created)
                for i, (raw, h) in enumerate(zip(leaves, nodes.levels[0], strict=True))
            ),
        )
        db.executemany(
            "INSERT INTO log_nodes (level, idx, hash) VALUES (?, ?, ?)",
            ((lv, i, h) for lv, row in enumerate(nodes.levels) for i, h in enumerate(row)),
        )
        db.execute("UPDATE log_state SET size = ? WHERE id = 1", (len(leaves),))
        db.executemany(
            "INSERT INTO tree_heads (tree_size, root_hash, timestamp, signature) "
            "VALUES (?, ?, ?, ?)",
            (
                (
                    h.tree_size,
                    h.root_hash,
                    datetime.fromisoformat(h.timestamp).replace(tzinfo=None).isoformat(sep=" "),
                    h.signature,
                )
                for h in heads
            ),
        )
    db.close()
    return url


def verify_figures(count: int, proofs: int = 200) -> dict[str, float]:
    """Verify ``count`` leaves beside hashing them; an inclusion proof from a file that size."""
    leaves = [canonical_json(leaf(i)) for i in range(count)]
    sha = hashlib.sha256
    start = time.perf_counter()
    digests = [sha(raw).digest() for raw in leaves]
    sha256_s = time.perf_counter() - start
    assert len(digests) == count

    hashes = [leaf_hash(raw) for raw in leaves]
    nodes = _Levels(hashes)
    signer = JoseSigner(OKPKey.generate_key("Ed25519", private=True, auto_kid=True))
    heads = _heads(hashes, signer)
    keys = JwksVerifier(signer.jwks())
    source = _MemorySource(leaves, hashes, heads, nodes)
    start = time.perf_counter()
    report = verify(source, keys.verify)
    verify_s = time.perf_counter() - start
    if not report.ok or report.leaves_checked != count:
        raise RuntimeError(f"the benchmark log does not verify: {report.problems}")

    with tempfile.TemporaryDirectory(prefix="infobank-bench-") as tmp:
        url = _store(Path(tmp) / "log.db", leaves, nodes, heads)
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        rng = random.Random(9162)
        start = time.perf_counter()
        for _ in range(proofs):
            index = rng.randrange(count)
            with sessions() as session:
                path = SqlAlchemyLog(session).with_nodes(
                    lambda reader, i=index: inclusion_proof(i, count, reader)
                )
            assert path == inclusion_proof(index, count, nodes)
        proof_ms = (time.perf_counter() - start) / proofs * 1000
        start = time.perf_counter()
        from_db = verify(SqlAlchemyLogSource(engine), keys.verify)
        verify_db_s = time.perf_counter() - start
        engine.dispose()
        if not from_db.ok:
            raise RuntimeError(f"the stored benchmark log does not verify: {from_db.problems}")
    return {
        "verify_1m_s": verify_s,
        "sha256_1m_s": sha256_s,
        "verify_vs_sha256": verify_s / sha256_s,
        "proof_ms": proof_ms,
        "verify_db_1m_s": verify_db_s,
        "leaves": float(count),
        "leaf_bytes": sum(map(len, leaves)) / count,
    }


def log_figures(leaves: int = 1_000_000, appends: int = 3000) -> dict[str, float]:
    return {**append_figures(appends), **verify_figures(leaves)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--leaves", type=int, default=1_000_000, help="log size to verify")
    parser.add_argument("--appends", type=int, default=3000, help="appends (and inserts)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    figures = log_figures(args.leaves, args.appends)
    if args.json:
        print(json.dumps(figures))
        return
    for name, value in figures.items():
        print(f"{name:>18}  {value:14.3f}")


if __name__ == "__main__":
    main()
