"""Table definitions (SQLAlchemy 2 declarative). Schema changes go through Alembic.

Personal values are stored encrypted (``*_enc`` columns, AES-256-GCM under the person's data
key) or as keyed lookup hashes (``*_lookup``). Only what set-wise targeting needs in SQL —
birth date, gender, prefecture — is kept in the clear.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from infobank.adapters.db.types import UtcDateTime

__all__ = [
    "AccessToken",
    "Base",
    "Certification",
    "LinkCode",
    "LoginFailure",
    "Person",
    "PersonKey",
    "Recipient",
    "RecordRow",
    "Source",
    "SourceLink",
    "Staff",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = String(36)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UtcDateTime, date: Date, str: String(255)}


class Person(Base):
    """利用者・本人."""

    __tablename__ = "persons"
    __table_args__ = (
        # targeting reads this narrow index of live persons (migration 0006)
        Index(
            "ix_persons_targeting",
            "prefecture",
            "birth_date",
            "gender",
            "id",
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    email_lookup: Mapped[str] = mapped_column(String(64), unique=True)
    email_enc: Mapped[bytes] = mapped_column(LargeBinary)
    display_name_enc: Mapped[bytes] = mapped_column(LargeBinary)
    birth_date: Mapped[date]
    gender: Mapped[str] = mapped_column(String(16))
    prefecture: Mapped[str] = mapped_column(String(2))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    terms_version: Mapped[str] = mapped_column(String(32))
    terms_agreed_at: Mapped[datetime]
    created_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]


class PersonKey(Base):
    """A person's wrapped data key. Deleting the row crypto-shreds all their data."""

    __tablename__ = "person_keys"

    person_id: Mapped[str] = mapped_column(
        ID, ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    email: Mapped[str] = mapped_column(unique=True)
    password_hash: Mapped[str]
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None]


class Recipient(Base):
    """提供先第三者."""

    __tablename__ = "recipients"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str]
    industry: Mapped[str] = mapped_column(String(64))
    contact_email: Mapped[str]
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    suspended_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Source(Base):
    """情報提供元."""

    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str]
    industry: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class Certification(Base):
    """A recipient's Privacy Mark (Pマーク), ISMS or other certificate."""

    __tablename__ = "certifications"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    recipient_id: Mapped[str] = mapped_column(ID, ForeignKey("recipients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(128))
    valid_from: Mapped[date]
    valid_until: Mapped[date]
    recorded_by: Mapped[str] = mapped_column(ID)
    created_at: Mapped[datetime]


class AccessToken(Base):
    """A bearer token, stored only as its SHA-256."""

    __tablename__ = "access_tokens"
    __table_args__ = (Index("ix_access_tokens_subject", "subject_kind", "subject_id"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(ID)
    role: Mapped[str | None] = mapped_column(String(16))
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class LoginFailure(Base):
    """One failed log-in, keyed by account lookup hash or by client address."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    at: Mapped[datetime] = mapped_column(index=True)


class RecordRow(Base):
    """預託データ: the payload column holds only AES-256-GCM ciphertext."""

    __tablename__ = "records"
    __table_args__ = (
        Index("ix_records_person_category", "person_id", "category"),
        Index("ix_records_category_person", "category", "person_id"),  # holders of a category
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(ID, ForeignKey("persons.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(64))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    size_bytes: Mapped[int]
    observed_at: Mapped[datetime | None]
    acquired_via: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[str | None] = mapped_column(ID, ForeignKey("sources.id"))
    source_method: Mapped[str | None] = mapped_column(String(64))
    purpose: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]


class SourceLink(Base):
    """A person's link with a source; the source only ever knows ``person_ref``."""

    __tablename__ = "source_links"
    __table_args__ = (UniqueConstraint("person_id", "source_id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(ID, ForeignKey("persons.id", ondelete="CASCADE"))
    source_id: Mapped[str] = mapped_column(ID, ForeignKey("sources.id"), index=True)
    person_ref: Mapped[str] = mapped_column(String(64), unique=True)
    external_ref_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
    unlinked_at: Mapped[datetime | None]


class LinkCode(Base):
    """A one-time code a person hands to a source, stored hashed."""

    __tablename__ = "link_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(ID, ForeignKey("persons.id", ondelete="CASCADE"))
    source_id: Mapped[str] = mapped_column(ID, ForeignKey("sources.id"))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
