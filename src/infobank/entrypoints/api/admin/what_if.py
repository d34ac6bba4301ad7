"""What-if analysis of a guideline version change: which decisions on current consents,
open invitations and open offers would change, and by which rules."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from infobank.entrypoints.api.bodies import VerbatimInput
from infobank.entrypoints.api.deps import ContextDep, Staff
from infobank.services import whatif

router = APIRouter(tags=["rules"])


class WhatIf(VerbatimInput):
    guideline_version: str = Field(min_length=1, max_length=8)
    offer_id: str | None = Field(default=None, max_length=64)


@router.post("/v1/admin/what-if")
def what_if(ctx: ContextDep, _staff: Staff, body: WhatIf) -> dict[str, Any]:
    """How many decisions on current consents, open invitations and open offers would change
    under ``guideline_version``, and which rules make the difference."""
    return whatif.what_if(ctx, body.guideline_version, body.offer_id)
