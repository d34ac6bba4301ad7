"""The port for counts across the bank, for gauges and the compliance report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

__all__ = ["CertificateDue", "Statistics"]


@dataclass(frozen=True, slots=True)
class CertificateDue:
    recipient_id: str
    recipient: str
    kind: str
    number: str
    valid_until: date


class Statistics(Protocol):
    """Counts drawn straight from the tables, for metrics, usage and the evidence pack."""

    def count(self, table: str, **equal: Any) -> int: ...

    def by(self, table: str, column: str) -> dict[str, int]: ...

    def count_before(self, table: str, column: str, before: datetime, **equal: Any) -> int:
        """Rows whose ``column`` is earlier than ``before`` (and matching ``equal``)."""
        ...

    def live_persons(self) -> int: ...

    def webhook_retries(self) -> int: ...

    def latest(self, table: str, column: str) -> datetime | None: ...

    def certificates_due(self, today: date, until: date) -> list[CertificateDue]: ...

    def uncertified_recipients(self, today: date) -> int: ...

    def waiting_inquiries(self) -> list[tuple[str, datetime]]:
        """``(id, created_at)`` of inquiries not closed that have no first reply yet."""
        ...

    def persons_on_terms(self, version: str) -> int: ...
