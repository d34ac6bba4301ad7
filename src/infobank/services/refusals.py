"""Turn a refusing ``Decision`` into the error entry points show (problem ``reasons``)."""

from __future__ import annotations

from infobank.domain.errors import PolicyRefused, RefusalReason
from infobank.domain.policy import Decision

__all__ = ["refusal"]

_CODES = {
    "recipient.certified": "recipient_uncertified",
    "recipient.standing": "recipient_suspended",
    "consent.status": "consent_inactive",
}


def refusal(decision: Decision, detail: str) -> PolicyRefused:
    reasons = [
        RefusalReason(rule=r.rule, message=r.message_ja, message_en=r.message_en, clause=r.clause)
        for r in decision.reasons
        if r.refuses
    ]
    code = _CODES.get(decision.rules[0] if decision.rules else "", "policy_refused")
    return PolicyRefused(detail, reasons=reasons, code=code)
