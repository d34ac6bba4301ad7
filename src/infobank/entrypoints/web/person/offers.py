"""The person's offers (オファー): the inbox in sections (waiting, consented to, declined), and
accepting or declining one. An offer the rules would refuse says why and cannot be accepted;
accepting gives consent (同意) and leads to the consent's page."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.responses import Response

from infobank.entrypoints.web.deps import PageRoute, PersonVisit, csrf_guard
from infobank.services import consents
from infobank.services.inbox import inbox_page

SECTIONS = {
    "waiting": ("open",),
    "accepted": ("accepted", "delegated"),
    "declined": ("declined",),
}

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])


@router.get("/offers")
def offers_page(visit: PersonVisit) -> Response:
    # One list per section, each newest first and paged on its own (``?waiting=`` …):
    # waiting for an answer, consented to (by the person or under their delegation rules),
    # declined.
    pages = {
        section: inbox_page(
            visit.ctx, visit.principal_id, visit.page_request(param=section), statuses
        )
        for section, statuses in SECTIONS.items()
    }
    return visit.render(
        "offers.html",
        waiting=pages["waiting"].items,
        accepted=pages["accepted"].items,
        declined=pages["declined"].items,
        pages=pages,
    )


@router.post("/offers/{offer_id}/accept")
def accept(visit: PersonVisit, offer_id: str) -> Response:
    consent = consents.accept(visit.ctx, visit.principal_id, offer_id)
    return visit.redirect(f"/consents/{consent.id}", "offer_accepted")


@router.post("/offers/{offer_id}/decline")
def decline(visit: PersonVisit, offer_id: str) -> Response:
    consents.decline(visit.ctx, visit.principal_id, offer_id)
    return visit.redirect("/offers", "offer_declined")
