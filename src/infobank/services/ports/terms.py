"""The port for the terms persons agree to (利用規約, model contract 対個人)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

__all__ = ["PublishedTerms", "TermsBook"]


@dataclass(frozen=True, slots=True)
class PublishedTerms:
    version: str
    text_ja: str
    text_en: str
    published_at: datetime
    published_by: str


class TermsBook(Protocol):
    def latest(self) -> PublishedTerms | None: ...

    def get(self, version: str) -> PublishedTerms | None: ...

    def add(self, terms: PublishedTerms) -> None: ...

    def tell_everyone(self, kind: str, params: dict[str, str], at: datetime) -> int:
        """A notification to every person with an account; returns how many."""
        ...
