"""The person's home (``/``): where my data is now (いま、わたしのデータはどこに) — each
provision with its consent's state, and why it provides nothing when the rules hold it back;
the benefit balance; the offers waiting, and how many cannot be accepted now — and stopping
every provision at once (すべての提供を停止). Visitors see the landing page; staff go to
their console."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.responses import Response

from infobank.entrypoints.web.deps import PageRoute, PersonVisit, VisitDep, csrf_guard
from infobank.entrypoints.web.staff.home import STAFF_HOME
from infobank.services import benefits, consents, offers, provisions

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])

_STOPPABLE = ("active", "paused", "pending")


@router.get("/")
def home(visit: VisitDep) -> Response:
    session = visit.session
    if session is None:
        return visit.render("landing.html")
    if session.principal.role is not None:  # staff: their console
        return visit.redirect(STAFF_HOME[session.principal.role])
    person_id = session.principal.id
    cards = provisions.provisions(visit.ctx, person_id)
    balance, _ = benefits.statement(visit.ctx, person_id)
    # Offers still waiting for an answer, and how many of them the rules would refuse now.
    waiting = [
        o
        for o in offers.inbox(visit.ctx, person_id)
        if o["status"] == "open" and o["offer_status"] == "open"
    ]
    return visit.render(
        "dashboard.html",
        cards=cards,
        balance=balance,
        waiting=len(waiting),
        waiting_held_back=sum(1 for o in waiting if o["held_back"]),
        stoppable=any(c["status"] in _STOPPABLE for c in cards),
    )


@router.post("/stop-all")
def stop_all(visit: PersonVisit) -> Response:
    consents.stop_all(visit.ctx, visit.principal_id)
    return visit.redirect("/", "stopped_all")
