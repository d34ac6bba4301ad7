"""Signed tree heads (STH) of the transparency log: made on demand and on a schedule.

A head commits the bank to the first ``tree_size`` leaves: their root hash, when, and an
Ed25519 signature over the canonical JSON of both (see ``infobank.domain.tree_heads``). The
root comes from the stored complete nodes — O(log n) reads, never the whole tree.

There is at most one head per tree size (the first one signed stands), so the heads grow only
as fast as the log does. A new head is made

- by the worker, when the log grew and the latest head is older than
  ``log_head_interval_s`` (``sign_if_due``);
- by ``GET /v1/log/head`` and by an operator's ``POST /v1/admin/log/heads`` when the log grew
  since the latest head, so a reader always gets a head covering every leaf committed before
  the request (``sign_head``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from infobank.domain.errors import Conflict
from infobank.domain.merkle import root
from infobank.domain.tree_heads import TreeHead, head_time
from infobank.services.context import Context
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = ["HEAD_TYP", "heads", "latest", "sign_head", "sign_if_due"]

HEAD_TYP = "infobank-tree-head+jwt"
MAX_PAGE = 1000


def _sign(ctx: Context, uow: UnitOfWork, size: int, latest: TreeHead | None) -> TreeHead:
    if latest is not None and latest.tree_size > size:
        raise Conflict(
            f"the log holds {size} leaves but a head was signed at {latest.tree_size}",
            code="log_shrank",
        )
    at = head_time(ctx.clock.now())
    if latest is not None and at < latest.timestamp:  # a clock step back never reorders heads
        at = latest.timestamp
    unsigned = TreeHead(size, uow.log.with_nodes(lambda nodes: root(size, nodes)), at)
    signed = replace(unsigned, signature=ctx.signer.sign(unsigned.payload(), typ=HEAD_TYP))
    stored = uow.log.add_head(signed)
    uow.commit()
    return stored


def sign_head(ctx: Context) -> TreeHead:
    """A head covering every leaf committed before the call: the latest head if the log has
    not grown since, else a new one."""
    with ctx.uow() as uow:
        size = uow.log.size()
        latest = uow.log.latest_head()
        if latest is not None and latest.tree_size == size:
            return latest
        return _sign(ctx, uow, size, latest)


def latest(ctx: Context) -> TreeHead | None:
    """The latest signed head, without making one."""
    with ctx.read() as uow:
        return uow.log.latest_head()


def sign_if_due(ctx: Context, interval: timedelta) -> TreeHead | None:
    """The worker's step: a new head if the log grew and the latest is older than ``interval``."""
    with ctx.uow() as uow:
        size = uow.log.size()
        last = uow.log.latest_head()
        if size == 0 or (last is not None and last.tree_size == size):
            return None
        if last is not None and ctx.clock.now() - last.timestamp < interval:
            return None
        return _sign(ctx, uow, size, last)


def heads(ctx: Context, start: int = 0, limit: int = MAX_PAGE) -> Sequence[TreeHead]:
    """Signed heads with ``tree_size >= start``, smallest first, at most ``limit``."""
    with ctx.read() as uow:
        return uow.log.heads(start, max(1, min(limit, MAX_PAGE)))
