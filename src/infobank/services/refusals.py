"""Turn a refusing ``Decision`` into the error entry points show (problem ``reasons``)."""

from __future__ import annotations

from infobank.domain.errors import PolicyRefused, PolicyViolation, RefusalReason
from infobank.domain.policy import Decision

__all__ = ["refusal"]

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
