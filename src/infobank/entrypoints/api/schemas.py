"""API schemas (``XCreate`` in, ``XPublic`` out), kept apart from domain types."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from infobank.domain.identity import Gender

__all__ = [
    "BusinessCreate",
    "BusinessCreated",
    "CategoryPublic",
    "CertificationCreate",
    "CertificationPublic",
    "Created",
    "LinkCodeCreate",
    "LinkCodePublic",
    "LoginRequest",
    "PersonCreate",
    "PersonPublic",
    "RecordCreate",
    "RecordPublic",
    "RecipientPublic",
    "SourceLinkCreate",
    "SourceLinkPublic",
    "IdsPublic",
    "SourceRecordsCreate",
    "TermsPublic",
    "TokenPublic",
]

PrefectureCode = Field(pattern=r"^(0[1-9]|[1-3][0-9]|4[0-7])$", description="JIS X 0401 code")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TermsPublic(BaseModel):
    version: str
    text_ja: str
    text_en: str


class PersonCreate(_In):
    email: EmailStr
    password: str = Field(min_length=10, max_length=1024)
    display_name: str = Field(min_length=1, max_length=100)
    birth_date: date
    gender: Gender
    prefecture: str = PrefectureCode
    terms_version: str = Field(min_length=1, max_length=32)


class Created(BaseModel):
    id: str


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


class LoginRequest(_In):
    email: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=1024)


class TokenPublic(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int


class CategoryPublic(BaseModel):
    code: str
    name_ja: str
    name_en: str
    sensitivity: str


class RecordCreate(_In):
    category: str = Field(min_length=1, max_length=64)
    data: dict[str, Any]
    observed_at: datetime | None = None
    purpose: str | None = Field(default=None, max_length=255)


class RecordPublic(BaseModel):
    id: str
    category: str
    data: dict[str, Any]
    observed_at: datetime | None
    acquired_via: str
    source_id: str | None
    source_method: str | None
    purpose: str
    created_at: datetime


class LinkCodeCreate(_In):
    source_id: str = Field(min_length=1, max_length=64)


class LinkCodePublic(BaseModel):
    code: str
    expires_at: datetime


class SourceLinkCreate(_In):
    code: str = Field(min_length=1, max_length=64)
    external_ref: str = Field(min_length=1, max_length=255)


class SourceLinkPublic(BaseModel):
    person_ref: str


class SourceRecordItem(_In):
    person_ref: str = Field(min_length=1, max_length=64)
    category: str = Field(min_length=1, max_length=64)
    data: dict[str, Any]
    observed_at: datetime | None = None
    acquired_via: str = Field(default="source_system", min_length=1, max_length=64)
    purpose: str = Field(default="service_provision", min_length=1, max_length=255)


class SourceRecordsCreate(_In):
    records: list[SourceRecordItem] = Field(min_length=1)


class IdsPublic(BaseModel):
    ids: list[str]


class BusinessCreate(_In):
    name: str = Field(min_length=1, max_length=200)
    industry: str = Field(min_length=1, max_length=64)
    contact_email: EmailStr | None = None


class BusinessCreated(BaseModel):
    id: str
    client_id: str
    client_secret: str


class CertificationCreate(_In):
    kind: Literal["pmark", "isms", "other"]
    number: str = Field(min_length=1, max_length=128)
    valid_from: date
    valid_until: date


class CertificationPublic(BaseModel):
    id: str
    kind: str
    number: str
    valid_from: date
    valid_until: date


class RecipientPublic(BaseModel):
    id: str
    name: str
    industry: str
    client_id: str
    suspended: bool
    suspended_at: datetime | None
    certifications: list[CertificationPublic]
