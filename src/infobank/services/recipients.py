"""A recipient's own settings: its encryption key (JWK) and its webhook URL."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from infobank.domain.errors import InvalidInput
from infobank.services.context import Context

__all__ = ["set_key", "set_webhook"]


def set_key(ctx: Context, recipient_id: str, jwk: dict[str, Any]) -> dict[str, Any]:
    """Register the public key deliveries are encrypted to (EC P-256 or OKP X25519)."""
    try:
        normalised = ctx.sealer.validate_recipient_key(jwk)
    except ValueError as exc:
        raise InvalidInput(str(exc), code="invalid_jwk") from exc
    with ctx.uow() as uow:
        uow.endpoints.set(recipient_id, ctx.clock.now(), jwk=normalised)
        uow.commit()
    return normalised


def set_webhook(ctx: Context, recipient_id: str, url: str | None) -> str | None:
    """Where signed revocation notices are POSTed (http(s) only; None removes it)."""
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InvalidInput("the webhook must be an http(s) URL", code="invalid_url")
    with ctx.uow() as uow:
        uow.endpoints.set(recipient_id, ctx.clock.now(), webhook_url=url)
        uow.commit()
    return url
