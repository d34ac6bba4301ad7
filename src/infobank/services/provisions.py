"""What the person sees: where their data is now (per recipient and consent), their inbox,
their delegation rules (委任条件) and their notifications."""

from __future__ import annotations

from typing import Any

from infobank.domain.consents import Consent
from infobank.domain.errors import InvalidInput
from infobank.domain.identity import PrincipalKind
from infobank.domain.offers import Offer
from infobank.domain.policy import Action, Request, decide
from infobank.services.consents import disclosure
from infobank.services.context import Context
from infobank.services.facts import gather
from infobank.services.ports import UnitOfWork

__all__ = ["delegation", "inbox", "notifications", "provisions", "set_delegation"]


def _held_back(
    ctx: Context,
    uow: UnitOfWork,
    person_id: str,
    offer: Offer | None,
    consent: Consent | None,
    action: Action,
) -> list[dict[str, str]]:
    """The rules that would stop this step right now, so the person sees why (for instance
    ``terms.current`` until they agree to new terms)."""
    if offer is None:
        return []
    request = Request(
        action=action,
        categories=frozenset(consent.artefact["categories"] if consent else offer.categories),
        purpose_code=offer.purpose_code,
        recipient_id=offer.recipient_id,
    )
    facts = gather(ctx, uow, person_id, offer, consent)
    decision = decide(request, facts, ctx.clock.now(), ctx.guideline_version)
    return [
        {"rule": r.rule, "message": r.message_ja, "message_en": r.message_en}
        for r in decision.reasons
        if r.refuses
    ]


def provisions(ctx: Context, person_id: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    with ctx.uow() as uow:
        for consent in uow.consents.for_person(person_id):
            recipient = uow.businesses.get(PrincipalKind.RECIPIENT, consent.recipient_id)
            sent = uow.deliveries.for_consent(consent.id)
            delivered = [d for d in sent if d.status in ("fetched", "acknowledged")]
            revocation = uow.revocations.for_consent(consent.id)
            out.append(
                {
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
                    "first_delivery_at": min(
                        (d.fetched_at for d in delivered if d.fetched_at), default=None
                    ),
                    "last_delivery_at": consent.last_used_at,
                    # why an active consent provides nothing at the moment, rule by rule
                    "held_back": _held_back(
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
            )
    return out


def inbox(ctx: Context, person_id: str) -> list[dict[str, Any]]:
    with ctx.uow() as uow:
        return [
            {
                "status": invitation.status,
                "received_at": invitation.created_at,
                **disclosure(ctx, uow, offer),
                # why accepting would be refused now (empty: it can be accepted)
                "held_back": _held_back(ctx, uow, person_id, offer, None, Action.ACCEPT)
                if invitation.status == "open" and offer.status == "open"
                else [],
            }
            for invitation, offer in uow.offers.inbox(person_id)
        ]


_RULE_KEYS = {
    "categories",
    "purposes",
    "industries",
    "min_benefit_points",
    "allow_profiling",
    "max_retention_days",
}


def delegation(ctx: Context, person_id: str) -> list[dict[str, Any]]:
    with ctx.uow() as uow:
        return uow.consents.delegation(person_id)


def set_delegation(
    ctx: Context, person_id: str, rules: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Replace the person's delegation rules. Only general categories can be delegated."""
    for i, rule in enumerate(rules):
        unknown_keys = set(rule) - _RULE_KEYS
        if unknown_keys:
            raise InvalidInput(f"rule {i}: unknown fields {sorted(unknown_keys)}")
        for code in rule.get("categories") or ():
            category = ctx.catalogue.get(code)
            if category is None:
                raise InvalidInput(f"rule {i}: unknown category {code!r}", code="unknown_category")
            if category.sensitivity != "general":
                raise InvalidInput(
                    f"rule {i}: {code} is not a general category; it can only be consented "
                    "to explicitly",
                    code="delegation_not_general",
                )
    with ctx.uow() as uow:
        uow.consents.set_delegation(person_id, rules, ctx.clock.now())
        uow.commit()
    return rules


def notifications(ctx: Context, person_id: str) -> list[dict[str, Any]]:
    with ctx.uow() as uow:
        return [
            {
                "id": n.id,
                "kind": n.kind,
                "params": n.params,
                "created_at": n.created_at,
                "read_at": n.read_at,
            }
            for n in uow.notifications.for_person(person_id)
        ]
