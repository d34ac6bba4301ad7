"""The port for background jobs (the outbox the worker drains)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

__all__ = ["Jobs"]


class Jobs(Protocol):
    def enqueue(
        self, kind: str, dedupe_key: str, payload: dict[str, Any], at: datetime
    ) -> None: ...

    def lease(
        self, at: datetime, until: datetime, limit: int
    ) -> list[tuple[int, str, dict[str, Any]]]: ...

    def done(self, job_id: int, at: datetime) -> None: ...

    def failed(self, job_id: int, error: str, retry_at: datetime) -> int: ...

    def attempts(self, job_id: int) -> int: ...

    def pending(self, kind: str | None = None) -> int: ...
