"""Health and keys: liveness with database reachability, and the bank's public signing
keys (JWK Set)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from infobank.entrypoints.api.deps import ContextDep

router = APIRouter(tags=["public"])


@router.get("/healthz")
def healthz(ctx: ContextDep) -> dict[str, str]:
    """Liveness and database reachability (one trivial query: cheap at any size)."""
    with ctx.read() as uow:
        uow.ping()
    return {"status": "ok", "guideline_version": ctx.guideline_version}


@router.get("/.well-known/jwks.json")
def jwks(ctx: ContextDep) -> dict[str, Any]:
    """The bank's public signing keys (JWK Set)."""
    return ctx.signer.jwks()
