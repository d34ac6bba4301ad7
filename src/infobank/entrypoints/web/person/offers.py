"""The person's offers (オファー): the inbox, waiting ones first, and accepting or declining
one. Accepting gives consent (同意) and leads to the consent's page."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.responses import Response

from infobank.entrypoints.web.deps import PageRoute, PersonVisit, csrf_guard
from infobank.services import consents, offers

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])


@router.get("/offers")
def offers_page(visit: PersonVisit) -> Response:
    inbox = offers.inbox(visit.ctx, visit.principal_id)
    waiting_first = sorted(inbox, key=lambda offer: offer["status"] != "open")
    return visit.render("offers.html", offers=waiting_first)


@router.post("/offers/{offer_id}/accept")
def accept(visit: PersonVisit, offer_id: str) -> Response:
    consent = consents.accept(visit.ctx, visit.principal_id, offer_id)
    return visit.redirect(f"/consents/{consent.id}", "offer_accepted")


@router.post("/offers/{offer_id}/decline")
def decline(visit: PersonVisit, offer_id: str) -> Response:
    consents.decline(visit.ctx, visit.principal_id, offer_id)
    return visit.redirect("/offers", "offer_declined")
