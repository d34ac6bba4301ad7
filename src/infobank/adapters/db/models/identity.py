"""Tables for persons (利用者), their data keys, staff, access tokens and login failures."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from infobank.adapters.db.models.base import ID, Base

__all__ = ["AccessToken", "LoginFailure", "Person", "PersonKey", "Staff"]


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
