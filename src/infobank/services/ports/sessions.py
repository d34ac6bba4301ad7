"""The port for web sessions (the pages' logins)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from infobank.domain.identity import PrincipalKind
from infobank.domain.sessions import WebSession

__all__ = ["WebSessions"]


class WebSessions(Protocol):
    def add(self, web: WebSession) -> None: ...

    def get(self, token_hash: str) -> WebSession | None: ...

    def touch(self, token_hash: str, at: datetime) -> None: ...

    def revoke(self, token_hash: str, at: datetime) -> None: ...

    def revoke_for(self, kind: PrincipalKind, subject_id: str, at: datetime) -> None: ...
