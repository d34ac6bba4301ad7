"""Ports for deliveries (提供): packages, recipients' keys and webhooks, and revocations
(提供停止) with their signed notices."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from infobank.domain.deliveries import Delivery, Revocation
from infobank.domain.pages import Page, PageRequest

__all__ = ["Deliveries", "RecipientEndpoints", "Revocations"]


class Deliveries(Protocol):
    def add(self, d: Delivery) -> None: ...

    def next_sequence(self, consent_id: str) -> int: ...

    def get(self, delivery_id: str, *, for_update: bool = False) -> Delivery | None: ...

    def for_recipient(
        self, recipient_id: str, status: str | None, request: PageRequest
    ) -> Page[Delivery]: ...

    def for_consent(self, consent_id: str) -> list[Delivery]: ...

    def delivered_records(self, consent_id: str) -> set[str]:
        """The ids of the records this consent's packages already carried."""
        ...

    def record_delivered(
        self, consent_id: str, delivery_id: str, record_ids: list[str]
    ) -> None: ...

    def count_fetch(
        self, delivery_id: str, *, first_at: datetime | None = None, log_index: int | None = None
    ) -> None:
        """One more download; with ``first_at`` also mark it fetched (one UPDATE)."""
        ...

    def mark(self, delivery_id: str, status: str, at: datetime, log_index: int) -> None: ...

    def withdraw_for_consent(self, consent_id: str, at: datetime) -> list[str]: ...


class RecipientEndpoints(Protocol):
    def jwk(self, recipient_id: str) -> dict[str, Any] | None: ...

    def webhook(self, recipient_id: str) -> str | None: ...

    def set(self, recipient_id: str, at: datetime, **values: Any) -> None: ...


class Revocations(Protocol):
    def add(self, r: Revocation) -> None: ...

    def get(self, revocation_id: str) -> Revocation | None: ...

    def for_consent(self, consent_id: str) -> Revocation | None: ...

    def for_recipient(self, recipient_id: str, request: PageRequest) -> Page[Revocation]: ...

    def acknowledge(self, revocation_id: str, method: str, at: datetime) -> None: ...

    def webhook_delivered(self, revocation_id: str, at: datetime) -> None: ...
