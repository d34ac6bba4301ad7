"""The recipient's endpoints (提供先第三者): the public key deliveries are sealed to, and
the webhook URL that receives signed revocation notices."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from infobank.entrypoints.api.bodies import Input
from infobank.entrypoints.api.deps import ContextDep, CurrentRecipient
from infobank.services import recipients

router = APIRouter(tags=["recipients"])


class JwkBody(Input):
    jwk: dict[str, Any]


class WebhookBody(Input):
    url: str | None = Field(max_length=2048)


@router.put("/v1/recipient/keys")
def put_key(ctx: ContextDep, recipient: CurrentRecipient, body: JwkBody) -> dict[str, Any]:
    """Register the public encryption key (EC P-256 or OKP X25519) for deliveries."""
    return {"jwk": recipients.set_key(ctx, recipient.id, body.jwk)}


@router.put("/v1/recipient/webhook")
def put_webhook(ctx: ContextDep, recipient: CurrentRecipient, body: WebhookBody) -> dict[str, Any]:
    """Set (or clear with null) the URL that receives signed revocation notices."""
    return {"url": recipients.set_webhook(ctx, recipient.id, body.url)}
