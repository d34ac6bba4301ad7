"""The transparency log, public (SPEC §7): signed heads, entries, inclusion and consistency
proofs, RFC 9162 hashing. Hashes are standard base64 (RFC 4648 section 4, padded)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from infobank.domain.tree_heads import TreeHead, encode_hash
from infobank.entrypoints.api.deps import ContextDep
from infobank.services import log_entries, log_heads

router = APIRouter(tags=["transparency log"])

# Far beyond any real log, and inside a signed 64-bit integer column.
_MAX = 2**62
Index = Annotated[int, Query(ge=0, le=_MAX)]
Size = Annotated[int, Query(ge=1, le=_MAX)]


def head_public(head: TreeHead) -> dict[str, Any]:
    return head.public()


@router.get("/v1/log/head")
def head(ctx: ContextDep) -> dict[str, Any]:
    """The latest signed tree head {tree_size, root_hash, timestamp, signature}; a new one is
    signed first if the log grew since, so it covers every leaf committed before the request.
    `signature` is a JWS (key in /.well-known/jwks.json) over the canonical JSON of
    {root_hash, timestamp, tree_size}."""
    return head_public(log_heads.sign_head(ctx))


@router.get("/v1/log/heads")
def heads(
    ctx: ContextDep,
    start: Annotated[int, Query(ge=0, le=_MAX)] = 0,
    limit: Annotated[int, Query(ge=1, le=log_heads.MAX_PAGE)] = log_heads.MAX_PAGE,
) -> list[dict[str, Any]]:
    """Every signed tree head with tree_size >= start, smallest first (pages of up to 1000)."""
    return [head_public(h) for h in log_heads.heads(ctx, start, limit)]


def _entry(entry: log_entries.Entry) -> dict[str, Any]:
    return {"index": entry.index, "leaf": entry.leaf, "leaf_hash": encode_hash(entry.leaf_hash)}


@router.get("/v1/log/entries")
def entries(
    ctx: ContextDep,
    start: Index,
    end: Annotated[int, Query(ge=1, le=_MAX)],
) -> list[dict[str, Any]]:
    """Entries start <= index < end, at most 1000, cut at the log's size."""
    return [_entry(e) for e in log_entries.entries(ctx, start, end)]


@router.get("/v1/log/entries/{index}")
def entry(ctx: ContextDep, index: Annotated[int, Path(ge=0, le=_MAX)]) -> dict[str, Any]:
    """One entry: {index, leaf, leaf_hash}; `leaf` is the exact string hashed (UTF-8)."""
    return _entry(log_entries.entry(ctx, index))


@router.get("/v1/log/proof")
def proof(ctx: ContextDep, index: Index, tree_size: Size) -> dict[str, Any]:
    """The inclusion proof (audit path) of leaf `index` in the tree of `tree_size` leaves."""
    path = log_entries.inclusion(ctx, index, tree_size)
    return {"index": index, "tree_size": tree_size, "audit_path": [encode_hash(h) for h in path]}


@router.get("/v1/log/consistency")
def consistency(ctx: ContextDep, first: Size, second: Size) -> dict[str, Any]:
    """The consistency proof that the tree of `second` leaves extends that of `first`."""
    path = log_entries.consistency(ctx, first, second)
    return {"first": first, "second": second, "proof": [encode_hash(h) for h in path]}
