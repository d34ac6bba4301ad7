"""Ports for who is who: persons (利用者), staff, access tokens and login failures."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from infobank.domain.identity import (
    IssuedToken,
    PersonAccount,
    PrincipalKind,
    StaffMember,
)

__all__ = ["LoginFailures", "Persons", "StaffMembers", "Tokens"]


class Persons(Protocol):
    def terms_version(self, person_id: str) -> str | None:
        """The terms version the person agreed to (None: no such person)."""
        ...

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


class Tokens(Protocol):
    def add(self, token: IssuedToken) -> None: ...

    def get(self, token_hash: str) -> IssuedToken | None: ...

    def revoke_for(self, kind: PrincipalKind, subject_id: str, at: datetime) -> None: ...


class LoginFailures(Protocol):
    def record(self, key: str, at: datetime) -> None: ...

    def count_since(self, key: str, since: datetime) -> int: ...

    def oldest_since(self, key: str, since: datetime) -> datetime | None: ...

    def clear(self, key: str) -> None: ...
