"""Idempotency keys on POSTs: a repeated request with the same ``Idempotency-Key`` gets the
first response again instead of acting twice (a second offer, a second acknowledgement).

    begin ─► new key: reserved (in progress) ─► request runs ─► finish: response stored
          ├► same key, same request, done: the stored response is replayed
          ├► same key, same request, still running: 409 idempotency_in_progress
          └► same key, different request: 422 idempotency_key_reused

A reservation whose request failed (5xx or a crash) is released, or taken over once its lease
lapses, so a retry runs again. Keys are kept for ``RETENTION`` and then purged by the worker.
"""

from __future__ import annotations

from datetime import timedelta

from infobank.domain.errors import Conflict, InvalidInput
from infobank.services.context import Context
from infobank.services.ports.idempotency import StoredResponse

__all__ = ["LEASE", "RETENTION", "begin", "finish", "purge", "release", "valid_key"]

LEASE = timedelta(seconds=60)
RETENTION = timedelta(hours=24)
_MAX_KEY = 255


def valid_key(key: str) -> bool:
    """1 to 255 visible ASCII characters (a UUID is the usual choice)."""
    return 0 < len(key) <= _MAX_KEY and all(33 <= ord(ch) <= 126 for ch in key)


def begin(ctx: Context, principal: str, key: str, request_hash: str) -> StoredResponse | None:
    """Reserve ``key`` for this request; returns the stored response to replay, or None when
    the caller should run the request (and then call ``finish`` or ``release``)."""
    if not valid_key(key):
        raise InvalidInput(
            "Idempotency-Key must be 1 to 255 visible ASCII characters",
            code="invalid_idempotency_key",
        )
    now = ctx.clock.now()
    with ctx.uow() as uow:
        if uow.idempotency.reserve(principal, key, request_hash, now):
            uow.commit()
            return None
        found = uow.idempotency.get(principal, key, for_update=True)
        if found is None:  # purged between the two statements: treat as in progress
            raise Conflict(
                "a request with this Idempotency-Key is in progress; retry shortly",
                code="idempotency_in_progress",
            )
        if found.request_hash != request_hash:
            raise InvalidInput(
                "this Idempotency-Key was used for a different request",
                code="idempotency_key_reused",
            )
        if found.status != 0:
            return found
        if found.created_at > now - LEASE:
            raise Conflict(
                "a request with this Idempotency-Key is in progress; retry shortly",
                code="idempotency_in_progress",
            )
        uow.idempotency.renew(principal, key, now)  # the first attempt died: take it over
        uow.commit()
    return None


def finish(ctx: Context, principal: str, key: str, status: int, body: bytes) -> None:
    with ctx.uow() as uow:
        uow.idempotency.complete(principal, key, status, body)
        uow.commit()


def release(ctx: Context, principal: str, key: str) -> None:
    with ctx.uow() as uow:
        uow.idempotency.release(principal, key)
        uow.commit()


def purge(ctx: Context) -> int:
    with ctx.uow() as uow:
        purged = uow.idempotency.purge(ctx.clock.now() - RETENTION)
        if purged:
            uow.commit()
    return purged
