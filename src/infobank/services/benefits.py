"""Benefits (便益): points credited to a person when their data is provided, in a double-entry
ledger (the person's account gains what the recipient's account gives), and the person's
statement of them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from infobank.domain.offers import Offer
from infobank.domain.pages import Page, PageRequest
from infobank.services.context import Context
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = ["BENEFIT_KEY", "credit", "offer_titles", "statement", "statement_page"]

BENEFIT_KEY = "benefit:"  # + the consent id: one credit per consent


def credit(uow: UnitOfWork, consent_id: str, offer: Offer, person_id: str, at: datetime) -> None:
    """Credit the offer's benefit for one consent, exactly once: the ledger key is the consent
    id, so a second acknowledgement posts nothing."""
    if offer.benefit_points <= 0:
        return
    uow.ledger.post(
        f"{BENEFIT_KEY}{consent_id}",
        f"benefit for offer {offer.title}",  # for the API and the export; pages use offer_titles
        {
            f"person:{person_id}": offer.benefit_points,
            f"recipient:{offer.recipient_id}": -offer.benefit_points,
        },
        at,
    )


def statement_page(
    ctx: Context, person_id: str, request: PageRequest
) -> tuple[int, Page[dict[str, Any]]]:
    """The person's balance in points and one page of their ledger entries, newest first."""
    with ctx.read() as uow:
        account = f"person:{person_id}"
        return uow.ledger.balance(account), uow.ledger.entries_page(account, request)


def offer_titles(ctx: Context, person_id: str, entries: list[dict[str, Any]]) -> dict[str, str]:
    """Entry id → the title of the offer a benefit entry credits, for the person's own
    entries: a page says what each credit was for in its own language instead of showing the
    stored memo, which is English."""
    titles: dict[str, str] = {}
    with ctx.read() as uow:
        for entry in entries:
            key = str(entry.get("key", ""))
            if not key.startswith(BENEFIT_KEY):
                continue
            consent = uow.consents.get(key.removeprefix(BENEFIT_KEY))
            if consent is None or consent.person_id != person_id:
                continue
            offer = uow.offers.get(consent.offer_id)
            if offer is not None:
                titles[str(entry["id"])] = offer.title
    return titles


def statement(ctx: Context, person_id: str) -> tuple[int, list[dict[str, Any]]]:
    """The person's balance in points and their ledger entries."""
    with ctx.read() as uow:
        account = f"person:{person_id}"
        return uow.ledger.balance(account), uow.ledger.entries(account)
