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

__all__ = ["credit", "statement", "statement_page"]


def credit(uow: UnitOfWork, consent_id: str, offer: Offer, person_id: str, at: datetime) -> None:
    """Credit the offer's benefit for one consent, exactly once: the ledger key is the consent
    id, so a second acknowledgement posts nothing."""
    if offer.benefit_points <= 0:
        return
    uow.ledger.post(
        f"benefit:{consent_id}",
        f"benefit for offer {offer.title}",
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


def statement(ctx: Context, person_id: str) -> tuple[int, list[dict[str, Any]]]:
    """The person's balance in points and their ledger entries."""
    with ctx.read() as uow:
        account = f"person:{person_id}"
        return uow.ledger.balance(account), uow.ledger.entries(account)
