"""The operator's hand in the transparency log (透明性ログ): signing a tree head now."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from infobank.entrypoints.api.deps import ContextDep, Operator
from infobank.entrypoints.api.public.log import head_public
from infobank.services import log_heads

router = APIRouter(tags=["transparency log"])


@router.post("/v1/admin/log/heads", tags=["staff"])
def sign_head(ctx: ContextDep, _operator: Operator) -> dict[str, Any]:
    """Sign a tree head at the current size now (the latest one if the log has not grown)."""
    return head_public(log_heads.sign_head(ctx))
