"""Why a step is refused: turn a refusing ``Decision`` into the error entry points show
(problem ``reasons``), and list the rules that would hold a step back right now, so a person
sees why before they try (an offer in the inbox, a consent that provides nothing)."""

from __future__ import annotations

from infobank.domain.consents import Consent
from infobank.domain.errors import PolicyRefused, PolicyViolation, RefusalReason
from infobank.domain.offers import Offer
from infobank.domain.policy import Action, Decision, Request, decide
from infobank.services.context import Context
from infobank.services.facts import gather
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = ["held_back", "refusal"]


_CODES = {
    "recipient.certified": "recipient_uncertified",
    "recipient.standing": "recipient_suspended",
    "consent.status": "consent_inactive",
}


def refusal(decision: Decision, detail: str, *, violation: bool = False) -> PolicyRefused:
    """The error for a refusing decision; ``violation`` for requests that break the guideline
    in themselves (422 ``offer_refused``) rather than provisions refused now (403)."""
    reasons = [
        RefusalReason(rule=r.rule, message=r.message_ja, message_en=r.message_en, clause=r.clause)
        for r in decision.reasons
        if r.refuses
    ]
    if violation:
        return PolicyViolation(detail, reasons=reasons)
    code = _CODES.get(decision.rules[0] if decision.rules else "", "policy_refused")
    return PolicyRefused(detail, reasons=reasons, code=code)


def held_back(
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
