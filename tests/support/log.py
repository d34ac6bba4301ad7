"""Building a transparency log in the database, and tampering with it as someone with write
access to the tables could, for tests."""

from __future__ import annotations

import hashlib

from sqlalchemy import Engine, text

from infobank.bootstrap import Bank
from infobank.domain.merkle import canonical_json
from infobank.services import log_heads

FORGED = canonical_json({"event": "test.leaf", "n": -1})


def leaf(n: int) -> dict[str, object]:
    return {"event": "test.leaf", "n": n}


def append(bank: Bank, count: int) -> list[bytes]:
    """Append ``count`` leaves in one transaction; returns every leaf of the log so far."""
    ctx = bank.context
    with ctx.uow() as uow:
        start = uow.log.size()
        for n in range(start, start + count):
            uow.log.append(leaf(n), ctx.clock.now())
        uow.commit()
        size = uow.log.size()
    return [canonical_json(leaf(n)) for n in range(size)]


def grow(bank: Bank, head_sizes: list[int], final: int) -> list[bytes]:
    """A log of ``final`` leaves with a signed head at each of ``head_sizes``."""
    leaves: list[bytes] = []
    for size in [*head_sizes, final]:
        leaves = append(bank, size - len(leaves))
        if size in head_sizes:
            log_heads.sign_head(bank.context)
    return leaves


def sql(engine: Engine, *statements: str, **params: object) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement), params)


def change(engine: Engine, index: int, *, rehash: bool) -> None:
    """Rewrite a leaf's text; with ``rehash`` its stored hash too, so the row looks whole."""
    if rehash:
        digest = hashlib.sha256(b"\x00" + FORGED).digest()
        sql(
            engine,
            "UPDATE log_leaves SET leaf = :leaf, leaf_hash = :digest WHERE idx = :i",
            leaf=FORGED.decode(),
            digest=digest,
            i=index,
        )
    else:
        sql(
            engine,
            "UPDATE log_leaves SET leaf = :leaf WHERE idx = :i",
            leaf=FORGED.decode(),
            i=index,
        )


def delete(engine: Engine, index: int) -> None:
    sql(engine, "DELETE FROM log_leaves WHERE idx = :i", i=index)


def swap(engine: Engine, a: int, b: int) -> None:
    sql(
        engine,
        "UPDATE log_leaves SET idx = -1 WHERE idx = :a",
        "UPDATE log_leaves SET idx = :a WHERE idx = :b",
        "UPDATE log_leaves SET idx = :b WHERE idx = -1",
        a=a,
        b=b,
    )


def cut_out(engine: Engine, index: int) -> None:
    """Remove a leaf and close the gap: later leaves move down one, the size shrinks."""
    sql(
        engine,
        "DELETE FROM log_leaves WHERE idx = :i",
        "UPDATE log_leaves SET idx = -idx - 10 WHERE idx > :i",
        "UPDATE log_leaves SET idx = -idx - 11 WHERE idx < -1",
        "UPDATE log_state SET size = size - 1",
        i=index,
    )


def truncate(engine: Engine, keep: int) -> None:
    """Drop every leaf from ``keep`` on and record the smaller size."""
    sql(
        engine,
        "DELETE FROM log_leaves WHERE idx >= :keep",
        "UPDATE log_state SET size = :keep",
        keep=keep,
    )
