"""One of the person's consents (同意): its page with the history and the provision, the
signed artefact (署名付き同意書) and the receipt (同意の記録) as files, and pausing, resuming
or revoking it."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends
from starlette.responses import Response

from infobank.domain.consents import receipt_for
from infobank.entrypoints.web.deps import PageRoute, PersonVisit, Visit, csrf_guard
from infobank.entrypoints.web.templating import attachment
from infobank.services import consents, provisions

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])


@router.get("/consents/{consent_id}")
def consent_page(visit: PersonVisit, consent_id: str) -> Response:
    consent, events, recipient_name = consents.get_consent(
        visit.ctx, visit.principal_id, consent_id
    )
    provision = next(
        (
            p
            for p in provisions.provisions(visit.ctx, visit.principal_id)
            if p["consent_id"] == consent.id
        ),
        None,
    )
    return visit.render(
        "consent.html",
        consent=consent,
        events=events,
        recipient_name=recipient_name,
        receipt=receipt_for(consent.artefact, recipient_name, visit.ctx.base_url),
        provision=provision,
    )


@router.get("/consents/{consent_id}/artefact")
def consent_artefact(visit: PersonVisit, consent_id: str) -> Response:
    """The signed consent artefact (JWS compact serialisation), as a file."""
    consent, _, _ = consents.get_consent(visit.ctx, visit.principal_id, consent_id)
    return attachment(consent.jws, f"consent-{consent.id}.jws", "application/jose")


@router.get("/consents/{consent_id}/receipt")
def consent_receipt(visit: PersonVisit, consent_id: str) -> Response:
    """The ISO/IEC TS 27560 consent receipt, as a JSON file."""
    consent, _, name = consents.get_consent(visit.ctx, visit.principal_id, consent_id)
    receipt = receipt_for(consent.artefact, name, visit.ctx.base_url)
    receipt["log_index"] = consent.log_index
    body = json.dumps(receipt, ensure_ascii=False, indent=2)
    return attachment(body, f"receipt-{consent.id}.json", "application/json")


def _change(visit: Visit, consent_id: str, action: str, msg: str) -> Response:
    consents.change_status(visit.ctx, visit.principal_id, consent_id, action)
    return visit.redirect(f"/consents/{consent_id}", msg)


@router.post("/consents/{consent_id}/pause")
def pause(visit: PersonVisit, consent_id: str) -> Response:
    return _change(visit, consent_id, "pause", "consent_paused")


@router.post("/consents/{consent_id}/resume")
def resume(visit: PersonVisit, consent_id: str) -> Response:
    return _change(visit, consent_id, "resume", "consent_resumed")


@router.post("/consents/{consent_id}/revoke")
def revoke(visit: PersonVisit, consent_id: str) -> Response:
    return _change(visit, consent_id, "revoke", "consent_revoked")
