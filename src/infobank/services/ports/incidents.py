"""The port for incidents (漏えい等事案) and the persons they affect."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from infobank.domain.incidents import Incident
from infobank.domain.pages import Page, PageRequest

__all__ = ["IncidentBook"]


class IncidentBook(Protocol):
    def add(self, incident: Incident, person_ids: Sequence[str]) -> None: ...

    def get(self, incident_id: str, *, for_update: bool = False) -> Incident | None: ...

    def list(self) -> list[Incident]: ...

    def page(self, request: PageRequest) -> Page[Incident]: ...

    def set_report(self, incident_id: str, status: str, stage: str, at: datetime) -> None: ...

    def received_from(
        self, recipient_id: str, categories: Sequence[str], start: datetime, end: datetime
    ) -> dict[str, bool]:
        """Persons whose packages with any of ``categories`` this recipient fetched or
        acknowledged between ``start`` and ``end`` (one query), each with whether their
        account is still open."""
        ...

    def holding(self, categories: Sequence[str], end: datetime) -> dict[str, bool]:
        """Persons holding records of any of ``categories`` entrusted before ``end``, each with
        whether their account is still open."""
        ...
