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
)
from infobank.services import exceptions, terms
from infobank.services.context import Context
from infobank.services.ports.unit_of_work import UnitOfWork
from infobank.services.shared_facts import SharedFacts

__all__ = ["delegation_rules", "gather"]


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


def _shared(ctx: Context, uow: UnitOfWork, offer: Offer) -> SharedFacts:
    """The facts every decision about ``offer`` shares, from the cache while the policy
    version holds (read first, so what is read after it is at least as new)."""
    version = uow.policy.version()
    cached = ctx.shared_facts.get(offer.id, version)
    if cached is not None and cached.recipient.id == offer.recipient_id:
        return cached
    recipient = uow.businesses.get(PrincipalKind.RECIPIENT, offer.recipient_id)
    certs = uow.businesses.certifications(offer.recipient_id)
    reviews = uow.offers.reviews(offer.id)
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
        review_approved=bool(reviews) and reviews[-1].decision == "approve",
        industry=recipient.industry if recipient else "",
        current_terms_version=terms.current(ctx, uow).version,
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
    time."""
    if record_origins is None:
        record_origins = uow.mynaportal.record_origins(person_id, offer.categories)
    shared = _shared(ctx, uow, offer)
    agreed = uow.persons.terms_version(person_id) if person_id else None
    purpose = ctx.purposes.get(offer.purpose_code)
    return Facts(
        person=PersonFacts(
            id=person_id,
            agreed_terms_version=agreed,
            delegation_rules=delegation_rules(uow.consents.delegation(person_id))
            if person_id
            else (),
        ),
        recipient=shared.recipient,
        offer=OfferFacts(
            id=offer.id,
            recipient_id=offer.recipient_id,
            status=offer.status,
            review_approved=shared.review_approved,
            conditions_met=shared.review_approved,
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
        ),
        consent=_consent_facts(consent) if consent else None,
        sensitivity=ctx.catalogue.sensitivity_map(),
        guardrails=purpose.guardrails if purpose else None,
        current_terms_version=shared.current_terms_version,
        record_origins=record_origins,
        inference_sensitivity=ctx.inferences.sensitivity_map(),
    )
