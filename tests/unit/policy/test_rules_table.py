"""Every rule of SPEC §4 at each guideline version where it changes.

Each case starts from the builders' "everything allowed" request and facts and changes one
thing. ``rule=None`` means the decision must allow; otherwise it must refuse and name ``rule``
with the given outcome (``deny`` unless the case says ``gap``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest

from infobank.domain.policy import (
    VERSIONS,
    Action,
    ConsentMode,
    ConsentStatus,
    Facts,
    OfferStatus,
    Outcome,
    Request,
    decide,
)

from . import builders as b

PROVIDE, DELEGATE, ACCEPT, SUBMIT = Action.PROVIDE, Action.DELEGATE, Action.ACCEPT, Action.SUBMIT
EXPLICIT, DELEGATED = ConsentMode.EXPLICIT, ConsentMode.DELEGATED
GAP = Outcome.GAP
ONWARD = frozenset({"bank-2"})
HEALTH = b.HEALTH_CATEGORIES
BEFORE_2_2 = ("1.0", "2.0", "2.1")
AFTER_2_1 = ("2.2", "3.0")
BEFORE_3_0 = ("1.0", "2.0", "2.1", "2.2")
DELEGATING, ACCEPTING, SUBMITTING = b.request(DELEGATE), b.request(ACCEPT), b.request(SUBMIT)
HEALTH_PROVIDING, HEALTH_DELEGATING = b.health_request(), b.health_request(DELEGATE)
HEALTH_ACCEPTING, HEALTH_SUBMITTING = b.health_request(ACCEPT), b.health_request(SUBMIT)


def cases(
    name: str,
    versions: str | Iterable[str],
    rule: str | None,
    req: Request | None = None,
    facts: Facts | None = None,
    at: datetime = b.AT,
    outcome: Outcome = Outcome.DENY,
) -> list[Any]:
    versions = (versions,) if isinstance(versions, str) else versions
    req, facts = req or b.request(), facts or b.facts()
    return [pytest.param(v, req, facts, at, rule, outcome, id=f"{name}@{v}") for v in versions]


def with_recipient(**changes: Any) -> Facts:
    return b.facts(recipient=b.recipient(**changes))


def with_offer(**changes: Any) -> Facts:
    return b.facts(offer=b.offer(**changes))


def with_consent(**changes: Any) -> Facts:
    return b.facts(consent=b.consent(**changes))


def with_person(**changes: Any) -> Facts:
    return b.facts(person=b.person(**changes))


def with_rule(**changes: Any) -> Facts:
    return with_person(delegation_rules=(b.delegation_rule(**changes),))


def uncertified(**changes: Any) -> Facts:
    return with_recipient(certifications=(), **changes)


def onward(mode: str = EXPLICIT, named: frozenset[str] = ONWARD, **offer: Any) -> Facts:
    return b.facts(
        offer=b.offer(reprovision_parties=offer.pop("parties", ONWARD), **offer),
        consent=b.consent(mode=mode, reprovision_parties=named),
    )


def profiling(mode: str, allow: bool) -> Facts:
    return b.facts(
        offer=b.offer(profiling=True),
        consent=b.consent(mode=mode, profiling=True),
        person=b.person(delegation_rules=(b.delegation_rule(allow_profiling=allow),)),
    )


def health_profiling(mode: str) -> Facts:
    return b.health_facts(
        offer=b.offer(categories=HEALTH, profiling=True, justification="public_interest"),
        consent=b.consent(
            categories=HEALTH, mode=mode, profiling=True, justification="public_interest"
        ),
        person=b.person(
            delegation_rules=(b.delegation_rule(categories=frozenset(), allow_profiling=True),)
        ),
    )


def inferring(
    mode: str = DELEGATED, general: bool = False, disclosed: frozenset[str] | None = None
) -> Facts:
    """An offer whose profiling infers a health condition (sensitive) beside interests, or
    with ``general`` interests and income only; the consent discloses ``disclosed`` (by
    default all), and the person's rule allows profiling."""
    infers = frozenset({"interests", "income.level" if general else "health.condition"})
    return b.facts(
        offer=b.offer(profiling=True, profiling_infers=infers),
        consent=b.consent(
            mode=mode, profiling=True, profiling_infers=infers if disclosed is None else disclosed
        ),
        person=b.person(delegation_rules=(b.delegation_rule(allow_profiling=True),)),
    )


def health_consent(**changes: Any) -> Facts:
    return b.health_facts(consent=b.consent(categories=HEALTH, **changes))


def health_offer(**changes: Any) -> Facts:
    return b.health_facts(offer=b.offer(categories=HEALTH, **changes))


