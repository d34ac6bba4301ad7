"""Ports for entrusted records (預託データ) and the links that let a source send them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from infobank.domain.pages import Page, PageRequest
from infobank.domain.records import LinkCode, SourceLink, StoredRecord

__all__ = ["Records", "SourceLinks"]


class Records(Protocol):
    def add(self, record: StoredRecord) -> None: ...

    def get(self, person_id: str, record_id: str) -> StoredRecord | None:
        """Only the owner's record: another person's id answers None, as if absent."""
        ...

    def list(self, person_id: str, category: str | None = None) -> Sequence[StoredRecord]: ...

    def page(
        self, person_id: str, request: PageRequest, category: str | None = None
    ) -> Page[StoredRecord]: ...

    def categories_held(self, person_id: str) -> set[str]: ...


class SourceLinks(Protocol):
    def add_code(self, code: LinkCode) -> None: ...

    def take_code(self, code_hash: str, source_id: str, at: datetime) -> LinkCode | None:
        """Mark a code used and return it, if it exists, is this source's and is unused."""
        ...

    def add(self, link: SourceLink) -> None: ...

    def for_person(self, person_id: str, source_id: str) -> SourceLink | None: ...

    def by_refs(self, source_id: str, person_refs: Sequence[str]) -> dict[str, SourceLink]: ...

    def list_for_person(self, person_id: str) -> Sequence[SourceLink]: ...
