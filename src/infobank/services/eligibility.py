"""Population-scale decisions for an opening offer.

Matching is set-wise in SQL (targeting, every requested category held, not yet asked). The
rules are then applied to the matched persons without a query per person: the facts shared
by everyone (the recipient, the offer, the catalogue, the terms in force) are gathered once,
the per-person facts (terms agreed, delegation rules, record origins, and the birth date and
prefecture the ethics board's target limits need) are fetched in batches,
and ``decide`` runs in memory. ``decide_one`` is the reference path (``gather`` per person);
the tests hold the two to the same answers on random populations.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from infobank.domain.offers import Offer
from infobank.domain.policy import Action, Decision, PersonFacts, Request, decide
from infobank.services.context import Context
from infobank.services.facts import delegation_rules, gather
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = ["decide_one", "decide_population"]


def _request(action: Action, offer: Offer) -> Request:
    return Request(
        action=action,
        categories=frozenset(offer.categories),
        purpose_code=offer.purpose_code,
        recipient_id=offer.recipient_id,
    )


def decide_population(
    ctx: Context,
    uow: UnitOfWork,
    offer: Offer,
    at: datetime,
    limit: int,
    action: Action = Action.DELEGATE,
) -> list[tuple[str, Decision]]:
    """Each eligible person (in id order, at most ``limit``) with the decision for ``action``."""
    profiles = uow.offers.eligible_profiles(offer, at.date(), limit)
    if not profiles:
        return []
    shared = gather(ctx, uow, "", offer, None, frozenset())
    request = _request(action, offer)
    version = ctx.guideline_version
    decided = []
    for profile in profiles:
        facts = replace(
            shared,
            person=PersonFacts(
                id=profile.person_id,
                agreed_terms_version=profile.terms_version,
                delegation_rules=delegation_rules(profile.delegation),
                birth_date=profile.birth_date,
                prefecture=profile.prefecture,
            ),
            record_origins=profile.origins,
        )
        decided.append((profile.person_id, decide(request, facts, at, version)))
    return decided


def decide_one(
    ctx: Context,
    uow: UnitOfWork,
    offer: Offer,
    person_id: str,
    at: datetime,
    action: Action = Action.DELEGATE,
) -> Decision:
    """The reference: everything gathered for this one person."""
    facts = gather(ctx, uow, person_id, offer, None)
    return decide(_request(action, offer), facts, at, ctx.guideline_version)
