"""Gather the facts a policy decision needs from the database (one place, so the decision at
build time and the decision at fetch time see the same kind of picture)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from infobank.domain.consents import Consent
from infobank.domain.identity import PrincipalKind
from infobank.domain.offers import Offer
from infobank.domain.policy import (
    Certification,
    ConsentFacts,
    DelegationRule,
    Facts,
    OfferFacts,
    PersonFacts,
    RecipientFacts,
    ReviewConditions,
)
from infobank.domain.reviews import Review, approval_ends, report_due
from infobank.services import exceptions, terms
from infobank.services.context import Context
from infobank.services.ports.unit_of_work import UnitOfWork
from infobank.services.shared_facts import SharedFacts

__all__ = ["delegation_rules", "gather", "review_conditions"]


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def delegation_rules(raw: list[dict[str, Any]]) -> tuple[DelegationRule, ...]:
    return tuple(
        DelegationRule(
            categories=frozenset(rule.get("categories") or ()),
            purposes=frozenset(rule.get("purposes") or ()),
            industries=frozenset(rule.get("industries") or ()),
            min_benefit_points=int(rule.get("min_benefit_points") or 0),
            allow_profiling=bool(rule.get("allow_profiling")),
            max_retention_days=int(rule.get("max_retention_days") or 0),
        )
        for rule in raw
    )


def _consent_facts(consent: Consent) -> ConsentFacts:
    art = consent.artefact
    data_range = art.get("data_range") or {}
    parse = datetime.fromisoformat
    return ConsentFacts(
        id=consent.id,
        status=consent.status,
        mode=consent.mode,
        recipient_id=consent.recipient_id,
        offer_id=consent.offer_id,
        purpose_code=art["purpose"]["code"],
        categories=frozenset(art["categories"]),
        start=consent.start,
        expiry=consent.expiry,
        data_range_from=parse(data_range["from"]) if data_range.get("from") else None,
        data_range_to=parse(data_range["to"]) if data_range.get("to") else None,
        reprovision_parties=frozenset((art.get("reprovision") or {}).get("parties") or ()),
        profiling=bool(art.get("profiling")),
        profiling_infers=frozenset(
            str(item.get("code")) for item in art.get("profiling_infers") or ()
        ),
        justification=art["purpose"].get("justification"),
        terms_version=art.get("terms_version", ""),
    )


def review_conditions(review: Review) -> ReviewConditions:
    """The conditions of an approval as the rules check them (審査会の条件)."""
    c = review.conditions
    return ReviewConditions(
        max_retention_days=c.max_retention_days,
        profiling_allowed=c.profiling_allowed,
        age_min=c.target_age_min,
        age_max=c.target_age_max,
        prefectures=frozenset(c.target_prefectures),
        capacity_max=c.capacity_max,
        valid_until=approval_ends(review),
        report_due=report_due(review),
    )


def _report_filed(uow: UnitOfWork, review: Review) -> bool:
    """Whether the recipient filed a usage report since ``review`` (only asked when due)."""
    if review.conditions.report_after_days is None or review.decided_at is None:
        return False
    last = uow.usage_reports.last_filed_at(review.offer_id)
    return last is not None and last >= review.decided_at


def _shared(ctx: Context, uow: UnitOfWork, offer: Offer) -> SharedFacts:
    """The facts every decision about ``offer`` shares, from the cache while the policy
    version holds (read first, so what is read after it is at least as new)."""
    version = uow.policy.version()
    cached = ctx.shared_facts.get(offer.id, version)
    if cached is not None and cached.recipient.id == offer.recipient_id:
        return cached
    recipient = uow.businesses.get(PrincipalKind.RECIPIENT, offer.recipient_id)
    certs = uow.businesses.certifications(offer.recipient_id)
    reviews = uow.reviews.for_offer(offer.id)
    approval = reviews[-1] if reviews and reviews[-1].decision == "approve" else None
    shared = SharedFacts(
        version=version,
        recipient=RecipientFacts(
            id=offer.recipient_id,
            suspended=recipient is None or recipient.suspended_at is not None,
            certifications=tuple(
                Certification(
                    kind=c.kind,
                    number=c.number,
                    valid_from=_day_start(c.valid_from),
                    # a certificate is valid through the whole of its last day
                    valid_until=_day_start(c.valid_until) + timedelta(days=1),
                )
                for c in certs
            ),
            joint_application=uow.mynaportal.joint_entries(offer.recipient_id),
            exceptions=exceptions.in_force(uow, offer.recipient_id),
        ),
        review_approved=approval is not None,
        industry=recipient.industry if recipient else "",
        current_terms_version=terms.current(ctx, uow).version,
        conditions=review_conditions(approval) if approval else ReviewConditions(),
        report_filed=approval is not None and _report_filed(uow, approval),
    )
    ctx.shared_facts.put(offer.id, shared)
    return shared


def gather(
    ctx: Context,
    uow: UnitOfWork,
    person_id: str,
    offer: Offer,
    consent: Consent | None,
    record_origins: frozenset[str] | None = None,
) -> Facts:
    """``record_origins``: how the records in play were acquired; when not given, those of the
    person's records in the offer's categories (so Mynaportal-derived data is always seen).

    What does not depend on the person comes from ``_shared`` (cached while the policy
    version holds); the person's terms, delegation rules and record origins are read each
    time, and so is what only some of the board's conditions need: the person's birth date and
    prefecture (target limits) and the consents given under the offer (``capacity_max``)."""
    if record_origins is None:
        record_origins = uow.mynaportal.record_origins(person_id, offer.categories)
    shared = _shared(ctx, uow, offer)
    agreed = uow.persons.terms_version(person_id) if person_id else None
    purpose = ctx.purposes.get(offer.purpose_code)
    limits = shared.conditions
    account = None
    if person_id and (
        limits.age_min is not None or limits.age_max is not None or limits.prefectures
    ):
        account = uow.persons.get(person_id)
    given = uow.consents.count_for_offer(offer.id) if limits.capacity_max is not None else 0
    return Facts(
        person=PersonFacts(
            id=person_id,
            agreed_terms_version=agreed,
            delegation_rules=delegation_rules(uow.consents.delegation(person_id))
            if person_id
            else (),
            birth_date=account.birth_date if account else None,
            prefecture=account.prefecture if account else None,
        ),
        recipient=shared.recipient,
        offer=OfferFacts(
            id=offer.id,
            recipient_id=offer.recipient_id,
            status=offer.status,
            review_approved=shared.review_approved,
            purpose_code=offer.purpose_code,
            categories=frozenset(offer.categories),
            profiling=offer.profiling,
            profiling_infers=frozenset(offer.profiling_infers),
            retention_days=offer.retention_days,
            consent_duration_days=offer.consent_duration_days,
            fetch_mode=offer.fetch_mode,
            industry=shared.industry,
            benefit_points=offer.benefit_points,
            reprovision_parties=frozenset(offer.reprovision_parties),
            justification=offer.justification,
            data_range_days=offer.data_range_days,
            conditions=limits,
            target_age_min=offer.target.age_min,
            target_age_max=offer.target.age_max,
            target_prefectures=frozenset(offer.target.prefectures),
            consents=given,
            report_filed=shared.report_filed,
        ),
        consent=_consent_facts(consent) if consent else None,
        sensitivity=ctx.catalogue.sensitivity_map(),
        guardrails=purpose.guardrails if purpose else None,
        current_terms_version=shared.current_terms_version,
        record_origins=record_origins,
        inference_sensitivity=ctx.inferences.sensitivity_map(),
    )
