"""The port for idempotency keys on business POSTs."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple, Protocol

__all__ = ["Idempotency", "StoredResponse"]


class StoredResponse(NamedTuple):
    """What an Idempotency-Key holds: the request's digest and, once done, its response."""

    request_hash: str
    status: int  # 0 while the first request is still running
    body: bytes
    created_at: datetime


class Idempotency(Protocol):
    def get(
        self, principal: str, key: str, *, for_update: bool = False
    ) -> StoredResponse | None: ...

    def reserve(self, principal: str, key: str, request_hash: str, at: datetime) -> bool: ...

    def renew(self, principal: str, key: str, at: datetime) -> None: ...

    def complete(self, principal: str, key: str, status: int, body: bytes) -> None: ...

    def release(self, principal: str, key: str) -> None: ...

    def purge(self, before: datetime) -> int: ...
