"""SQLAlchemy implementations of the repository ports. Rows in, domain values out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.domain.identity import (
    Business,
    Certification,
    Gender,
    IssuedToken,
    PersonAccount,
    Principal,
    PrincipalKind,
    StaffMember,
    StaffRole,
)
from infobank.domain.records import AcquiredVia, LinkCode, SourceLink, StoredRecord

__all__ = [
    "SqlAlchemyBusinesses",
    "SqlAlchemyLoginFailures",
    "SqlAlchemyPersons",
    "SqlAlchemyRecords",
    "SqlAlchemySourceLinks",
    "SqlAlchemyStaff",
    "SqlAlchemyTokens",
]


class _Repo:
    def __init__(self, session: Session) -> None:
        self.session = session


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


class SqlAlchemyPersons(_Repo):
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


class SqlAlchemyStaff(_Repo):
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


def _business(row: m.Recipient | m.Source) -> Business:
    if isinstance(row, m.Recipient):
        return Business(
            id=row.id,
            kind=PrincipalKind.RECIPIENT,
            name=row.name,
            industry=row.industry,
            client_id=row.client_id,
            secret_hash=row.secret_hash,
            created_at=row.created_at,
            contact_email=row.contact_email,
            suspended_at=row.suspended_at,
        )
    return Business(
        id=row.id,
        kind=PrincipalKind.SOURCE,
        name=row.name,
        industry=row.industry,
        client_id=row.client_id,
        secret_hash=row.secret_hash,
        created_at=row.created_at,
    )


def _model(kind: PrincipalKind) -> type[m.Recipient | m.Source]:
    if kind is PrincipalKind.RECIPIENT:
        return m.Recipient
    if kind is PrincipalKind.SOURCE:
        return m.Source
    raise ValueError(f"{kind} is not a business")


class SqlAlchemyBusinesses(_Repo):
    def add(self, business: Business) -> None:
        common = {
            "id": business.id,
            "name": business.name,
            "industry": business.industry,
            "client_id": business.client_id,
            "secret_hash": business.secret_hash,
            "created_at": business.created_at,
        }
        if business.kind is PrincipalKind.RECIPIENT:
            self.session.add(
                m.Recipient(**common, contact_email=business.contact_email, suspended_at=None)
            )
        else:
            self.session.add(m.Source(**common))

    def get(self, kind: PrincipalKind, business_id: str) -> Business | None:
        row = self.session.get(_model(kind), business_id)
        return _business(cast(m.Recipient | m.Source, row)) if row else None

    def by_client_id(self, client_id: str) -> Business | None:
        for model in (m.Recipient, m.Source):
            row = self.session.scalar(select(model).where(model.client_id == client_id))
            if row is not None:
                return _business(cast(m.Recipient | m.Source, row))
        return None

    def list(self, kind: PrincipalKind) -> Sequence[Business]:
        model = _model(kind)
        rows = self.session.scalars(select(model).order_by(model.name))
        return [_business(cast(m.Recipient | m.Source, r)) for r in rows]

    def add_certification(self, certification: Certification) -> None:
        self.session.add(
            m.Certification(
                id=certification.id,
                recipient_id=certification.recipient_id,
                kind=certification.kind,
                number=certification.number,
                valid_from=certification.valid_from,
                valid_until=certification.valid_until,
                recorded_by=certification.recorded_by,
                created_at=certification.created_at,
            )
        )

    def certifications(self, recipient_id: str) -> Sequence[Certification]:
        rows = self.session.scalars(
            select(m.Certification)
            .where(m.Certification.recipient_id == recipient_id)
            .order_by(m.Certification.valid_until.desc())
        )
        return [
            Certification(
                id=r.id,
                recipient_id=r.recipient_id,
                kind=r.kind,
                number=r.number,
                valid_from=r.valid_from,
                valid_until=r.valid_until,
                recorded_by=r.recorded_by,
                created_at=r.created_at,
            )
            for r in rows
        ]

    def set_suspended(self, recipient_id: str, at: datetime | None) -> None:
        self.session.execute(
            update(m.Recipient).where(m.Recipient.id == recipient_id).values(suspended_at=at)
        )


class SqlAlchemyTokens(_Repo):
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


class SqlAlchemyLoginFailures(_Repo):
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


def _record(row: m.RecordRow) -> StoredRecord:
    return StoredRecord(
        id=row.id,
        person_id=row.person_id,
        category=row.category,
        payload=row.payload,
        size_bytes=row.size_bytes,
        observed_at=row.observed_at,
        acquired_via=AcquiredVia(row.acquired_via),
        source_id=row.source_id,
        source_method=row.source_method,
        purpose=row.purpose,
        created_at=row.created_at,
    )


class SqlAlchemyRecords(_Repo):
    def add(self, record: StoredRecord) -> None:
        self.session.add(
            m.RecordRow(
                id=record.id,
                person_id=record.person_id,
                category=record.category,
                payload=record.payload,
                size_bytes=record.size_bytes,
                observed_at=record.observed_at,
                acquired_via=record.acquired_via.value,
                source_id=record.source_id,
                source_method=record.source_method,
                purpose=record.purpose,
                created_at=record.created_at,
            )
        )

    def get(self, person_id: str, record_id: str) -> StoredRecord | None:
        row = self.session.scalar(
            select(m.RecordRow).where(
                m.RecordRow.id == record_id, m.RecordRow.person_id == person_id
            )
        )
        return _record(row) if row else None

    def list(self, person_id: str, category: str | None = None) -> Sequence[StoredRecord]:
        query = select(m.RecordRow).where(m.RecordRow.person_id == person_id)
        if category is not None:
            query = query.where(m.RecordRow.category == category)
        query = query.order_by(m.RecordRow.created_at, m.RecordRow.id)
        return [_record(r) for r in self.session.scalars(query)]

    def categories_held(self, person_id: str) -> set[str]:
        query = select(m.RecordRow.category).where(m.RecordRow.person_id == person_id).distinct()
        return set(self.session.scalars(query))


def _link(row: m.SourceLink) -> SourceLink:
    return SourceLink(
        id=row.id,
        person_id=row.person_id,
        source_id=row.source_id,
        person_ref=row.person_ref,
        external_ref_enc=row.external_ref_enc,
        created_at=row.created_at,
        unlinked_at=row.unlinked_at,
    )


class SqlAlchemySourceLinks(_Repo):
    def add_code(self, code: LinkCode) -> None:
        self.session.add(
            m.LinkCode(
                code_hash=code.code_hash,
                person_id=code.person_id,
                source_id=code.source_id,
                expires_at=code.expires_at,
                used_at=code.used_at,
                created_at=code.created_at,
            )
        )

    def take_code(self, code_hash: str, source_id: str, at: datetime) -> LinkCode | None:
        # One conditional UPDATE: two sources racing for one code cannot both win it.
        result = self.session.execute(
            update(m.LinkCode)
            .where(
                m.LinkCode.code_hash == code_hash,
                m.LinkCode.source_id == source_id,
                m.LinkCode.used_at.is_(None),
                m.LinkCode.expires_at > at,
            )
            .values(used_at=at)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return None
        row = self.session.get(m.LinkCode, code_hash)
        assert row is not None
        return LinkCode(
            code_hash=row.code_hash,
            person_id=row.person_id,
            source_id=row.source_id,
            expires_at=row.expires_at,
            created_at=row.created_at,
            used_at=row.used_at,
        )

    def add(self, link: SourceLink) -> None:
        self.session.add(
            m.SourceLink(
                id=link.id,
                person_id=link.person_id,
                source_id=link.source_id,
                person_ref=link.person_ref,
                external_ref_enc=link.external_ref_enc,
                created_at=link.created_at,
                unlinked_at=link.unlinked_at,
            )
        )

    def for_person(self, person_id: str, source_id: str) -> SourceLink | None:
        row = self.session.scalar(
            select(m.SourceLink).where(
                m.SourceLink.person_id == person_id, m.SourceLink.source_id == source_id
            )
        )
        return _link(row) if row else None

    def by_refs(self, source_id: str, person_refs: Sequence[str]) -> dict[str, SourceLink]:
        if not person_refs:
            return {}
        rows = self.session.scalars(
            select(m.SourceLink).where(
                m.SourceLink.source_id == source_id,
                m.SourceLink.person_ref.in_(set(person_refs)),
                m.SourceLink.unlinked_at.is_(None),
            )
        )
        return {r.person_ref: _link(r) for r in rows}

    def list_for_person(self, person_id: str) -> Sequence[SourceLink]:
        rows = self.session.scalars(select(m.SourceLink).where(m.SourceLink.person_id == person_id))
        return [_link(r) for r in rows]
