"""The person's benefits (便益): the balance and every entry, newest first."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.responses import Response

from infobank.entrypoints.web.deps import PageRoute, PersonVisit, csrf_guard
from infobank.services import benefits

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])


@router.get("/benefits")
def benefits_page(visit: PersonVisit) -> Response:
    balance, page = benefits.statement_page(visit.ctx, visit.principal_id, visit.page_request())
    titles = benefits.offer_titles(visit.ctx, visit.principal_id, page.items)
    return visit.render(
        "benefits.html", balance=balance, entries=page.items, page=page, titles=titles
    )
