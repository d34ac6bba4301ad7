"""Deliveries (提供), revocation notices (提供停止) and the person's inbox entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["Delivery", "Invitation", "Notification", "Revocation"]


@dataclass(frozen=True, slots=True)
class Delivery:
    """One sealed package. ``jwe`` is gone once the package is withdrawn."""

    id: str
    consent_id: str
    recipient_id: str
    person_id: str
    sequence: int
    status: str  # ready | fetched | acknowledged | withdrawn
    jwe: str | None
    digest: str
    record_count: int
    categories: tuple[str, ...]
    created_at: datetime
    fetched_at: datetime | None = None
    acknowledged_at: datetime | None = None
    withdrawn_at: datetime | None = None
    log_index: int | None = None
    fetch_count: int = 0


@dataclass(frozen=True, slots=True)
class Invitation:
    id: str
    offer_id: str
    person_id: str
    status: str  # open | accepted | declined | delegated
    created_at: datetime
    responded_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Revocation:
    """A signed stop notice to a recipient, open until it confirms deletion."""

    id: str
    consent_id: str
    recipient_id: str
    reason: str
    notice: str
    created_at: datetime
    acknowledged_at: datetime | None = None
    ack_method: str | None = None
    webhook_delivered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Notification:
    id: str
    person_id: str
    kind: str
    params: dict[str, object]
    created_at: datetime
    read_at: datetime | None = None
