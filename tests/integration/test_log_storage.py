"""The log's storage keeps the RFC 9162 tree exact however appends arrive: several in one
transaction, rolled back ones, savepoints, concurrent writers, one engine or two."""

from __future__ import annotations

import threading

from sqlalchemy import select

from infobank.adapters.db import models as t
from infobank.adapters.db.repos.log import with_nodes
from infobank.bootstrap import Bank, bootstrap
from infobank.domain.merkle import MemoryNodes, canonical_json, root
from infobank.domain.merkle_proofs import inclusion_proof
from tests.support import log
from tests.support import rfc9162 as ref


def stored(bank: Bank) -> tuple[list[bytes], dict[tuple[int, int], bytes]]:
    with bank.engine.connect() as conn:
        leaves = [
            row.leaf.encode()
            for row in conn.execute(select(t.LogLeafRow).order_by(t.LogLeafRow.idx))
        ]
        nodes = {(r.level, r.idx): r.hash for r in conn.execute(select(t.LogNodeRow))}
    return leaves, nodes


def assert_exact(bank: Bank) -> list[bytes]:
    """Every stored node is the one an in-memory log of the stored leaves has, and no more."""
    leaves, nodes = stored(bank)
    memory = MemoryNodes.from_leaves(leaves)
    expected = {
        (level, index): memory.node(level, index)
        for level in range(max(1, len(leaves).bit_length()))
        for index in range(len(leaves) >> level)
    }
    assert nodes == expected
    with bank.context.uow() as uow:
        assert uow.log.size() == len(leaves)
        assert uow.log.with_nodes(lambda r: root(len(leaves), r)) == ref.mth(leaves)
    return leaves


def test_appends_in_one_transaction_and_rolled_back_ones_leave_an_exact_tree(bank: Bank) -> None:
    ctx = bank.context
    log.append(bank, 5)
    with ctx.uow() as uow:  # rolled back: leaves 5..7 never happened
        for n in range(3):
            uow.log.append({"event": "rolled.back", "n": n}, ctx.clock.now())
    log.append(bank, 4)
    with ctx.uow() as uow, uow.session.begin_nested() as savepoint:  # type: ignore[attr-defined]
        uow.log.append({"event": "savepoint", "n": 0}, ctx.clock.now())
        savepoint.rollback()
    log.append(bank, 6)
    leaves = assert_exact(bank)
    assert len(leaves) == 15
    assert all(b"rolled.back" not in leaf and b"savepoint" not in leaf for leaf in leaves)


def test_two_banks_on_one_database_take_turns_without_breaking_the_tree(bank: Bank) -> None:
    other = bootstrap(bank.settings, clock=bank.context.clock)
    try:
        for n in range(12):
            writer = bank if n % 3 else other
            log.append(writer, 1 + n % 2)
        assert_exact(bank)
    finally:
        other.close()


def test_concurrent_writers_get_consecutive_indexes_and_one_tree(bank: Bank) -> None:
    ctx = bank.context
    errors: list[BaseException] = []

    def write(name: str) -> None:
        try:
            for n in range(15):
                with ctx.uow() as uow:
                    uow.log.append({"event": "concurrent", "writer": name, "n": n}, ctx.clock.now())
                    uow.commit()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(name,)) for name in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    leaves = assert_exact(bank)
    assert len(leaves) == 30
    size = len(leaves)
    with bank.engine.connect() as conn:
        for index in (0, 13, size - 1):
            path = with_nodes(conn, lambda r, i=index: inclusion_proof(i, size, r))
            assert ref.verify_inclusion(
                ref.hash_leaf(leaves[index]), index, size, path, ref.mth(leaves)
            )


def test_a_leaf_is_stored_as_its_canonical_json(bank: Bank) -> None:
    ctx = bank.context
    with ctx.uow() as uow:
        index = uow.log.append({"z": 1, "a": "同意", "m": [1, 2]}, ctx.clock.now())
        uow.commit()
    with ctx.uow() as uow:
        [(idx, leaf, hashed)] = uow.log.entries(index, index + 1)
    assert leaf.encode() == canonical_json({"a": "同意", "m": [1, 2], "z": 1})
    assert leaf == '{"a":"同意","m":[1,2],"z":1}'
    assert hashed == ref.hash_leaf(leaf.encode())
