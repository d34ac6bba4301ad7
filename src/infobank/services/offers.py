"""Offers (オファー) from recipients, their review by the data ethics board (データ倫理審査会,
``services/reviews.py``), and opening them: set-wise matching, consents the bank gives under
delegation rules (委任), and inbox entries for everyone else, unless the rules refuse the
recipient itself or the board's approval does not hold. Each person's inbox (``inbox``, from
``services/inbox.py``) says why an offer is held back."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

from infobank.domain.errors import Conflict, InvalidInput, NotFound
from infobank.domain.offers import Offer, Opening, Review, transition
from infobank.domain.pages import Page, PageRequest
from infobank.domain.policy import Action, Decision, Facts, Request, decide
from infobank.services import bank_state, consents, eligibility
from infobank.services.context import Context
from infobank.services.facts import gather
from infobank.services.inbox import inbox  # each person's inbox, kept beside its offers
from infobank.services.ports.unit_of_work import UnitOfWork
from infobank.services.refusals import recipient_refusals, refusal, review_refusal
from infobank.services.reviews import review_offer, review_queue  # the board's side

__all__ = [
    "OPENING_IDLE",
    "close_offer",
    "continue_opening",
    "create_offer",
    "explain",
    "get_offer",
    "inbox",
    "list_offers",
    "open_offer",
    "reach",
    "resume_openings",
    "review_offer",
    "review_queue",
    "submit_offer",
]


# An opening with no batch for this long has lost its opener; the worker finishes it.
OPENING_IDLE = timedelta(seconds=60)


def create_offer(ctx: Context, recipient_id: str, offer: Offer) -> Offer:
    """A draft offer; nothing is checked against the guideline until it is submitted."""
    unknown = ctx.catalogue.unknown(offer.categories)
    if unknown:
        raise InvalidInput(f"unknown categories: {', '.join(unknown)}", code="unknown_category")
    unknown = ctx.inferences.unknown(offer.profiling_infers)
    if unknown:
        raise InvalidInput(
            f"unknown inferences: {', '.join(unknown)}; see GET /v1/inferences",
            code="unknown_inference",
        )
    if offer.purpose_code not in ctx.purposes:
        raise InvalidInput(
            f"unknown purpose {offer.purpose_code!r}; see GET /v1/purposes", code="unknown_purpose"
        )
    if offer.starts_at is not None and offer.starts_at <= ctx.clock.now():
        raise InvalidInput("starts_at must be in the future", code="validation_error")
    draft = replace(
        offer,
        id=str(uuid.uuid4()),
        recipient_id=recipient_id,
        status="draft",
        created_at=ctx.clock.now(),
    )
    with ctx.uow() as uow:
        uow.offers.add(draft)
        uow.commit()
    return draft


def _owned(
    uow: UnitOfWork, offer_id: str, recipient_id: str | None, *, for_update: bool = True
) -> Offer:
    offer = uow.offers.get(offer_id, for_update=for_update)
    # Another recipient's offer is answered exactly like a missing one.
    if offer is None or (recipient_id is not None and offer.recipient_id != recipient_id):
        raise NotFound("no such offer")
    return offer


def get_offer(ctx: Context, offer_id: str, recipient_id: str | None) -> tuple[Offer, list[Review]]:
    with ctx.read() as uow:
        offer = _owned(uow, offer_id, recipient_id, for_update=False)
        return offer, uow.reviews.for_offer(offer_id)


def list_offers(
    ctx: Context, recipient_id: str, request: PageRequest
) -> Page[tuple[Offer, list[Review]]]:
    """One page of the recipient's own offers with their reviews, newest first; another
    recipient's offers are never among them."""
    with ctx.read() as uow:
        page = uow.offers.page(request, recipient_id=recipient_id)
        return page.map(lambda offer: (offer, uow.reviews.for_offer(offer.id)))


def reach(ctx: Context, offer_id: str, recipient_id: str) -> dict[str, Any]:
    """How many persons the offer could reach, as an estimate the recipient may see: rounded
    to tens, and suppressed below the minimum group size so that no small group (or single
    person) can be singled out by narrowing the targeting."""
    with ctx.read() as uow:
        offer = _owned(uow, offer_id, recipient_id, for_update=False)
        count = uow.offers.matching_count(offer, ctx.clock.now().date())
    smallest = ctx.limits.reach_min_group
    if count < smallest:
        return {"estimate": 0, "suppressed": True, "minimum_group": smallest}
    return {
        "estimate": max(smallest, round(count, -1)),
        "suppressed": False,
        "minimum_group": smallest,
    }


