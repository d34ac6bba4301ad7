"""Why a step is refused: turn a refusing ``Decision`` into the error entry points show
(problem ``reasons``), list the rules that would hold a step back right now, so a person
sees why before they try (an offer in the inbox, a consent that provides nothing), and say
when the recipient itself is refused, or the ethics board's approval does not hold, so that
opening an offer asks nobody in vain."""

from __future__ import annotations

from datetime import datetime

from infobank.domain.consents import Consent
from infobank.domain.errors import PolicyRefused, PolicyViolation, RefusalReason
from infobank.domain.offers import Offer
from infobank.domain.policy import Action, Decision, Facts, Request, decide
from infobank.services.context import Context
from infobank.services.facts import gather
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = ["RECIPIENT_RULES", "held_back", "recipient_refusals", "refusal", "review_refusal"]


_CODES = {
    "recipient.certified": "recipient_uncertified",
    "recipient.standing": "recipient_suspended",
    "consent.status": "consent_inactive",
}


def refusal(decision: Decision, detail: str, *, violation: bool = False) -> PolicyRefused:
    """The error for a refusing decision; ``violation`` for requests that break the guideline
    in themselves (422 ``offer_refused``) rather than provisions refused now (403)."""
    reasons = [
        RefusalReason(
            rule=r.rule,
            message=r.message_ja,
            message_en=r.message_en,
            source=r.source.value,
            basis_ja=r.basis_ja,
            basis_en=r.basis_en,
        )
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
        {
            "rule": r.rule,
            "outcome": r.outcome.value,  # deny, or gap: a fact or setting the bank lacks
            "message": r.message_ja,
            "message_en": r.message_en,
            "source": r.source.value,
            "basis_ja": r.basis_ja,
            "basis_en": r.basis_en,
        }
        for r in decision.reasons
        if r.refuses
    ]


# The rules that judge the recipient (提供先) alone: when one refuses, it refuses every person
# alike, whether they would accept themselves or the bank would consent for them (委任).
RECIPIENT_RULES = frozenset({"recipient.certified", "recipient.standing"})
_CERTIFICATES = frozenset({"pmark", "isms"})


def recipient_refusals(
    ctx: Context, uow: UnitOfWork, offer: Offer, at: datetime
) -> tuple[str, ...]:
    """Why nobody at all may be asked about ``offer`` at ``at``, as reason codes:
    ``recipient_suspended``, ``certificate_expired`` (a Privacy Mark or ISMS certificate it
    held has lapsed) or ``recipient_uncertified``; empty when persons may be asked.

    Decided once on the facts every person of the offer shares (``gather`` without a person,
    cached while the policy version holds): a recipient-level rule counts only if it refuses
    both accepting and delegated consent. Person-level reasons are left to each person's
    inbox. ``recipient.standing`` (this bank's policy) is in force at every guideline
    version, so a suspended recipient is refused at each."""
    facts = gather(ctx, uow, "", offer, None, frozenset())
    refused: set[str] | None = None
    for action in (Action.ACCEPT, Action.DELEGATE):
        request = Request(
            action=action,
            categories=frozenset(offer.categories),
            purpose_code=offer.purpose_code,
            recipient_id=offer.recipient_id,
        )
        decision = decide(request, facts, at, ctx.guideline_version)
        rules = {r.rule for r in decision.reasons if r.refuses and r.rule in RECIPIENT_RULES}
        refused = rules if refused is None else refused & rules
    refused = refused or set()
    recipient = facts.recipient
    codes = []
    if "recipient.standing" in refused:
        codes.append("recipient_suspended")
    if "recipient.certified" in refused:
        lapsed = any(
            c.kind in _CERTIFICATES and c.valid_until <= at for c in recipient.certifications
        )
        codes.append("certificate_expired" if lapsed else "recipient_uncertified")
    return tuple(codes)


def review_refusal(ctx: Context, facts: Facts, offer: Offer, at: datetime) -> Decision | None:
    """``offer.reviewed`` on the facts every person of ``offer`` shares (``gather`` without a
    person): a refusal with its reasons when the ethics board's approval is not in force or
    the offer itself breaks a condition the board set (retention, profiling, target, a
    capacity already reached); None when the board's side holds."""
    request = Request(
        action=Action.ACCEPT,
        categories=frozenset(offer.categories),
        purpose_code=offer.purpose_code,
        recipient_id=offer.recipient_id,
    )
    decision = decide(request, facts, at, ctx.guideline_version)
    reasons = tuple(r for r in decision.reasons if r.refuses and r.rule == "offer.reviewed")
    return Decision(False, reasons, decision.version) if reasons else None
