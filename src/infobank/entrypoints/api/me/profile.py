"""The person's profile (本人の登録情報): signing up, which agrees to the current terms, and
reading one's own account."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, EmailStr, Field

from infobank.domain.identity import Gender
from infobank.entrypoints.api.bodies import Created, Input
from infobank.entrypoints.api.deps import ContextDep, CurrentPerson
from infobank.services import identity, persons

router = APIRouter(tags=["persons"])

PrefectureCode = Field(pattern=r"^(0[1-9]|[1-3][0-9]|4[0-7])$", description="JIS X 0401 code")


class PersonCreate(Input):
    email: EmailStr
    password: str = Field(min_length=10, max_length=1024)
    display_name: str = Field(min_length=1, max_length=100)
    birth_date: date
    gender: Gender
    prefecture: str = PrefectureCode
    terms_version: str = Field(min_length=1, max_length=32)


class PersonPublic(BaseModel):
    id: str
    email: str
    display_name: str
    birth_date: date
    gender: Gender
    prefecture: str
    terms_version: str
    terms_agreed_at: datetime
    terms_current: bool
    created_at: datetime
    log_pseudonym: str = Field(
        description="How the transparency log names this person: find your leaves by it."
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