def submit_offer(ctx: Context, offer_id: str, recipient_id: str) -> Offer:
    """Check the guard-rails and sensitivity rules, then queue the offer for ethics review.

    An approved or open offer is submitted again for a new review (再審査), for instance
    because its approval ends: it keeps its status, and what it gathers and delivers meanwhile
    still depends on the approval in force."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        bank_state.refuse_if_closing(uow)
        offer = _owned(uow, offer_id, recipient_id)
        renewal = offer.status in ("approved", "open")
        status = transition(offer.status, "resubmit" if renewal else "submit")
        if offer.renewal_requested_at is not None:
            raise Conflict("the offer is already waiting for a new review", code="offer_state")
        facts = gather(ctx, uow, "", offer, None)
        request = Request(
            action=Action.SUBMIT,
            categories=frozenset(offer.categories),
            purpose_code=offer.purpose_code,
            recipient_id=offer.recipient_id,
        )
        decision = decide(request, facts, now, ctx.guideline_version)
        if not decision.allowed:
            raise refusal(decision, "the offer breaks the guideline; see reasons", violation=True)
        if renewal:
            uow.offers.set_renewal(offer.id, now)
        else:
            uow.offers.set_status(offer.id, status, now)
        uow.commit()
    if renewal:
        return replace(offer, renewal_requested_at=now)
    return replace(offer, status=status, submitted_at=now)


def _room(uow: UnitOfWork, offer: Offer, facts: Facts) -> int:
    """How many more persons an opening may ask: the offer's capacity, or the maximum the
    ethics board set (``capacity_max``) when that is lower, less those already asked."""
    cap = facts.offer.conditions.capacity_max
    most = offer.capacity if cap is None else min(offer.capacity, cap)
    return max(0, most - uow.offers.reached(offer.id))


def open_offer(ctx: Context, offer_id: str, actor_id: str) -> dict[str, Any]:
    """Open an approved offer: match persons set-wise, consent where delegation covers it,
    invite everyone else. Returns how many were delegated and invited, and how many were
    not invited and why (``held_back`` reason codes) when the rules refuse the recipient
    itself (not certified, certificate expired, suspended): then nobody is asked. An offer
    whose approval has lapsed or that breaks a condition the ethics board set does not open
    (``PolicyRefused`` with the reasons).

    The offer opens in its own transaction; matching then runs in batches of
    ``Limits.open_batch`` persons, each committed, so other requests keep answering while a
    large population is matched and a crash loses at most one batch: the worker finishes an
    opening that stopped half-way (``resume_openings``), and nobody is asked twice, because a
    batch locks the offer and matches only persons not yet asked."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        bank_state.refuse_if_closing(uow)
        offer = _owned(uow, offer_id, None)
        status = transition(offer.status, "open")
        facts = gather(ctx, uow, "", offer, None, frozenset())
        refused = review_refusal(ctx, facts, offer, now)
        if refused is not None:
            raise refusal(refused, "the ethics board's approval does not allow opening it")
        total = min(_room(uow, offer, facts), uow.offers.matching_count(offer, now.date()))
        uow.offers.set_status(offer_id, status, now)
        uow.offers.start_opening(offer_id, actor_id, total, now)
        uow.commit()
    opening = continue_opening(ctx, offer_id, actor_id)
    return {
        "delegated": opening.delegated,
        "invited": opening.invited,
        "not_invited": opening.not_invited,
        "held_back": list(opening.held_back),
    }


