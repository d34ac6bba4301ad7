"""Web sessions (ログインセッション) of the pages: who is signed in, until when.

A session is named by a random token kept only in the browser's cookie; the bank stores its
SHA-256. Each session carries its own CSRF token (synchronizer token) that every form echoes.
A session ends at ``expires_at``, after ``idle`` without use, or when it is revoked (log-out,
account deletion).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from infobank.domain.identity import Principal

__all__ = ["WebSession"]


@dataclass(frozen=True, slots=True)
class WebSession:
    token_hash: str
    principal: Principal
    csrf_token: str
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime
    revoked_at: datetime | None = None

    def usable_at(self, at: datetime, idle: timedelta) -> bool:
        return self.revoked_at is None and at < self.expires_at and at < self.last_seen_at + idle
