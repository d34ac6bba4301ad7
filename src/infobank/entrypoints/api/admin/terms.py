"""Publishing a new version of the terms of use (利用規約): provision pauses for each person
until they agree to it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status
from pydantic import Field

from infobank.entrypoints.api.bodies import VerbatimInput
from infobank.entrypoints.api.deps import ContextDep, Operator
from infobank.services import terms

router = APIRouter(tags=["rules"])


class TermsPublish(VerbatimInput):
    version: str = Field(min_length=1, max_length=32)
    text_ja: str = Field(min_length=1, max_length=200_000)
    text_en: str = Field(min_length=1, max_length=200_000)


@router.post("/v1/admin/terms", status_code=status.HTTP_201_CREATED)
def publish_terms(ctx: ContextDep, staff: Operator, body: TermsPublish) -> dict[str, Any]:
    """Publish a new terms version: provision of each person's data pauses (rule
    ``terms.current``) until they agree to it; everyone is notified."""
    published = terms.publish(ctx, staff.id, body.version, body.text_ja, body.text_en)
    return {"version": published.version, "published_at": published.published_at}
