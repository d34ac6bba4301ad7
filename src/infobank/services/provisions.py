"""Where a person's data is now (提供状況): per recipient and consent, what was provided,
when, and whether deletion was confirmed."""

from __future__ import annotations

from typing import Any

from infobank.domain.consents import Consent
from infobank.domain.identity import PrincipalKind
from infobank.domain.pages import Page, PageRequest
from infobank.domain.policy import Action
from infobank.services.context import Context
from infobank.services.ports.unit_of_work import UnitOfWork
from infobank.services.refusals import held_back

__all__ = ["provisions", "provisions_page"]


def provisions(ctx: Context, person_id: str) -> list[dict[str, Any]]:
    """Every consent of the person with what it provided, oldest first."""
    with ctx.read() as uow:
        return [_provision(ctx, uow, person_id, c) for c in uow.consents.for_person(person_id)]


def provisions_page(ctx: Context, person_id: str, request: PageRequest) -> Page[dict[str, Any]]:
    """One page of them, newest consent first."""
    with ctx.read() as uow:
        page = uow.consents.page_for_person(person_id, request)
        return page.map(lambda consent: _provision(ctx, uow, person_id, consent))


def _provision(ctx: Context, uow: UnitOfWork, person_id: str, consent: Consent) -> dict[str, Any]:
    recipient = uow.businesses.get(PrincipalKind.RECIPIENT, consent.recipient_id)
    sent = uow.deliveries.for_consent(consent.id)
    delivered = [d for d in sent if d.status in ("fetched", "acknowledged")]
    revocation = uow.revocations.for_consent(consent.id)
    return {
        "consent_id": consent.id,
        "recipient": {
            "id": consent.recipient_id,
            "name": recipient.name if recipient else "",
        },
        "categories": consent.artefact["categories"],
        "purpose": consent.artefact["purpose"],
        "mode": consent.mode,
        "status": consent.status,
        "since": consent.start,
        "expiry": consent.expiry,
        "use_count": consent.use_count,
        "log_index": consent.log_index,
        "deliveries": [
            {
                "id": d.id,
                "status": d.status,
                "record_count": d.record_count,
                "created_at": d.created_at,
                "fetched_at": d.fetched_at,
                "acknowledged_at": d.acknowledged_at,
                "log_index": d.log_index,
            }
            for d in sent
        ],
        "first_delivery_at": min((d.fetched_at for d in delivered if d.fetched_at), default=None),
        "last_delivery_at": consent.last_used_at,
        # why an active consent provides nothing at the moment, rule by rule
        "held_back": held_back(
            ctx,
            uow,
            person_id,
            uow.offers.get(consent.offer_id),
            consent,
            Action.PROVIDE,
        )
        if consent.status == "active"
        else [],
        "deletion": None
        if revocation is None
        else {
            "requested_at": revocation.created_at,
            "confirmed_at": revocation.acknowledged_at,
            "method": revocation.ack_method,
        },
    }
