"""Exactly what a person is shown about an offer before consenting (開示); its digest goes
into the consent."""

from __future__ import annotations

from typing import Any

from infobank.domain.identity import PrincipalKind
from infobank.domain.offers import Offer
from infobank.services import joint_applications
from infobank.services.context import Context
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = ["disclosure"]


def disclosure(ctx: Context, uow: UnitOfWork, offer: Offer) -> dict[str, Any]:
    """Exactly what a person is shown about an offer (its digest goes into the consent)."""
    recipient = uow.businesses.get(PrincipalKind.RECIPIENT, offer.recipient_id)
    certs = uow.businesses.certifications(offer.recipient_id)
    purpose = ctx.purposes.get(offer.purpose_code)
    return {
        "offer": offer.id,
        "title": offer.title,
        "recipient": {
            "id": offer.recipient_id,
            "name": recipient.name if recipient else "",
            "industry": recipient.industry if recipient else "",
            "certifications": [
                {"kind": c.kind, "number": c.number, "valid_until": c.valid_until.isoformat()}
                for c in certs
            ],
        },
        "purpose": {
            "code": offer.purpose_code,
            "name_ja": purpose.name_ja if purpose else "",
            "name_en": purpose.name_en if purpose else "",
            "text": offer.purpose_text,
            "justification": offer.justification,
        },
        "categories": [
            {"code": code, "name_ja": c.name_ja, "name_en": c.name_en, "sensitivity": c.sensitivity}
            for code in offer.categories
            if (c := ctx.catalogue.get(code)) is not None
        ],
        "benefit": {"points": offer.benefit_points},
        "retention_days": offer.retention_days,
        "consent_duration_days": offer.consent_duration_days,
        "starts_at": offer.starts_at.isoformat().replace("+00:00", "Z")
        if offer.starts_at
        else None,
        "fetch": {"mode": offer.fetch_mode, "every_days": offer.fetch_every_days},
        "profiling": offer.profiling,
        # what the profiling infers, named; sensitive ones (要配慮個人情報) are flagged
        "profiling_infers": ctx.inferences.described(offer.profiling_infers),
        "reprovision": {"parties": list(offer.reprovision_parties)},
        "mynaportal": joint_applications.disclosure(uow, offer),  # origin and 連名申請 approval
    }