def mynaportal(*entries: Any) -> Facts:
    return b.facts(
        record_origins=frozenset({"self", "mynaportal"}),
        recipient=b.recipient(joint_application=entries),
    )


CREED = frozenset({"creed"})
SUSPENDED = with_recipient(suspended=True)
EXCEPTED = uncertified(exceptions=(b.exception(),))
HEALTH_VIA_MYNAPORTAL = b.health_facts(
    record_origins=frozenset({"mynaportal"}),
    recipient=b.recipient(joint_application=(b.joint_entry(),)),
)
SPLIT_RULES = with_person(
    delegation_rules=(
        b.delegation_rule(categories=frozenset({"profile.basic"})),
        b.delegation_rule(categories=frozenset({"purchase.history"})),
    )
)
ANY_RULE = with_rule(categories=frozenset(), purposes=frozenset(), industries=frozenset())

CASES = [
    # consent.status
    *(
        case
        for status in ConsentStatus
        if status != ConsentStatus.ACTIVE
        for case in cases(
            f"consent-{status}", ("1.0", "3.0"), "consent.status", facts=with_consent(status=status)
        )
    ),
    # consent.window
    *cases("before-start", "1.0", "consent.window", at=b.AT - 31 * b.DAY),
    *cases("at-start", "1.0", None, at=b.AT - 30 * b.DAY),
    *cases("at-expiry", "3.0", "consent.window", at=b.AT + 335 * b.DAY),
    *cases("record-in-range", "3.0", None, b.request(record_observed_at=b.AT - 119 * b.DAY)),
    *cases(
        "record-before-range",
        "3.0",
        "consent.window",
        b.request(record_observed_at=b.AT - 121 * b.DAY),
    ),
    *cases(
        "record-after-range",
        "1.0",
        "consent.window",
        b.request(record_observed_at=b.AT),
        with_consent(data_range_to=b.AT - b.DAY),
    ),
    # consent.scope
    *cases("no-consent", ("1.0", "3.0"), "consent.scope", facts=b.facts(consent=None)),
    *cases("other-recipient", "3.0", "consent.scope", facts=with_consent(recipient_id="rcp-9")),
    *cases("other-purpose", "3.0", "consent.scope", facts=with_consent(purpose_code="other")),
    *cases(
        "category-not-consented",
        "1.0",
        "consent.scope",
        facts=with_consent(categories=frozenset({"profile.basic"})),
    ),
    *cases("accept-needs-no-consent", "3.0", None, ACCEPTING, b.facts(consent=None)),
    # recipient.certified and recipient.exception
    *cases("no-certificate", VERSIONS, "recipient.certified", facts=uncertified()),
    *cases(
        "certificate-expired",
        "3.0",
        "recipient.certified",
        facts=with_recipient(certifications=(b.certificate(valid_until=b.AT),)),
    ),
    *cases(
        "certificate-not-yet-valid",
        "1.0",
        "recipient.certified",
        facts=with_recipient(certifications=(b.certificate(valid_from=b.AT + b.DAY),)),
    ),
    *cases(
        "certificate-of-other-kind",
        "3.0",
        "recipient.certified",
        facts=with_recipient(certifications=(b.certificate(kind="other"),)),
    ),
    *cases("isms", "1.0", None, facts=with_recipient(certifications=(b.certificate(kind="isms"),))),
    *cases("exception", "1.0", "recipient.certified", facts=EXCEPTED),
    *cases("exception", ("2.0", "2.1", "2.2", "3.0"), None, facts=EXCEPTED),
    *cases("exception-for-delegate", "2.0", None, DELEGATING, EXCEPTED),
    *cases(
        "exception-expired",
        "2.0",
        "recipient.certified",
        facts=uncertified(exceptions=(b.exception(expires_at=b.AT),)),
    ),
    *cases(
        "exception-unapproved",
        "3.0",
        "recipient.certified",
        facts=uncertified(exceptions=(b.exception(approved=False),)),
    ),
    *cases(
        "exception-type-not-configured",
        "3.0",
        "recipient.certified",
        facts=replace(EXCEPTED, exception_types=frozenset({"other_type"})),
    ),
    *cases(
        "exception-type-configured",
        "3.0",
        None,
        facts=replace(EXCEPTED, exception_types=frozenset({"public_research"})),
    ),
    # recipient.standing: this bank's policy, at every version
    *cases("suspended", VERSIONS, "recipient.standing", facts=SUSPENDED),
    *cases("suspended-accept", VERSIONS, "recipient.standing", ACCEPTING, SUSPENDED),
    *cases("suspended-delegate", VERSIONS, "recipient.standing", DELEGATING, SUSPENDED),
    *cases("suspended-submit", VERSIONS, "recipient.standing", SUBMITTING, SUSPENDED),
    # offer.reviewed
    *cases("offer-unapproved", "1.0", "offer.reviewed", facts=with_offer(review_approved=False)),
    *(
        case
        for status in ("draft", "under_review", "rejected", "closed")
        for case in cases(
            f"offer-{status}", "3.0", "offer.reviewed", ACCEPTING, with_offer(status=status)
        )
    ),
    *cases("offer-approved", "3.0", None, facts=with_offer(status=OfferStatus.APPROVED)),
    *cases(
        "request-beyond-offer",
        "1.0",
        "offer.reviewed",
        b.request(DELEGATE, categories=b.CATEGORIES | {"lifelog.sleep"}),
    ),
    *cases(
        "consent-of-other-offer",
        "3.0",
        "offer.reviewed",
        facts=with_consent(offer_id="off-9"),
        outcome=GAP,
    ),
    *cases(
        "draft-offer-may-be-submitted",
        "3.0",
        None,
        SUBMITTING,
        with_offer(review_approved=False, status=OfferStatus.DRAFT),
    ),
    # reprovision.prohibited
    *cases("onward-named", "1.0", "reprovision.prohibited", facts=onward()),
    *cases("onward-named", ("2.0", "3.0"), None, facts=onward()),
    *cases("onward-not-named", "2.0", "reprovision.prohibited", facts=onward(named=frozenset())),
    *cases(
        "onward-partly-named",
        "3.0",
        "reprovision.prohibited",
        facts=onward(parties=ONWARD | {"bank-3"}),
    ),
    *cases("onward-delegated", "2.0", "reprovision.prohibited", facts=onward(DELEGATED)),
    *cases("onward-delegate", "3.0", "reprovision.prohibited", DELEGATING, onward()),
    *cases("onward-accept", "1.0", "reprovision.prohibited", ACCEPTING, onward()),
    *cases("onward-accept", "2.0", None, ACCEPTING, onward(named=frozenset())),
    *cases("onward-submit", "1.0", "reprovision.prohibited", SUBMITTING, onward()),
    *cases("onward-submit", "2.0", None, SUBMITTING, onward()),
    # delegation.scope
    *cases(
        "no-delegation-rules",
        "1.0",
        "delegation.scope",
        DELEGATING,
        with_person(delegation_rules=()),
    ),
    *cases(
        "delegate-other-purpose",
        "3.0",
        "delegation.scope",
        DELEGATING,
        with_rule(purposes=frozenset({"research"})),
    ),
    *cases(
        "delegate-other-industry",
        "3.0",
        "delegation.scope",
        DELEGATING,
        with_rule(industries=frozenset({"insurance"})),
    ),
    *cases(
        "delegate-category-not-covered",
        "3.0",
        "delegation.scope",
        DELEGATING,
        with_rule(categories=frozenset({"profile.basic"})),
    ),
    *cases(
        "delegate-benefit-too-low",
        "3.0",
        "delegation.scope",
        DELEGATING,
        with_offer(benefit_points=99),
    ),
    *cases(
        "delegate-retention-too-long",
        "3.0",
        "delegation.scope",
        DELEGATING,
        with_offer(retention_days=366),
    ),
    *cases("delegate-rules-not-combined", "3.0", "delegation.scope", DELEGATING, SPLIT_RULES),
    *cases("delegate-empty-sets-mean-any", "3.0", None, DELEGATING, ANY_RULE),
    *cases(
        "delegate-profiling-not-allowed",
        ("1.0", "3.0"),
        "delegation.scope",
        DELEGATING,
        with_offer(profiling=True),
    ),
    *cases(
        "delegate-profiling-allowed",
        "3.0",
        None,
        DELEGATING,
        replace(
            with_offer(profiling=True),
            person=b.person(delegation_rules=(b.delegation_rule(allow_profiling=True),)),
        ),
    ),
    *cases(
        "explicit-accept-ignores-rules", "3.0", None, ACCEPTING, with_person(delegation_rules=())
    ),
    # profiling.disclosed
    *cases("delegated-profiling-not-allowed", BEFORE_2_2, None, facts=profiling(DELEGATED, False)),
    *cases(
        "delegated-profiling-not-allowed",
        ("2.2", "3.0"),
        "profiling.disclosed",
        facts=profiling(DELEGATED, False),
    ),
    *cases("delegated-profiling-allowed", "2.2", None, facts=profiling(DELEGATED, True)),
    *cases("explicit-profiling", "2.2", None, facts=profiling(EXPLICIT, False)),
    *cases("profiling-undeclared", "2.1", None, facts=with_offer(profiling=True)),
    *cases("profiling-undeclared", "2.2", "profiling.disclosed", facts=with_offer(profiling=True)),
    *cases(
        "delegated-profiling-over-health",
        "3.0",
        "profiling.disclosed",
        HEALTH_PROVIDING,
        health_profiling(DELEGATED),
    ),
    *cases(
        "explicit-profiling-over-health", "3.0", None, HEALTH_PROVIDING, health_profiling(EXPLICIT)
    ),
    # profiling that infers 要配慮個人情報: sensitive before 2.2, explicit only from 2.2
    *cases("infers-sensitive", BEFORE_2_2, "sensitive.excluded", facts=inferring(EXPLICIT)),
    *cases("infers-sensitive-submit", BEFORE_2_2, "sensitive.excluded", SUBMITTING, inferring()),
    *cases("infers-sensitive-accept", BEFORE_2_2, "sensitive.excluded", ACCEPTING, inferring()),
    *cases("infers-sensitive", AFTER_2_1, None, facts=inferring(EXPLICIT)),
    *cases("infers-sensitive-submit", AFTER_2_1, None, SUBMITTING, inferring()),
    *cases("infers-sensitive-accept", AFTER_2_1, None, ACCEPTING, inferring()),
    *cases("infers-general-delegate", VERSIONS, None, DELEGATING, inferring(general=True)),
    *cases("infers-sensitive-delegate", AFTER_2_1, "profiling.disclosed", DELEGATING, inferring()),
    *cases("infers-sensitive-delegated", AFTER_2_1, "profiling.disclosed", facts=inferring()),
    *cases(
        "infers-sensitive-undisclosed",
        AFTER_2_1,
        "profiling.disclosed",
        facts=inferring(EXPLICIT, disclosed=frozenset({"interests"})),
    ),
    *cases(
        "infers-general-undisclosed",
        AFTER_2_1,
        "profiling.disclosed",
        facts=inferring(EXPLICIT, general=True, disclosed=frozenset()),
    ),
    *cases("infers-general-delegated", AFTER_2_1, None, facts=inferring(general=True)),
    *cases(
        "infers-uncatalogued",
        VERSIONS,
        "sensitive.excluded",
        SUBMITTING,
        b.facts(offer=b.offer(profiling=True, profiling_infers=frozenset({"palm_reading"}))),
        outcome=GAP,
    ),
    # sensitive.excluded
    *cases(
        "sensitive",
        VERSIONS,
        "sensitive.excluded",
        b.request(categories=CREED),
        b.facts(offer=b.offer(categories=CREED), consent=b.consent(categories=CREED)),
    ),
    *cases("health", BEFORE_3_0, "sensitive.excluded", HEALTH_PROVIDING, b.health_facts()),
    *cases("health", "3.0", None, HEALTH_PROVIDING, b.health_facts()),
    *cases("health-submit", "2.2", "sensitive.excluded", HEALTH_SUBMITTING, b.health_facts()),
    *cases(
        "uncatalogued-category",
        ("1.0", "3.0"),
        "sensitive.excluded",
        facts=b.facts(sensitivity={"profile.basic": "general"}),
        outcome=GAP,
    ),
    *cases(
        "uncatalogued-category-submit",
        "3.0",
        "sensitive.excluded",
        SUBMITTING,
        b.facts(sensitivity={}),
        outcome=GAP,
    ),
    # health.conditions
    *cases(
        "health-delegated-consent",
        "3.0",
        "health.conditions",
        HEALTH_PROVIDING,
        health_consent(mode=DELEGATED, justification="individual_benefit"),
    ),
    *cases(
        "health-no-justification", "3.0", "health.conditions", HEALTH_PROVIDING, health_consent()
    ),
    *cases(
        "health-unknown-justification",
        "3.0",
        "health.conditions",
        HEALTH_PROVIDING,
        health_consent(justification="curiosity"),
    ),
    *cases(
        "health-unapproved",
        "3.0",
        "health.conditions",
        HEALTH_ACCEPTING,
        health_offer(justification="public_interest", review_approved=False),
    ),
    *cases("health-delegate", "3.0", "health.conditions", HEALTH_DELEGATING, b.health_facts()),
    *cases("health-accept", "3.0", None, HEALTH_ACCEPTING, b.health_facts(consent=None)),
    *cases(
        "health-accept-unjustified", "3.0", "health.conditions", HEALTH_ACCEPTING, health_offer()
    ),
    *cases(
        "health-submit-before-review",
        "3.0",
        None,
        HEALTH_SUBMITTING,
        health_offer(justification="public_interest", review_approved=False, status="draft"),
    ),
    *cases(
        "health-submit-unjustified", "3.0", "health.conditions", HEALTH_SUBMITTING, health_offer()
    ),
    # mynaportal.joint_application
    *cases("mynaportal-unlisted", VERSIONS, "mynaportal.joint_application", facts=mynaportal()),
    *cases("mynaportal-listed", VERSIONS, None, facts=mynaportal(b.joint_entry())),
    *cases(
        "mynaportal-delegated",
        VERSIONS,
        "mynaportal.joint_application",
        facts=replace(mynaportal(b.joint_entry()), consent=b.consent(mode=DELEGATED)),
    ),
    *cases(
        "mynaportal-withdrawn",
        "3.0",
        "mynaportal.joint_application",
        facts=mynaportal(b.joint_entry(withdrawn=True)),
    ),
    *cases(
        "mynaportal-unapproved",
        "3.0",
        "mynaportal.joint_application",
        facts=mynaportal(b.joint_entry(approved=False)),
    ),
    *cases(
        "mynaportal-other-purpose",
        "3.0",
        "mynaportal.joint_application",
        facts=mynaportal(b.joint_entry(purpose_code="research")),
    ),
    *cases(
        "mynaportal-category-not-listed",
        "3.0",
        "mynaportal.joint_application",
        facts=mynaportal(b.joint_entry(categories=frozenset({"profile.basic"}))),
    ),
    *cases("mynaportal-accept", "3.0", "mynaportal.joint_application", ACCEPTING, mynaportal()),
    *cases("mynaportal-health", "3.0", None, HEALTH_PROVIDING, HEALTH_VIA_MYNAPORTAL),
    # terms.current
    *cases(
        "terms-outdated",
        ("1.0", "3.0"),
        "terms.current",
        facts=with_person(agreed_terms_version="2024-01"),
    ),
    *cases(
        "terms-never-agreed",
        "3.0",
        "terms.current",
        DELEGATING,
        with_person(agreed_terms_version=None),
    ),
    *cases(
        "terms-unconfigured",
        "3.0",
        "terms.current",
        facts=b.facts(current_terms_version=""),
        outcome=GAP,
    ),
    *cases("terms-not-for-submit", "3.0", None, SUBMITTING, with_person(agreed_terms_version=None)),
    # purpose.guardrails
    *cases(
        "no-guardrails",
        ("1.0", "3.0"),
        "purpose.guardrails",
        SUBMITTING,
        b.facts(guardrails=None),
        outcome=GAP,
    ),
    *cases(
        "guardrails-of-other-purpose",
        "3.0",
        "purpose.guardrails",
        SUBMITTING,
        b.facts(guardrails=b.guardrails(code="other")),
        outcome=GAP,
    ),
    *cases(
        "consent-too-long",
        "3.0",
        "purpose.guardrails",
        SUBMITTING,
        with_offer(consent_duration_days=366),
    ),
    *cases(
        "range-too-long", "3.0", "purpose.guardrails", SUBMITTING, with_offer(data_range_days=366)
    ),
    *cases(
        "retention-too-long",
        "1.0",
        "purpose.guardrails",
        SUBMITTING,
        with_offer(retention_days=366),
    ),
    *cases(
        "fetch-mode-not-allowed",
        "3.0",
        "purpose.guardrails",
        SUBMITTING,
        b.facts(guardrails=b.guardrails(allowed_fetch_modes=frozenset({"one_time"}))),
    ),
    *cases("range-unspecified", "3.0", None, SUBMITTING, with_offer(data_range_days=None)),
    *cases("guardrails-only-at-submission", "3.0", None, facts=b.facts(guardrails=None)),
]


@pytest.mark.parametrize(("version", "request_", "facts", "at", "rule", "outcome"), CASES)
def test_rule_table(
    version: str,
    request_: Request,
    facts: Facts,
    at: datetime,
    rule: str | None,
    outcome: Outcome,
) -> None:
    decision = decide(request_, facts, at, version)

    assert decision.version == version
    if rule is None:
        assert decision.allowed, decision.reasons
        assert decision.rules == ()
    else:
        assert not decision.allowed
        assert rule in decision.rules, decision.reasons
        assert any(r.rule == rule and r.outcome is outcome for r in decision.reasons)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("action", list(Action))
def test_the_builders_facts_are_allowed_for_every_action_and_version(
    version: str, action: Action
) -> None:
    decision = decide(b.request(action), b.facts(), b.AT, version)

    assert decision.allowed
    assert decision.reasons == ()
