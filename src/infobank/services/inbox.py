"""A person's inbox of offers (オファー): each with exactly what they are shown before consenting
(開示), why accepting would be refused now (``held_back``), how the recipient's certificates
stand on the bank's clock, and, once answered, the consent (同意) it led to and its state."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from infobank.domain.deliveries import Invitation
from infobank.domain.errors import InvalidInput
from infobank.domain.offers import Offer
from infobank.domain.pages import Page, PageRequest
from infobank.domain.policy import Action
from infobank.services.context import Context
from infobank.services.disclosure import disclosure
from infobank.services.ports.unit_of_work import UnitOfWork
from infobank.services.refusals import held_back

__all__ = [
    "CERTIFICATE_WARNING_DAYS",
    "INVITATION_STATUSES",
    "certificate_warning",
    "inbox",
    "inbox_page",
]

INVITATION_STATUSES = frozenset({"open", "accepted", "delegated", "declined"})

# A person is warned this many days before a recipient's certificate ends (this bank's policy).
CERTIFICATE_WARNING_DAYS = 30


def certificate_warning(valid_until: date, today: date) -> str | None:
    """``expired`` once its last day has passed, ``expiring`` within
    ``CERTIFICATE_WARNING_DAYS`` of it, else ``None``. A certificate is valid through the
    whole of its last day, as the rules read it."""
    if today > valid_until:
        return "expired"
    if (valid_until - today).days <= CERTIFICATE_WARNING_DAYS:
        return "expiring"
    return None


def inbox(ctx: Context, person_id: str) -> list[dict[str, Any]]:
    """Every offer in the person's inbox, newest first (see ``inbox_page``)."""
    with ctx.read() as uow:
        shown = _Shown(ctx, uow, person_id)
        return [shown(pair) for pair in uow.offers.inbox(person_id)]


def inbox_page(
    ctx: Context, person_id: str, request: PageRequest, statuses: Sequence[str] = ()
) -> Page[dict[str, Any]]:
    """One page of the person's inbox, newest first, optionally of some invitation statuses:
    ``open``, ``accepted``, ``delegated`` (the bank consented under their delegation rules) or
    ``declined``.

    Beside the disclosure: ``offer_status`` (an open invitation to a closed offer can no
    longer be accepted), ``held_back`` (the rules that would refuse accepting now; empty: it
    can be accepted), a ``warning`` on each certificate (``expired`` or ``expiring``, on the
    bank's clock) and ``consent`` (its id and status) once one was given."""
    unknown = set(statuses) - INVITATION_STATUSES
    if unknown:
        raise InvalidInput(f"unknown invitation status {sorted(unknown)[0]!r}")
    with ctx.read() as uow:
        return uow.offers.inbox_page(person_id, request, statuses).map(_Shown(ctx, uow, person_id))


class _Shown:
    """One inbox item as the person sees it."""

    def __init__(self, ctx: Context, uow: UnitOfWork, person_id: str) -> None:
        self.ctx, self.uow, self.person_id = ctx, uow, person_id
        self.today = ctx.clock.now().date()
        self.given: dict[str, dict[str, str]] = {}
        for consent in sorted(uow.consents.for_person(person_id), key=lambda c: c.created_at):
            self.given[consent.offer_id] = {"id": consent.id, "status": consent.status}

    def __call__(self, pair: tuple[Invitation, Offer]) -> dict[str, Any]:
        invitation, offer = pair
        shown = disclosure(self.ctx, self.uow, offer)
        for cert in shown["recipient"]["certifications"]:
            last_day = date.fromisoformat(cert["valid_until"])
            cert["warning"] = certificate_warning(last_day, self.today)
        waiting = invitation.status == "open" and offer.status == "open"
        return {
            "status": invitation.status,
            "received_at": invitation.created_at,
            **shown,
            "offer_status": offer.status,
            # why accepting would be refused now (empty: it can be accepted)
            "held_back": held_back(self.ctx, self.uow, self.person_id, offer, None, Action.ACCEPT)
            if waiting
            else [],
            "consent": self.given.get(offer.id),
        }
