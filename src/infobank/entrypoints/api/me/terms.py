"""The person agreeing to the terms of use (利用規約) the operator published last."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from infobank.entrypoints.api.bodies import VerbatimInput
from infobank.entrypoints.api.deps import ContextDep, CurrentPerson
from infobank.services import terms

router = APIRouter(tags=["rules"])


class TermsAgree(VerbatimInput):
    version: str = Field(min_length=1, max_length=32)


@router.post("/v1/me/terms")
def agree_terms(ctx: ContextDep, person: CurrentPerson, body: TermsAgree) -> dict[str, Any]:
    """Agree to the current terms (the version from ``GET /v1/terms``)."""
    agreed = terms.agree(ctx, person.id, body.version)
    return {"version": agreed.version, "current": True}
