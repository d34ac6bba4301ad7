"""The port for usage targets and daily snapshots (利用状況)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Protocol

__all__ = ["UsageBook"]


class UsageBook(Protocol):
    def targets(self, months: Sequence[str]) -> dict[str, dict[str, int]]: ...

    def set_target(self, month: str, metric: str, value: int, at: datetime, by: str) -> None: ...

    def has_snapshot(self, day: date) -> bool: ...

    def add_snapshot(
        self, day: date, users: int, active_consents: int, deliveries_total: int, at: datetime
    ) -> bool:
        """Store the day's snapshot; False if another worker stored it first."""
        ...

    def snapshots(self, start: date, end: date) -> dict[date, tuple[int, int, int]]:
        """``day → (users, active_consents, deliveries_total)``."""
        ...

    def add_api_requests(self, counts: Mapping[date, int]) -> None: ...

    def api_requests(self, start: date, end: date) -> dict[date, int]: ...
