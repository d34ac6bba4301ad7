"""Offers (オファー) in the staff console: the board of approved, open and closed offers, and
opening one (persons whose delegation rules cover it consent at once, everyone else is
invited, nobody when the rules refuse the recipient itself) or closing it. Operators act;
auditors read.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.responses import Response

from infobank.domain.identity import StaffRole
from infobank.entrypoints.web.deps import PageRoute, Visit, csrf_guard, staff_visit
from infobank.services import offers, staff_console

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])

_O, _A = StaffRole.OPERATOR, StaffRole.AUDITOR
Overseer = Annotated[Visit, Depends(staff_visit(_O, _A))]
Operator = Annotated[Visit, Depends(staff_visit(_O))]


@router.get("/staff/offers")
def offers_page(
    visit: Overseer, delegated: int = -1, invited: int = -1, not_invited: int = 0
) -> Response:
    return visit.render(
        "staff/offers.html",
        board=(page := staff_console.offers_board(visit.ctx, visit.page_request())).items,
        page=page,
        delegated=delegated,
        invited=invited,
        not_invited=not_invited,
    )


@router.post("/staff/offers/{offer_id}/open")
def open_offer(visit: Operator, offer_id: str) -> Response:
    assert visit.session is not None
    opened = offers.open_offer(visit.ctx, offer_id, visit.session.principal.id)
    counts = {k: opened[k] for k in ("delegated", "invited", "not_invited")}
    return visit.redirect("/staff/offers", "offer_opened", **counts)


@router.post("/staff/offers/{offer_id}/close")
def close_offer(visit: Operator, offer_id: str) -> Response:
    offers.close_offer(visit.ctx, offer_id)
    return visit.redirect("/staff/offers", "offer_closed")
