"""The port for offers (オファー) and the invitations in persons' inboxes (the ethics board's
decisions are in ``reviews``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple, Protocol

from infobank.domain.deliveries import Invitation
from infobank.domain.offers import Offer
from infobank.domain.pages import Page, PageRequest

__all__ = ["EligibleProfile", "Offers"]


class Offers(Protocol):
    def add(self, offer: Offer) -> None: ...

    def get(self, offer_id: str, *, for_update: bool = False) -> Offer | None: ...

    def set_status(self, offer_id: str, status: str, at: datetime) -> None: ...

    def start_opening(self, offer_id: str, opened_by: str, total: int, at: datetime) -> None: ...

    def opening_progress(
        self,
        offer_id: str,
        delegated: int,
        invited: int,
        at: datetime,
        *,
        done: bool,
        not_invited: int = 0,
        held_back: Sequence[str] = (),
    ) -> None: ...

    def unfinished_openings(self, idle_since: datetime) -> list[tuple[str, str]]: ...

    def page(
        self,
        request: PageRequest,
        *,
        recipient_id: str | None = None,
        statuses: Sequence[str] = (),
        renewals: bool = False,
    ) -> Page[Offer]: ...

    def find(
        self, *, recipient_id: str | None = None, statuses: Sequence[str] = ()
    ) -> list[Offer]: ...

    def set_renewal(self, offer_id: str, at: datetime | None) -> None: ...

    def eligible_persons(self, offer: Offer, today: date, limit: int) -> list[str]: ...

    def matching_count(self, offer: Offer, today: date) -> int: ...

    def eligible_profiles(self, offer: Offer, today: date, limit: int) -> list[EligibleProfile]: ...

    def add_invitation(self, invitation: Invitation) -> None: ...

    def invitation(self, offer_id: str, person_id: str) -> Invitation | None: ...

    def answer_invitation(self, invitation_id: str, status: str, at: datetime) -> None: ...

    def inbox_page(
        self, person_id: str, request: PageRequest, statuses: Sequence[str] = ()
    ) -> Page[tuple[Invitation, Offer]]: ...

    def inbox(self, person_id: str) -> list[tuple[Invitation, Offer]]: ...

    def open_invitations(self, offer_id: str) -> list[str]: ...

    def reached(self, offer_id: str) -> int: ...


class EligibleProfile(NamedTuple):
    """What the rules need of one matched person, fetched for many persons at once."""

    person_id: str
    terms_version: str | None
    delegation: list[dict[str, Any]]
    origins: frozenset[str]  # how their records in the offer's categories were acquired
    birth_date: date | None = None  # for the ethics board's target limits
    prefecture: str | None = None
