"""Leaves for the transparency log: what happened, to which consent or delivery, when — with
the person only as a keyed pseudonym and payloads only as digests (no personal data)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from typing import Any

from infobank.services.context import Context
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = ["append", "log_pseudonym"]


def log_pseudonym(ctx: Context, uow: UnitOfWork, person_id: str) -> str:
    """HMAC of the person id under a key derived from the person's own data key: the person
    (who is shown it) can recompute it; after crypto-shredding no one can link it again."""
    wrapped = uow.persons.wrapped_key(person_id)
    if wrapped is None:
        return "erased"
    key = ctx.data_keys.derive(wrapped, person_id, "transparency-log-pseudonym")
    digest = hmac.new(key, person_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def append(
    ctx: Context, uow: UnitOfWork, event: str, at: datetime, *, person_id: str | None, **fields: Any
) -> int:
    leaf: dict[str, Any] = {"event": event, "at": at.isoformat().replace("+00:00", "Z"), **fields}
    if person_id is not None:
        leaf["person"] = log_pseudonym(ctx, uow, person_id)
    return uow.log.append(leaf, at)
