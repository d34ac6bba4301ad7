"""The person's consents (同意): listing and reading them with their signed artefacts and
receipts, stopping (提供停止), pausing and resuming one, and stopping all at once."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from infobank.domain.consents import Consent, receipt_for
from infobank.entrypoints.api.deps import ContextDep, CurrentPerson
from infobank.entrypoints.api.listing import Listing, PageDep, listing
from infobank.services import consents

router = APIRouter(tags=["persons"])


def consent_public(consent: Consent) -> dict[str, Any]:
    return {
        "id": consent.id,
        "offer_id": consent.offer_id,
        "recipient_id": consent.recipient_id,
        "mode": consent.mode,
        "status": consent.status,
        "categories": consent.artefact["categories"],
        "purpose": consent.artefact["purpose"],
        "start": consent.start,
        "expiry": consent.expiry,
        "use_count": consent.use_count,
        "last_used_at": consent.last_used_at,
        "status_changed_at": consent.status_changed_at,
        "log_index": consent.log_index,
    }


@router.get("/v1/me/consents")
def list_consents(ctx: ContextDep, person: CurrentPerson, page: PageDep) -> Listing[dict[str, Any]]:
    """The person's consents with status, newest first."""
    return listing(consents.consents_page(ctx, person.id, page), consent_public)


@router.get("/v1/me/consents/{consent_id}")
def get_consent(ctx: ContextDep, person: CurrentPerson, consent_id: str) -> dict[str, Any]:
    """One consent with its signed artefact (JWS), its receipt and its status history."""
    consent, events, recipient_name = consents.get_consent(ctx, person.id, consent_id)
    receipt = receipt_for(consent.artefact, recipient_name, ctx.base_url)
    receipt["log_index"] = consent.log_index
    return {
        **consent_public(consent),
        "artefact": consent.jws,
        "artefact_claims": consent.artefact,
        "receipt": receipt,
        "history": [
            {"status": kind, "actor": actor, "at": at, "log_index": index}
            for kind, actor, at, index in events
        ],
    }


def _change(ctx: ContextDep, person_id: str, consent_id: str, action: str) -> dict[str, Any]:
    return consent_public(consents.change_status(ctx, person_id, consent_id, action))


@router.post("/v1/me/consents/{consent_id}/revoke")
def revoke(ctx: ContextDep, person: CurrentPerson, consent_id: str) -> dict[str, Any]:
    """Stop this provision now (提供停止): pending packages are withdrawn at once."""
    return _change(ctx, person.id, consent_id, "revoke")


@router.post("/v1/me/consents/{consent_id}/pause")
def pause(ctx: ContextDep, person: CurrentPerson, consent_id: str) -> dict[str, Any]:
    """Pause provision under this consent until resumed."""
    return _change(ctx, person.id, consent_id, "pause")


@router.post("/v1/me/consents/{consent_id}/resume")
def resume(ctx: ContextDep, person: CurrentPerson, consent_id: str) -> dict[str, Any]:
    """Resume a paused consent."""
    return _change(ctx, person.id, consent_id, "resume")


@router.post("/v1/me/stop-all")
def stop_all(ctx: ContextDep, person: CurrentPerson) -> dict[str, int]:
    """Revoke every consent at once."""
    return {"revoked": consents.stop_all(ctx, person.id)}
