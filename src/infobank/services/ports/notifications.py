"""The port for notifications shown to persons (お知らせ)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from infobank.domain.deliveries import Notification
from infobank.domain.pages import Page, PageRequest

__all__ = ["Notifications"]


class Notifications(Protocol):
    def add(self, person_id: str, kind: str, params: dict[str, Any], at: datetime) -> None: ...

    def for_person(self, person_id: str) -> list[Notification]: ...

    def page(self, person_id: str, request: PageRequest) -> Page[Notification]: ...
