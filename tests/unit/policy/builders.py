"""Tiny builders for a request and facts that every rule pack allows, so a test changes one thing.

``AT`` is the moment of every decision; the consent, the certificate and the exception (when a
test adds one) are valid around it. ``request(action)`` asks for exactly what the offer covers.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from infobank.domain.policy import (
    Action,
    Certification,
    ConsentFacts,
    ConsentMode,
    ConsentStatus,
    DelegationRule,
    Facts,
    FetchMode,
    JointApplicationEntry,
    OfferFacts,
    OfferStatus,
    PersonFacts,
    PurposeGuardrails,
    RecipientException,
    RecipientFacts,
    Request,
    Sensitivity,
)

AT = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
TERMS = "2025-04"
PURPOSE = "marketing.personalised"
RECIPIENT = "rcp-1"
OFFER = "off-1"
CATEGORIES = frozenset({"profile.basic", "purchase.history"})
HEALTH_CATEGORIES = frozenset({"health.checkup", "health.medication"})

SENSITIVITY: dict[str, Sensitivity] = {
    "profile.basic": Sensitivity.GENERAL,
    "purchase.history": Sensitivity.GENERAL,
    "lifelog.sleep": Sensitivity.GENERAL,
    "health.checkup": Sensitivity.HEALTH_CHECKUP,
    "health.medication": Sensitivity.HEALTH_CHECKUP,
    "health.diagnosis": Sensitivity.SENSITIVE,
    "creed": Sensitivity.SENSITIVE,
}
# The inference catalogue: what profiling may infer (a small part of infobank/data's).
INFERENCES: dict[str, Sensitivity] = {
    "interests": Sensitivity.GENERAL,
    "income.level": Sensitivity.GENERAL,
    "health.condition": Sensitivity.SENSITIVE,
    "creed": Sensitivity.SENSITIVE,
}


def certificate(**changes: Any) -> Certification:
    base = Certification("pmark", "P-12345", AT - 365 * DAY, AT + 365 * DAY)
    return replace(base, **changes)


def exception(**changes: Any) -> RecipientException:
    base = RecipientException("public_research", True, AT + 90 * DAY)
    return replace(base, **changes)


def joint_entry(**changes: Any) -> JointApplicationEntry:
    base = JointApplicationEntry(PURPOSE, CATEGORIES | HEALTH_CATEGORIES, True, False)
    return replace(base, **changes)


def recipient(**changes: Any) -> RecipientFacts:
    return replace(RecipientFacts(id=RECIPIENT, certifications=(certificate(),)), **changes)


def offer(**changes: Any) -> OfferFacts:
    base = OfferFacts(
        id=OFFER,
        recipient_id=RECIPIENT,
        status=OfferStatus.OPEN,
        review_approved=True,
        purpose_code=PURPOSE,
        categories=CATEGORIES,
        profiling=False,
        retention_days=180,
        consent_duration_days=365,
        fetch_mode=FetchMode.PERIODIC,
        industry="retail",
        benefit_points=500,
        data_range_days=90,
    )
    return replace(base, **changes)


def consent(**changes: Any) -> ConsentFacts:
    base = ConsentFacts(
        id="cns-1",
        status=ConsentStatus.ACTIVE,
        mode=ConsentMode.EXPLICIT,
        recipient_id=RECIPIENT,
        offer_id=OFFER,
        purpose_code=PURPOSE,
        categories=CATEGORIES,
        start=AT - 30 * DAY,
        expiry=AT + 335 * DAY,
        data_range_from=AT - 120 * DAY,
        data_range_to=None,
        terms_version=TERMS,
    )
    return replace(base, **changes)


def delegation_rule(**changes: Any) -> DelegationRule:
    base = DelegationRule(
        categories=CATEGORIES,
        purposes=frozenset({PURPOSE}),
        industries=frozenset({"retail"}),
        min_benefit_points=100,
        allow_profiling=False,
        max_retention_days=365,
    )
    return replace(base, **changes)


def person(**changes: Any) -> PersonFacts:
    base = PersonFacts(
        id="psn-1", agreed_terms_version=TERMS, delegation_rules=(delegation_rule(),)
    )
    return replace(base, **changes)


def guardrails(**changes: Any) -> PurposeGuardrails:
    base = PurposeGuardrails(
        code=PURPOSE,
        max_consent_days=365,
        max_data_range_days=365,
        max_retention_days=365,
        allowed_fetch_modes=frozenset({FetchMode.ONE_TIME, FetchMode.PERIODIC}),
    )
    return replace(base, **changes)


def facts(**changes: Any) -> Facts:
    base = Facts(
        person=person(),
        recipient=recipient(),
        offer=offer(),
        consent=consent(),
        sensitivity=SENSITIVITY,
        guardrails=guardrails(),
        current_terms_version=TERMS,
        record_origins=frozenset({"self", "source"}),
        inference_sensitivity=INFERENCES,
    )
    return replace(base, **changes)


def request(action: Action = Action.PROVIDE, **changes: Any) -> Request:
    base = Request(
        action=action, categories=CATEGORIES, purpose_code=PURPOSE, recipient_id=RECIPIENT
    )
    return replace(base, **changes)


def health_facts(**changes: Any) -> Facts:
    """Facts for a health_checkup provision that guideline 3.0 allows."""
    base = facts(
        offer=offer(categories=HEALTH_CATEGORIES, justification="individual_benefit"),
        consent=consent(categories=HEALTH_CATEGORIES, justification="individual_benefit"),
    )
    return replace(base, **changes)


def health_request(action: Action = Action.PROVIDE, **changes: Any) -> Request:
    return request(action, categories=HEALTH_CATEGORIES, **changes)
