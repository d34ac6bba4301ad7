"""Tiny fakes for unit tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class FakeClock:
    """A clock that stands still until moved."""

    def __init__(self, at: datetime | None = None) -> None:
        self.at = at or datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> datetime:
        self.at += timedelta(**delta)
        return self.at


class RecordingWebhooks:
    """A recipient's webhook endpoint that is always up and keeps every notice it got."""

    def __init__(self) -> None:
        self.received: list[str] = []

    def post(self, url: str, body: str) -> int:
        self.received.append(body)
        return 204


class OfflineWebhooks:
    """No webhook endpoint answers: every notice waits in the job queue for a retry."""

    def post(self, url: str, body: str) -> int:
        raise ConnectionError(f"{url} is not answering")
