"""What the bank offers to handle, for anyone to read: the data catalogue (データカタログ),
what profiling may infer (推定属性), the purpose codes with their guard-rails, and the
current terms of use (利用規約)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from infobank.entrypoints.api.deps import ContextDep
from infobank.services import terms as terms_service

router = APIRouter(tags=["public"])


class CategoryPublic(BaseModel):
    code: str
    name_ja: str
    name_en: str
    sensitivity: str


class InferencePublic(BaseModel):
    code: str
    name_ja: str
    name_en: str
    sensitivity: str  # general | sensitive (要配慮個人情報)


class TermsPublic(BaseModel):
    version: str
    text_ja: str
    text_en: str


@router.get("/v1/catalogue")
def catalogue(ctx: ContextDep) -> list[CategoryPublic]:
    """The data catalogue: every category with its sensitivity class and names."""
    return [
        CategoryPublic(
            code=c.code, name_ja=c.name_ja, name_en=c.name_en, sensitivity=c.sensitivity.value
        )
        for c in ctx.catalogue
    ]


@router.get("/v1/inferences")
def inferences(ctx: ContextDep) -> list[InferencePublic]:
    """What an offer's profiling may infer (``profiling: {infers: [codes]}``), each general or
    sensitive (要配慮個人情報: refused before guideline 2.2, explicit consent only from 2.2)."""
    return [
        InferencePublic(
            code=i.code, name_ja=i.name_ja, name_en=i.name_en, sensitivity=i.sensitivity.value
        )
        for i in ctx.inferences
    ]


@router.get("/v1/terms")
def terms(ctx: ContextDep) -> TermsPublic:
    """The current terms of use (利用規約) a person agrees to at sign-up (and again, with
    ``POST /v1/me/terms``, whenever the operator publishes a new version)."""
    now = terms_service.current(ctx)
    return TermsPublic(version=now.version, text_ja=now.text_ja, text_en=now.text_en)


@router.get("/v1/purposes")
def purposes(ctx: ContextDep) -> list[dict[str, Any]]:
    """Purpose codes with their guard-rails."""
    return [
        {
            "code": p.code,
            "name_ja": p.name_ja,
            "name_en": p.name_en,
            "max_consent_days": p.guardrails.max_consent_days,
            "max_data_range_days": p.guardrails.max_data_range_days,
            "max_retention_days": p.guardrails.max_retention_days,
            "allowed_fetch_modes": sorted(p.guardrails.allowed_fetch_modes),
        }
        for p in ctx.purposes.values()
    ]
