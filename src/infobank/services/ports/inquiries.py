"""The port for inquiries to the help desk (相談窓口)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from infobank.domain.inquiries import StoredInquiry, StoredInquiryMessage
from infobank.domain.pages import Page, PageRequest

__all__ = ["Inquiries"]


class Inquiries(Protocol):
    def add(self, inquiry: StoredInquiry) -> None: ...

    def get(self, inquiry_id: str, *, for_update: bool = False) -> StoredInquiry | None: ...

    def for_person(self, person_id: str) -> list[StoredInquiry]: ...

    def page(
        self,
        request: PageRequest,
        *,
        person_id: str | None = None,
        statuses: Sequence[str] = (),
        assigned_to: str | None = None,
    ) -> Page[StoredInquiry]: ...

    def find(
        self, statuses: Sequence[str] = (), limit: int = 200, assigned_to: str | None = None
    ) -> list[StoredInquiry]:
        """Oldest-updated first, so the desk answers whoever has waited longest."""
        ...

    def assign(self, inquiry_id: str, staff_id: str | None, at: datetime) -> None: ...

    def mark_first_reply(self, inquiry_id: str, at: datetime) -> None:
        """Record the desk's first answer (later answers leave it as it is)."""
        ...

    def set_status(self, inquiry_id: str, status: str, at: datetime) -> None: ...

    def add_message(self, message: StoredInquiryMessage) -> None: ...

    def messages(self, inquiry_ids: Sequence[str]) -> list[StoredInquiryMessage]: ...
