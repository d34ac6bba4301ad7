"""API schemas of the trust loop."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

__all__ = [
    "AckRevocation",
    "DelegationBody",
    "FetchSpec",
    "JwkBody",
    "OfferCreate",
    "OfferPublic",
    "ReviewCreate",
    "WebhookBody",
]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PurposeSpec(_In):
    code: str = Field(min_length=1, max_length=64)
    text: str = Field(min_length=1, max_length=2000)
    justification: Literal["individual_benefit", "public_interest"] | None = None


class BenefitSpec(_In):
    points: int = Field(ge=0, le=1_000_000)


class FetchSpec(_In):
    mode: Literal["one_time", "periodic"]
    every_days: int | None = Field(default=None, ge=1, le=365)


class ReprovisionSpec(_In):
    allowed: bool = False
    parties: list[str] = Field(default_factory=list, max_length=20)


class TargetSpec(_In):
    age_min: int | None = Field(default=None, ge=0, le=130)
    age_max: int | None = Field(default=None, ge=0, le=130)
    prefectures: list[str] = Field(default_factory=list, max_length=47)
    genders: list[Literal["female", "male", "other", "unspecified"]] = Field(default_factory=list)


class OfferCreate(_In):
    title: str = Field(min_length=1, max_length=200)
    purpose: PurposeSpec
    categories: list[str] = Field(min_length=1, max_length=50)
    benefit: BenefitSpec
    retention_days: int = Field(ge=1, le=3650)
    consent_duration_days: int = Field(ge=1, le=3650)
    fetch: FetchSpec
    data_range_days: int | None = Field(default=None, ge=1, le=3650)
    profiling: bool = False
    reprovision: ReprovisionSpec = Field(default_factory=ReprovisionSpec)
    target: TargetSpec = Field(default_factory=TargetSpec)
    capacity: int = Field(ge=1, le=10_000_000)
    starts_at: AwareDatetime | None = Field(
        default=None, description="post-dated start: consents given earlier begin then"
    )


class OfferPublic(BaseModel):
    id: str
    status: str
    title: str
    recipient_id: str
    purpose: dict[str, Any]
    categories: list[str]
    benefit: dict[str, int]
    retention_days: int
    consent_duration_days: int
    fetch: dict[str, Any]
    data_range_days: int | None
    profiling: bool
    reprovision: dict[str, Any]
    target: dict[str, Any]
    capacity: int
    created_at: datetime
    submitted_at: datetime | None
    opened_at: datetime | None
    closed_at: datetime | None
    starts_at: datetime | None = None
    reviews: list[dict[str, Any]] = Field(default_factory=list)


class ReviewCreate(_In):
    decision: Literal["approve", "reject"]
    minutes: str = Field(min_length=1, max_length=20000)
    conditions: list[str] = Field(default_factory=list, max_length=50)


class JwkBody(_In):
    jwk: dict[str, Any]


class WebhookBody(_In):
    url: str | None = Field(max_length=2048)


class AckRevocation(_In):
    method: Literal["deleted", "deidentified"]


class DelegationRuleSpec(_In):
    categories: list[str] = Field(default_factory=list)
    purposes: list[str] = Field(default_factory=list)
    industries: list[str] = Field(default_factory=list)
    min_benefit_points: int = Field(default=0, ge=0)
    allow_profiling: bool = False
    max_retention_days: int = Field(default=365, ge=1, le=3650)


class DelegationBody(_In):
    rules: list[DelegationRuleSpec] = Field(max_length=50)
