"""Ports: what the use cases need from the outside world, as ``typing.Protocol``.

Adapters implement them (``SqlAlchemyUnitOfWork``, ``AesGcmDataKeys``, ``SystemClock`` …);
unit tests use the tiny fakes in ``tests/fakes.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self

from infobank.domain.identity import (
    Business,
    Certification,
    IssuedToken,
    PersonAccount,
    PrincipalKind,
    StaffMember,
)
from infobank.domain.records import LinkCode, SourceLink, StoredRecord
from infobank.services.loop_ports import (
    Consents,
    Deliveries,
    Idempotency,
    Jobs,
    Ledger,
    Notifications,
    Offers,
    RecipientEndpoints,
    Revocations,
    TransparencyLog,
)
from infobank.services.mynaportal_ports import MynaportalStore
from infobank.services.operations_ports import (
    IncidentBook,
    Statistics,
    TerminationBook,
    TransferBook,
    UsageBook,
)
from infobank.services.rules_ports import Exceptions, TermsBook
from infobank.services.web_ports import Inquiries, WebSessions

__all__ = [
    "Businesses",
    "Clock",
    "DataKeys",
    "LoginFailures",
    "Passwords",
    "Persons",
    "Records",
    "Signer",
    "SourceLinks",
    "StaffMembers",
    "Tokens",
    "UnitOfWork",
]


class Clock(Protocol):
    def now(self) -> datetime: ...


class Passwords(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, hashed: str | None, password: str) -> bool:
        """Constant work whether or not ``hashed`` exists; False on any mismatch."""
        ...


class DataKeys(Protocol):
    """Envelope encryption. ``aad`` must bind each ciphertext to the row that holds it."""

    def new_wrapped_key(self, owner_id: str) -> bytes: ...

    def encrypt(self, wrapped_key: bytes, owner_id: str, plaintext: bytes, aad: bytes) -> bytes: ...

    def decrypt(self, wrapped_key: bytes, owner_id: str, blob: bytes, aad: bytes) -> bytes: ...

    def derive(self, wrapped_key: bytes, owner_id: str, label: str) -> bytes: ...


class Signer(Protocol):
    """The bank's signature. ``verify`` checks only the signature, never what it says."""

    kid: str

    def sign(self, payload: bytes, *, typ: str = "JOSE") -> str: ...

    def verify(self, token: str) -> bytes | None: ...

    def jwks(self) -> dict[str, Any]: ...


class Persons(Protocol):
    def add(self, person: PersonAccount, wrapped_key: bytes) -> None: ...

    def get(self, person_id: str) -> PersonAccount | None: ...

    def by_email_lookup(self, lookup: str) -> PersonAccount | None: ...

    def wrapped_key(self, person_id: str) -> bytes | None: ...

    def destroy_key(self, person_id: str) -> None:
        """Crypto-shred: every ciphertext under this person's key becomes unreadable."""
        ...

    def mark_deleted(self, person_id: str, at: datetime) -> None:
        """Close the account: no password, and the email lookup freed for a new sign-up."""
        ...

    def count(self) -> int: ...

    def agree_terms(self, person_id: str, version: str, at: datetime) -> None: ...


class StaffMembers(Protocol):
    def add(self, member: StaffMember) -> None: ...

    def get(self, staff_id: str) -> StaffMember | None: ...

    def by_email(self, email: str) -> StaffMember | None: ...


class Businesses(Protocol):
    def add(self, business: Business) -> None: ...

    def get(self, kind: PrincipalKind, business_id: str) -> Business | None: ...

    def by_client_id(self, client_id: str) -> Business | None: ...

    def list(self, kind: PrincipalKind) -> Sequence[Business]: ...

    def add_certification(self, certification: Certification) -> None: ...

    def certifications(self, recipient_id: str) -> Sequence[Certification]: ...

    def set_suspended(self, recipient_id: str, at: datetime | None) -> None: ...


class Tokens(Protocol):
    def add(self, token: IssuedToken) -> None: ...

    def get(self, token_hash: str) -> IssuedToken | None: ...

    def revoke_for(self, kind: PrincipalKind, subject_id: str, at: datetime) -> None: ...


class LoginFailures(Protocol):
    def record(self, key: str, at: datetime) -> None: ...

    def count_since(self, key: str, since: datetime) -> int: ...

    def oldest_since(self, key: str, since: datetime) -> datetime | None: ...

    def clear(self, key: str) -> None: ...


class Records(Protocol):
    def add(self, record: StoredRecord) -> None: ...

    def get(self, person_id: str, record_id: str) -> StoredRecord | None:
        """Only the owner's record: another person's id answers None, as if absent."""
        ...

    def list(self, person_id: str, category: str | None = None) -> Sequence[StoredRecord]: ...

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


class UnitOfWork(Protocol):
    """One transaction. Nothing is written unless ``commit()`` is called; leaving the
    ``with`` block rolls back whatever was not committed."""

    persons: Persons
    staff: StaffMembers
    businesses: Businesses
    tokens: Tokens
    login_failures: LoginFailures
    records: Records
    source_links: SourceLinks
    offers: Offers
    consents: Consents
    deliveries: Deliveries
    endpoints: RecipientEndpoints
    revocations: Revocations
    ledger: Ledger
    notifications: Notifications
    jobs: Jobs
    idempotency: Idempotency
    log: TransparencyLog
    web_sessions: WebSessions
    inquiries: Inquiries
    mynaportal: MynaportalStore
    terms_book: TermsBook
    exceptions: Exceptions
    incidents: IncidentBook
    usage: UsageBook
    stats: Statistics
    termination: TerminationBook
    transfers: TransferBook

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...
