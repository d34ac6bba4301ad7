"""Reading the transparency log: entries, inclusion proofs and consistency proofs (SPEC §7).

Proofs are built from the stored complete nodes (O(log n) of them, fetched in one query), for
any tree size the log has reached. Bad requests are ``InvalidInput`` (422), an index the log
does not hold is ``NotFound`` (404); nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from infobank.domain.errors import InvalidInput, NotFound
from infobank.domain.merkle_proofs import consistency_proof, inclusion_proof
from infobank.services.context import Context

__all__ = ["MAX_PAGE", "Entry", "consistency", "entries", "entry", "inclusion"]

MAX_PAGE = 1000


@dataclass(frozen=True, slots=True)
class Entry:
    index: int
    leaf: str  # the exact string whose UTF-8 bytes were hashed
    leaf_hash: bytes


def entry(ctx: Context, index: int) -> Entry:
    with ctx.read() as uow:
        found = uow.log.entries(index, index + 1) if index < uow.log.size() else []
    if not found:
        raise NotFound(f"the log holds no entry {index}", code="log_entry_not_found")
    idx, leaf, hashed = found[0]
    return Entry(idx, leaf, hashed)


def entries(ctx: Context, start: int, end: int) -> list[Entry]:
    """Entries ``start <= index < end`` (at most ``MAX_PAGE``; ``end`` is cut to the size)."""
    if end <= start:
        raise InvalidInput("end must be greater than start", code="log_range_invalid")
    with ctx.read() as uow:
        end = min(end, start + MAX_PAGE, uow.log.size())
        rows = uow.log.entries(start, end) if start < end else []
    return [Entry(idx, leaf, hashed) for idx, leaf, hashed in rows]


def inclusion(ctx: Context, index: int, tree_size: int) -> list[bytes]:
    """The audit path of leaf ``index`` in the tree of the first ``tree_size`` leaves."""
    with ctx.read() as uow:
        size = uow.log.size()
        if not 0 < tree_size <= size:
            raise InvalidInput(
                f"tree_size must be between 1 and the log's size {size}", code="tree_size_invalid"
            )
        if not 0 <= index < tree_size:
            raise InvalidInput(
                f"index must be below tree_size {tree_size}", code="log_index_invalid"
            )
        return uow.log.with_nodes(lambda nodes: inclusion_proof(index, tree_size, nodes))


def consistency(ctx: Context, first: int, second: int) -> list[bytes]:
    """PROOF(first, D[0:second]): the tree of ``second`` leaves extends that of ``first``."""
    with ctx.read() as uow:
        size = uow.log.size()
        if not 0 < second <= size:
            raise InvalidInput(
                f"second must be between 1 and the log's size {size}", code="tree_size_invalid"
            )
        if not 0 < first <= second:
            raise InvalidInput("first must be between 1 and second", code="tree_size_invalid")
        return uow.log.with_nodes(lambda nodes: consistency_proof(first, second, nodes))
