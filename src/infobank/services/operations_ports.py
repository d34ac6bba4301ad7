"""Ports for operating the bank: incidents, usage, statistics, the end of the business and
transfers between banks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from infobank.domain.incidents import Incident
from infobank.domain.termination import ExitChoice, TerminationPlan
from infobank.domain.transfers import IncomingTransfer, OutgoingTransfer

__all__ = [
    "BankPeer",
    "CertificateDue",
    "IncidentBook",
    "PeerError",
    "Statistics",
    "TerminationBook",
    "TransferBook",
    "TransferKey",
    "UsageBook",
]


class IncidentBook(Protocol):
    def add(self, incident: Incident, person_ids: Sequence[str]) -> None: ...

    def get(self, incident_id: str, *, for_update: bool = False) -> Incident | None: ...

    def list(self) -> list[Incident]: ...

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


class TerminationBook(Protocol):
    def plan(self) -> TerminationPlan | None: ...

    def save_plan(self, plan: TerminationPlan) -> None: ...

    def choose(self, choice: ExitChoice) -> None: ...

    def choice(self, person_id: str) -> ExitChoice | None: ...

    def choices(self) -> list[ExitChoice]: ...

    def set_outcome(
        self, person_id: str, outcome: str, at: datetime, error: str | None = None
    ) -> None: ...

    def live_persons(self) -> list[str]: ...

    def scrub_person(self, person_id: str) -> None:
        """Blank what targeting kept in the clear (birth date, gender, prefecture)."""
        ...

    def purge_transient(self) -> None:
        """Drop what holds caller state only: idempotency keys, sessions, login failures."""
        ...


class TransferBook(Protocol):
    def add_outgoing(self, transfer: OutgoingTransfer) -> None: ...

    def finish_outgoing(
        self,
        transfer_id: str,
        status: str,
        at: datetime,
        *,
        remote_id: str | None = None,
        error: str | None = None,
    ) -> None: ...

    def outgoing(self, person_id: str) -> list[OutgoingTransfer]: ...

    def add_incoming(self, transfer: IncomingTransfer) -> bool:
        """False (nothing written) if a bundle with the same ``transfer_ref`` is held."""
        ...

    def incoming(
        self, transfer_id: str, *, for_update: bool = False
    ) -> IncomingTransfer | None: ...

    def incoming_by_ref(self, transfer_ref: str) -> IncomingTransfer | None: ...

    def incoming_for(self, email_lookup: str, person_id: str) -> list[IncomingTransfer]: ...

    def mark_imported(
        self, transfer_id: str, person_id: str, at: datetime, history_enc: bytes
    ) -> None: ...

    def expire_incoming(self, before: datetime | None) -> int:
        """Drop the bundles of pending imports that expired (all pending ones if None)."""
        ...


class TransferKey(Protocol):
    """The bank's own encryption key for bundles from other banks (X25519, ``use: enc``)."""

    def public_jwk(self) -> dict[str, Any]: ...

    def open(self, token: str, sender_jwks: Mapping[str, Any], typ: str) -> tuple[bytes, str]:
        """Decrypt, then verify the inner signature against ``sender_jwks``; returns the payload
        and the signing key's kid. ValueError if either step fails."""
        ...


class PeerError(Exception):
    """The other bank could not be reached, or refused the request (``status`` if it answered)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class BankPeer(Protocol):
    """Another infobank instance, reached over HTTP(S)."""

    def transfer_key(self, base_url: str) -> dict[str, Any]: ...

    def jwks(self, base_url: str) -> dict[str, Any]:
        """The bank's published signing keys (``/.well-known/jwks.json``)."""
        ...

    def send_bundle(self, base_url: str, body: Mapping[str, Any]) -> dict[str, Any]: ...