def continue_opening(ctx: Context, offer_id: str, actor_id: str) -> Opening:
    """Match the next batches of an open offer until none is left; returns the progress.

    Before each batch the recipient-level rules are decided once for the offer
    (``recipient_refusals``), and so is the ethics board's approval with the conditions the
    offer itself must keep (``review_refusal``): if either refuses, the opening ends in that
    same locked transaction, recording the persons left unasked and why, and nobody is
    invited to an offer every provision of which would be refused. A person the board's
    target limits leave out is neither consented for nor invited."""
    while True:
        now = ctx.clock.now()
        with ctx.uow() as uow:
            offer = _owned(uow, offer_id, None)  # locked: one batch at a time, across processes
            if offer.opening is None or offer.opening.done_at is not None:
                return offer.opening or Opening(total=0, done_at=now)
            if offer.status != "open":  # closed meanwhile: nobody else is asked
                uow.offers.opening_progress(offer_id, 0, 0, now, done=True)
                uow.commit()
                return replace(offer.opening, done_at=now)
            facts = gather(ctx, uow, "", offer, None, frozenset())
            batch = min(_room(uow, offer, facts), ctx.limits.open_batch)
            held = recipient_refusals(ctx, uow, offer, now)
            if not held and batch and review_refusal(ctx, facts, offer, now) is not None:
                held = ("review_conditions",)
            if held:
                left = max(0, offer.opening.total - offer.opening.matched)
                uow.offers.opening_progress(
                    offer_id, 0, 0, now, done=True, not_invited=left, held_back=held
                )
                uow.commit()
                return replace(
                    offer.opening,
                    not_invited=offer.opening.not_invited + left,
                    held_back=held,
                    done_at=now,
                )
            decided = eligibility.decide_population(ctx, uow, offer, now, batch)
            delegated = invited = 0
            for person_id, decision in decided:
                if decision.allowed:
                    consents.grant(ctx, uow, offer, person_id, mode="delegated", actor=actor_id)
                    delegated += 1
                elif "offer.reviewed" not in decision.rules:
                    consents.invite(uow, offer, person_id, now)
                    invited += 1
                # else: outside the board's target limits, so never asked
            # a batch that asked nobody ends it: those left are outside the board's limits
            done = len(decided) < batch or batch == 0 or delegated + invited == 0
            uow.offers.opening_progress(offer_id, delegated, invited, now, done=done)
            uow.commit()
        if done:
            with ctx.read() as uow:
                finished = uow.offers.get(offer_id)
            assert finished is not None and finished.opening is not None
            return finished.opening


def resume_openings(ctx: Context, idle: timedelta = OPENING_IDLE) -> int:
    """The worker's step: finish openings that stopped half-way (their opener died). An
    opening with a batch in the last ``idle`` is left to whoever is running it."""
    with ctx.read() as uow:
        stalled = uow.offers.unfinished_openings(ctx.clock.now() - idle)
    for offer_id, opened_by in stalled:
        continue_opening(ctx, offer_id, opened_by or "system:opening")
    return len(stalled)


def close_offer(ctx: Context, offer_id: str) -> Offer:
    now = ctx.clock.now()
    with ctx.uow() as uow:
        offer = _owned(uow, offer_id, None)
        status = transition(offer.status, "close")
        uow.offers.set_status(offer_id, status, now)
        if offer.renewal_requested_at is not None:  # nothing left for the board to renew
            uow.offers.set_renewal(offer_id, None)
        uow.commit()
    return replace(offer, status=status, closed_at=now, renewal_requested_at=None)


_EXPLAINABLE = {"accept": Action.ACCEPT, "delegate": Action.DELEGATE, "provide": Action.PROVIDE}


def explain(
    ctx: Context, person_id: str, offer_id: str, action: str | None = None
) -> tuple[Action, Decision]:
    """What ``decide`` says now about this person and offer, rule by rule: by default for
    providing under their consent if they have one, else for accepting the offer; ``action``
    (accept, delegate, provide) asks about one step explicitly."""
    if action is not None and action not in _EXPLAINABLE:
        raise InvalidInput("action must be accept, delegate or provide", code="validation_error")
    now = ctx.clock.now()
    with ctx.read() as uow:
        offer = _owned(uow, offer_id, None, for_update=False)
        if uow.persons.get(person_id) is None:
            raise NotFound("no such person")
        consent = next(
            (c for c in uow.consents.for_person(person_id) if c.offer_id == offer_id), None
        )
        chosen = _EXPLAINABLE[action] if action else None
        if chosen is None:
            chosen = Action.PROVIDE if consent else Action.ACCEPT
        facts = gather(ctx, uow, person_id, offer, consent if chosen is Action.PROVIDE else None)
        request = Request(
            action=chosen,
            categories=frozenset(offer.categories),
            purpose_code=offer.purpose_code,
            recipient_id=offer.recipient_id,
        )
        return chosen, decide(request, facts, now, ctx.guideline_version, explain=True)
