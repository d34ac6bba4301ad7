"""The port for background jobs (the outbox the worker drains)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

__all__ = ["Jobs"]


class Jobs(Protocol):
    def enqueue(
        self, kind: str, dedupe_key: str, payload: dict[str, Any], at: datetime
    ) -> None: ...

    def lease_webhooks(
        self,
        at: datetime,
        until: datetime,
        limit: int,
        *,
        in_flight: Mapping[str, int] | None = None,
        per_recipient: int = 1_000_000,
    ) -> list[tuple[int, str, str]]:
        """Due webhook jobs as ``(job id, revocation id, recipient id)``, leased until
        ``until``; at most ``per_recipient`` per recipient, counting those ``in_flight``."""
        ...

    def done(self, job_id: int, at: datetime) -> None: ...

    def failed(self, job_id: int, error: str, retry_at: datetime) -> int: ...

    def attempts(self, job_id: int) -> int: ...

    def pending(self, kind: str | None = None) -> int: ...
