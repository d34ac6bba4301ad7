"""A person's own view of their account (GET /v1/me)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from infobank.domain.errors import Gone, NotFound
from infobank.domain.identity import Gender
from infobank.services import terms, transparency
from infobank.services.context import Context

__all__ = ["Profile", "profile"]


@dataclass(frozen=True, slots=True)
class Profile:
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
    log_pseudonym: str = ""  # how the transparency log names this person (recomputable here)


def profile(ctx: Context, person_id: str) -> Profile:
    with ctx.read() as uow:
        person = uow.persons.get(person_id)
        if person is None or person.deleted_at is not None:
            raise NotFound("no such person")
        wrapped = uow.persons.wrapped_key(person_id)
        pseudonym = transparency.log_pseudonym(ctx, uow, person_id)
    if wrapped is None:
        raise Gone("this person's data has been erased", code="data_erased")

    def unseal(field: str, blob: bytes) -> str:
        aad = f"person:{person_id}:{field}".encode()
        return ctx.data_keys.decrypt(wrapped, person_id, blob, aad).decode()

    return Profile(
        id=person.id,
        email=unseal("email", person.email_enc),
        display_name=unseal("display_name", person.display_name_enc),
        birth_date=person.birth_date,
        gender=person.gender,
        prefecture=person.prefecture,
        terms_version=person.terms_version,
        terms_agreed_at=person.terms_agreed_at,
        terms_current=person.terms_version == terms.current(ctx).version,
        created_at=person.created_at,
        log_pseudonym=pseudonym,
    )
