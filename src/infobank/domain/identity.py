"""Who can act in infobank, and the facts about a person that targeting may use.

Actors (SPEC §1): a person (利用者・本人), staff of the bank with one role each
(operator 運営者, ethics データ倫理審査会, auditor 監査, support 相談窓口), and businesses that
authenticate as OAuth2 clients: sources (情報提供元) and recipients (提供先第三者).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

__all__ = [
    "Business",
    "Certification",
    "Gender",
    "IssuedToken",
    "PersonAccount",
    "Principal",
    "PrincipalKind",
    "StaffMember",
    "StaffRole",
    "age_on",
]


class PrincipalKind(StrEnum):
    PERSON = "person"
    STAFF = "staff"
    RECIPIENT = "recipient"
    SOURCE = "source"


class StaffRole(StrEnum):
    OPERATOR = "operator"
    ETHICS = "ethics"
    AUDITOR = "auditor"
    SUPPORT = "support"


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNSPECIFIED = "unspecified"


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller of a use case. ``role`` is set for staff only."""

    kind: PrincipalKind
    id: str
    role: StaffRole | None = None

    def is_staff(self, *roles: StaffRole) -> bool:
        return self.kind is PrincipalKind.STAFF and (not roles or self.role in roles)


def age_on(birth_date: date, today: date) -> int:
    """Age in completed years on ``today`` (a person born on 29 Feb ages on 1 Mar)."""
    years = today.year - birth_date.year
    if (today.month, today.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


@dataclass(frozen=True, slots=True)
class PersonAccount:
    """A person's account. Email and display name are held only as ciphertext."""

    id: str
    email_lookup: str
    email_enc: bytes
    display_name_enc: bytes
    birth_date: date
    gender: Gender
    prefecture: str
    password_hash: str | None
    terms_version: str
    terms_agreed_at: datetime
    created_at: datetime
    deleted_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: str
    email: str
    password_hash: str
    role: StaffRole
    created_at: datetime
    disabled_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Business:
    """A source or recipient: an OAuth2 client whose secret is stored as a SHA-256."""

    id: str
    kind: PrincipalKind
    name: str
    industry: str
    client_id: str
    secret_hash: str
    created_at: datetime
    contact_email: str = ""
    suspended_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Certification:
    """Pマーク (pmark), ISMS (isms) or another certificate held by a recipient."""

    id: str
    recipient_id: str
    kind: str
    number: str
    valid_from: date
    valid_until: date
    recorded_by: str
    created_at: datetime

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_until


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A bearer token as stored: its hash, never the token."""

    token_hash: str
    principal: Principal
    expires_at: datetime
    created_at: datetime
    revoked_at: datetime | None = None

    def usable_at(self, at: datetime) -> bool:
        return self.revoked_at is None and at < self.expires_at
