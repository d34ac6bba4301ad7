"""Moving banks (情報銀行間連携) as other banks see it: this bank's transfer key, the banks
it exchanges with, and receiving a person's bundle from another bank."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status
from pydantic import Field

from infobank.entrypoints.api.bodies import Input
from infobank.entrypoints.api.deps import BankDep, ContextDep, PeerDep
from infobank.services import transfers

router = APIRouter()


class BundleIn(Input):
    bundle: str = Field(min_length=10, description="compact JWE (signed, then encrypted)")
    issuer: str = Field(
        min_length=8,
        max_length=2048,
        description="the sending bank's base URL; its keys are fetched from it, and it must be "
        "one of this bank's peers",
    )


@router.get("/v1/bank/transfer-key", tags=["public"])
def transfer_key(bank: BankDep) -> dict[str, Any]:
    """This bank's public key for bundles sent to it by other banks (X25519, use ``enc``)."""
    return {"issuer": bank.context.base_url.rstrip("/"), "jwk": bank.transfer_key.public_jwk()}


@router.get("/v1/bank/peers", tags=["public"])
def peers(ctx: ContextDep) -> dict[str, Any]:
    """The other information banks this bank exchanges persons' data with."""
    return {"peers": sorted(p.rstrip("/") for p in ctx.limits.peer_banks)}


@router.post("/v1/transfers", status_code=status.HTTP_201_CREATED, tags=["banks"])
def receive(bank: BankDep, peer: PeerDep, body: BundleIn) -> dict[str, Any]:
    """Another bank hands over a person's bundle; it is held, encrypted, until the person
    confirms it here (``POST /v1/me/transfers/{id}/confirm``)."""
    held = transfers.receive(bank.context, bank.transfer_key, body.bundle, body.issuer, peer)
    return {"id": held.id, "status": held.status, "expires_at": held.expires_at}
