"""Repositories for persons, staff, access tokens and login failures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, func, select, update

from infobank.adapters.db import models as m
from infobank.adapters.db.repos.base import Repository
from infobank.domain.identity import (
    Gender,
    IssuedToken,
    PersonAccount,
    Principal,
    PrincipalKind,
    StaffMember,
    StaffRole,
)

__all__ = ["SqlAlchemyLoginFailures", "SqlAlchemyPersons", "SqlAlchemyStaff", "SqlAlchemyTokens"]

_PERSONS = m.Person.metadata.tables["persons"]
_TERMS_VERSION = select(_PERSONS.c.terms_version).where(_PERSONS.c.id == bindparam("p_id"))


def _person(row: m.Person) -> PersonAccount:
    return PersonAccount(
        id=row.id,
        email_lookup=row.email_lookup,
        email_enc=row.email_enc,
        display_name_enc=row.display_name_enc,
        birth_date=row.birth_date,
        gender=Gender(row.gender),
        prefecture=row.prefecture,
        password_hash=row.password_hash,
        terms_version=row.terms_version,
        terms_agreed_at=row.terms_agreed_at,
        created_at=row.created_at,
        deleted_at=row.deleted_at,
    )


class SqlAlchemyPersons(Repository):
    def add(self, person: PersonAccount, wrapped_key: bytes) -> None:
        self.session.add(
            m.Person(
                id=person.id,
                email_lookup=person.email_lookup,
                email_enc=person.email_enc,
                display_name_enc=person.display_name_enc,
                birth_date=person.birth_date,
                gender=person.gender.value,
                prefecture=person.prefecture,
                password_hash=person.password_hash,
                terms_version=person.terms_version,
                terms_agreed_at=person.terms_agreed_at,
                created_at=person.created_at,
                deleted_at=person.deleted_at,
            )
        )
        self.session.flush()
        self.session.add(
            m.PersonKey(person_id=person.id, wrapped_key=wrapped_key, created_at=person.created_at)
        )

    def get(self, person_id: str) -> PersonAccount | None:
        row = self.session.get(m.Person, person_id)
        return _person(row) if row else None

    def terms_version(self, person_id: str) -> str | None:
        """The terms version the person agreed to (None: no such person)."""
        return self.session.connection().execute(_TERMS_VERSION, {"p_id": person_id}).scalar()

    def by_email_lookup(self, lookup: str) -> PersonAccount | None:
        row = self.session.scalar(select(m.Person).where(m.Person.email_lookup == lookup))
        return _person(row) if row else None

    def wrapped_key(self, person_id: str) -> bytes | None:
        return self.session.scalar(
            select(m.PersonKey.wrapped_key).where(m.PersonKey.person_id == person_id)
        )

    def destroy_key(self, person_id: str) -> None:
        self.session.execute(delete(m.PersonKey).where(m.PersonKey.person_id == person_id))

    def mark_deleted(self, person_id: str, at: datetime) -> None:
        # The lookup hash is replaced, so the address can sign up afresh and no longer links here.
        self.session.execute(
            update(m.Person)
            .where(m.Person.id == person_id)
            .values(deleted_at=at, password_hash=None, email_lookup=f"deleted:{person_id}")
        )

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(m.Person)) or 0

    def agree_terms(self, person_id: str, version: str, at: datetime) -> None:
        self.session.execute(
            update(m.Person)
            .where(m.Person.id == person_id)
            .values(terms_version=version, terms_agreed_at=at)
        )


def _staff(row: m.Staff) -> StaffMember:
    return StaffMember(
        id=row.id,
        email=row.email,
        password_hash=row.password_hash,
        role=StaffRole(row.role),
        created_at=row.created_at,
        disabled_at=row.disabled_at,
    )


class SqlAlchemyStaff(Repository):
    def add(self, member: StaffMember) -> None:
        self.session.add(
            m.Staff(
                id=member.id,
                email=member.email,
                password_hash=member.password_hash,
                role=member.role.value,
                created_at=member.created_at,
                disabled_at=member.disabled_at,
            )
        )

    def get(self, staff_id: str) -> StaffMember | None:
        row = self.session.get(m.Staff, staff_id)
        return _staff(row) if row else None

    def by_email(self, email: str) -> StaffMember | None:
        row = self.session.scalar(select(m.Staff).where(m.Staff.email == email))
        return _staff(row) if row else None


class SqlAlchemyTokens(Repository):
    def add(self, token: IssuedToken) -> None:
        p = token.principal
        self.session.add(
            m.AccessToken(
                token_hash=token.token_hash,
                subject_kind=p.kind.value,
                subject_id=p.id,
                role=p.role.value if p.role else None,
                expires_at=token.expires_at,
                created_at=token.created_at,
                revoked_at=token.revoked_at,
            )
        )

    def get(self, token_hash: str) -> IssuedToken | None:
        row = self.session.get(m.AccessToken, token_hash)
        if row is None:
            return None
        principal = Principal(
            kind=PrincipalKind(row.subject_kind),
            id=row.subject_id,
            role=StaffRole(row.role) if row.role else None,
        )
        return IssuedToken(
            token_hash=row.token_hash,
            principal=principal,
            expires_at=row.expires_at,
            created_at=row.created_at,
            revoked_at=row.revoked_at,
        )

    def revoke_for(self, kind: PrincipalKind, subject_id: str, at: datetime) -> None:
        self.session.execute(
            update(m.AccessToken)
            .where(
                m.AccessToken.subject_kind == kind.value,
                m.AccessToken.subject_id == subject_id,
                m.AccessToken.revoked_at.is_(None),
            )
            .values(revoked_at=at)
        )


class SqlAlchemyLoginFailures(Repository):
    def record(self, key: str, at: datetime) -> None:
        self.session.add(m.LoginFailure(key=key, at=at))

    def count_since(self, key: str, since: datetime) -> int:
        query = select(func.count()).where(m.LoginFailure.key == key, m.LoginFailure.at >= since)
        return self.session.scalar(query) or 0

    def oldest_since(self, key: str, since: datetime) -> datetime | None:
        query = select(func.min(m.LoginFailure.at)).where(
            m.LoginFailure.key == key, m.LoginFailure.at >= since
        )
        return self.session.scalar(query)

    def clear(self, key: str) -> None:
        self.session.execute(delete(m.LoginFailure).where(m.LoginFailure.key == key))
