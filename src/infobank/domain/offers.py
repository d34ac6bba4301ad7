"""Offers (オファー): a recipient's request, its review by the ethics board and its life.

draft ──submit──► under_review ──review──► approved ──open──► open ──close──► closed
                                  └──────► rejected

An approved or open offer may be submitted again for a new review (再審査, a renewal), for
instance when its approval's end date nears or has passed: it keeps its status and waits in
the board's queue (``renewal_requested_at``). Approving the renewal leaves the status as it
was and puts the new approval and its conditions in force; rejecting it makes the offer
``rejected``. Meanwhile the approval in force is the last one, with its own end date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from infobank.domain.errors import Conflict
from infobank.domain.identity import age_on
from infobank.domain.reviews import Review

__all__ = ["Offer", "Review", "Target", "review_transition", "transition"]

_NEXT = {
    ("draft", "submit"): "under_review",
    ("under_review", "approve"): "approved",
    ("under_review", "reject"): "rejected",
    ("approved", "open"): "open",
    ("open", "close"): "closed",
    ("approved", "close"): "closed",
    # a renewal (再審査) keeps the status while the board reviews again
    ("approved", "resubmit"): "approved",
    ("open", "resubmit"): "open",
}
_RENEWABLE = frozenset({"approved", "open"})


def transition(status: str, action: str) -> str:
    """The status after ``action``, or ``Conflict`` when the offer is not in a state for it."""
    following = _NEXT.get((status, action))
    if following is None:
        raise Conflict(f"an offer that is {status} cannot be {action}ed", code="offer_state")
    return following


def review_transition(offer: Offer, decision: str) -> str:
    """The status after the board's ``decision`` (approve | reject): a first review moves an
    offer under review on; a renewal keeps an approved or open offer as it is when approved
    and rejects it otherwise."""
    if offer.renewal_requested_at is not None and offer.status in _RENEWABLE:
        if decision not in ("approve", "reject"):
            raise Conflict(f"an offer cannot be {decision}ed", code="offer_state")
        return offer.status if decision == "approve" else "rejected"
    return transition(offer.status, decision)


@dataclass(frozen=True, slots=True)
class Target:
    """Who an offer is for. Empty tuples mean "anyone"."""

    age_min: int | None = None
    age_max: int | None = None
    prefectures: tuple[str, ...] = ()
    genders: tuple[str, ...] = ()

    def admits(self, birth_date: date, gender: str, prefecture: str, today: date) -> bool:
        age = age_on(birth_date, today)
        return (
            (self.age_min is None or age >= self.age_min)
            and (self.age_max is None or age <= self.age_max)
            and (not self.prefectures or prefecture in self.prefectures)
            and (not self.genders or gender in self.genders)
        )


@dataclass(frozen=True, slots=True)
class Opening:
    """How far opening an offer has come: it matches persons in batches, each committed."""

    total: int  # persons matched when it opened (at most its capacity)
    delegated: int = 0  # consented for under their delegation rules (委任)
    invited: int = 0  # offered in their inbox
    done_at: datetime | None = None
    # matched but never asked, because the rules refuse the recipient itself (not certified,
    # certificate expired, suspended): then nobody is asked, and ``held_back`` says why
    not_invited: int = 0
    held_back: tuple[str, ...] = ()  # reason codes, e.g. "certificate_expired"

    @property
    def matched(self) -> int:
        return self.delegated + self.invited


@dataclass(frozen=True, slots=True)
class Offer:
    id: str
    recipient_id: str
    status: str
    title: str
    purpose_code: str
    purpose_text: str
    justification: str | None
    categories: tuple[str, ...]
    benefit_points: int
    retention_days: int
    consent_duration_days: int
    fetch_mode: str
    fetch_every_days: int | None
    data_range_days: int | None
    profiling: bool
    reprovision_parties: tuple[str, ...]
    target: Target
    capacity: int
    created_at: datetime
    submitted_at: datetime | None = None
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    starts_at: datetime | None = None  # consents start then, not when given (post-dated)
    opening: Opening | None = None  # progress of matching, once opened
    # what its profiling infers (codes of the inference catalogue, 推定属性); empty with
    # ``profiling``: profiling that names nothing it infers (read as inferring nothing
    # sensitive)
    profiling_infers: tuple[str, ...] = ()
    renewal_requested_at: datetime | None = None  # submitted again for a new review (再審査)
