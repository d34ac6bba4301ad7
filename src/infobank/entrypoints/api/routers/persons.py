"""The person's API: account, records, source links."""

from __future__ import annotations

from fastapi import APIRouter, status

from infobank.domain.records import SELF_PURPOSE, Record
from infobank.entrypoints.api.deps import ContextDep, CurrentPerson
from infobank.entrypoints.api.schemas import (
    Created,
    LinkCodeCreate,
    LinkCodePublic,
    PersonCreate,
    PersonPublic,
    RecordCreate,
    RecordPublic,
)
from infobank.services import identity, persons, records

router = APIRouter(tags=["persons"])


def _record(record: Record) -> RecordPublic:
    return RecordPublic(
        id=record.id,
        category=record.category,
        data=record.data,
        observed_at=record.observed_at,
        acquired_via=record.acquired_via.value,
        source_id=record.source_id,
        source_method=record.source_method,
        purpose=record.purpose,
        created_at=record.created_at,
    )


@router.post("/v1/persons", status_code=status.HTTP_201_CREATED)
def sign_up(ctx: ContextDep, body: PersonCreate) -> Created:
    """Sign up, agreeing to the current terms version."""
    person_id = identity.sign_up(
        ctx,
        identity.SignUp(
            email=str(body.email),
            password=body.password,
            display_name=body.display_name,
            birth_date=body.birth_date,
            gender=body.gender,
            prefecture=body.prefecture,
            terms_version=body.terms_version,
        ),
    )
    return Created(id=person_id)


@router.get("/v1/me")
def me(ctx: ContextDep, person: CurrentPerson) -> PersonPublic:
    """The signed-in person's account."""
    p = persons.profile(ctx, person.id)
    return PersonPublic(
        id=p.id,
        email=p.email,
        display_name=p.display_name,
        birth_date=p.birth_date,
        gender=p.gender,
        prefecture=p.prefecture,
        terms_version=p.terms_version,
        terms_agreed_at=p.terms_agreed_at,
        terms_current=p.terms_current,
        created_at=p.created_at,
        log_pseudonym=p.log_pseudonym,
    )


@router.post("/v1/me/records", status_code=status.HTTP_201_CREATED)
def add_record(ctx: ContextDep, person: CurrentPerson, body: RecordCreate) -> Created:
    """Entrust a record; it is stored encrypted under the person's data key."""
    new = records.NewRecord(
        category=body.category,
        data=body.data,
        observed_at=body.observed_at,
        purpose=body.purpose or SELF_PURPOSE,
    )
    return Created(id=records.add_record(ctx, person.id, new))


@router.get("/v1/me/records")
def list_records(
    ctx: ContextDep, person: CurrentPerson, category: str | None = None
) -> list[RecordPublic]:
    """The person's records, optionally of one category."""
    return [_record(r) for r in records.list_records(ctx, person.id, category)]


@router.get("/v1/me/records/{record_id}")
def get_record(ctx: ContextDep, person: CurrentPerson, record_id: str) -> RecordPublic:
    """One of the person's records (404 for anyone else's)."""
    return _record(records.get_record(ctx, person.id, record_id))


@router.post("/v1/me/source-links", status_code=status.HTTP_201_CREATED)
def create_link_code(
    ctx: ContextDep, person: CurrentPerson, body: LinkCodeCreate
) -> LinkCodePublic:
    """A one-time code to give a source so it may send this person's records."""
    code, expires_at = records.create_link_code(ctx, person.id, body.source_id)
    return LinkCodePublic(code=code, expires_at=expires_at)
