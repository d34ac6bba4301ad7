"""Every rule of SPEC §4, each version of its wording, in pipeline order.

``packs`` picks from ``ALL_RULES`` the wording in force at each guideline version.
"""

from __future__ import annotations

from .base import Check, Rule
from .consent import CONSENT_SCOPE, CONSENT_STATUS, CONSENT_WINDOW, TERMS_CURRENT
from .data import HEALTH_CONDITIONS, MYNAPORTAL_JOINT_APPLICATION
from .delegation import DELEGATION_SCOPE, PROFILING_DISCLOSED
from .offer import (
    OFFER_REVIEWED,
    PURPOSE_GUARDRAILS,
    REPROVISION_PROHIBITED_V1,
    REPROVISION_PROHIBITED_V2,
)
from .recipient import (
    RECIPIENT_CERTIFIED_V1,
    RECIPIENT_CERTIFIED_V2,
    RECIPIENT_EXCEPTION,
    RECIPIENT_STANDING,
)
from .sensitive import SENSITIVE_EXCLUDED_V1, SENSITIVE_EXCLUDED_V2_2, SENSITIVE_EXCLUDED_V3

__all__ = ["ALL_RULES", "PIPELINE_ORDER", "Check", "Rule"]

# Cheap, person-level checks first, then the consent, the recipient, the offer, the data.
PIPELINE_ORDER: tuple[str, ...] = (
    "terms.current",
    "consent.status",
    "consent.window",
    "consent.scope",
    "recipient.standing",
    "recipient.certified",
    "recipient.exception",
    "offer.reviewed",
    "sensitive.excluded",
    "health.conditions",
    "mynaportal.joint_application",
    "reprovision.prohibited",
    "delegation.scope",
    "profiling.disclosed",
    "purpose.guardrails",
)

ALL_RULES: tuple[Rule, ...] = (
    TERMS_CURRENT,
    CONSENT_STATUS,
    CONSENT_WINDOW,
    CONSENT_SCOPE,
    RECIPIENT_STANDING,
    RECIPIENT_CERTIFIED_V1,
    RECIPIENT_CERTIFIED_V2,
    RECIPIENT_EXCEPTION,
    OFFER_REVIEWED,
    SENSITIVE_EXCLUDED_V1,
    SENSITIVE_EXCLUDED_V2_2,
    SENSITIVE_EXCLUDED_V3,
    HEALTH_CONDITIONS,
    MYNAPORTAL_JOINT_APPLICATION,
    REPROVISION_PROHIBITED_V1,
    REPROVISION_PROHIBITED_V2,
    DELEGATION_SCOPE,
    PROFILING_DISCLOSED,
    PURPOSE_GUARDRAILS,
)
