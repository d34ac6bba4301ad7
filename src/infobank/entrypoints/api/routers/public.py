"""Public endpoints: health, keys, catalogue, terms."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from infobank.entrypoints.api.deps import ContextDep
from infobank.entrypoints.api.schemas import CategoryPublic, TermsPublic
from infobank.services import terms as terms_service

router = APIRouter(tags=["public"])


@router.get("/healthz")
def healthz(ctx: ContextDep) -> dict[str, str]:
    """Liveness and database reachability."""
    with ctx.uow() as uow:
        uow.persons.count()
    return {"status": "ok", "guideline_version": ctx.guideline_version}


@router.get("/.well-known/jwks.json")
def jwks(ctx: ContextDep) -> dict[str, Any]:
    """The bank's public signing keys (JWK Set)."""
    return ctx.signer.jwks()


@router.get("/v1/catalogue")
def catalogue(ctx: ContextDep) -> list[CategoryPublic]:
    """The data catalogue: every category with its sensitivity class and names."""
    return [
        CategoryPublic(
            code=c.code, name_ja=c.name_ja, name_en=c.name_en, sensitivity=c.sensitivity.value
        )
        for c in ctx.catalogue
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
