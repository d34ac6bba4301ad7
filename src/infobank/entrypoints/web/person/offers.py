"""The person's offers (オファー): the inbox in sections (waiting, consented to, declined), and
accepting or declining one. An offer the rules would refuse says why and cannot be accepted;
accepting gives consent (同意) and leads to the consent's page."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.responses import Response

from infobank.entrypoints.web.deps import PageRoute, PersonVisit, csrf_guard
from infobank.services import consents, offers

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])


@router.get("/offers")
def offers_page(visit: PersonVisit) -> Response:
    inbox = offers.inbox(visit.ctx, visit.principal_id)
    # One list per section, each newest first: waiting for an answer, consented to (by the
    # person or under their delegation rules), declined.
    return visit.render(
        "offers.html",
        waiting=[o for o in inbox if o["status"] == "open"],
        accepted=[o for o in inbox if o["status"] in ("accepted", "delegated")],
        declined=[o for o in inbox if o["status"] == "declined"],
    )


@router.post("/offers/{offer_id}/accept")
def accept(visit: PersonVisit, offer_id: str) -> Response:
    consent = consents.accept(visit.ctx, visit.principal_id, offer_id)
    return visit.redirect(f"/consents/{consent.id}", "offer_accepted")


@router.post("/offers/{offer_id}/decline")
def decline(visit: PersonVisit, offer_id: str) -> Response:
    consents.decline(visit.ctx, visit.principal_id, offer_id)
    return visit.redirect("/offers", "offer_declined")
