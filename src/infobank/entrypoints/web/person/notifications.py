"""The person's notifications (お知らせ): what the bank has told them."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.responses import Response

from infobank.entrypoints.web.deps import PageRoute, PersonVisit, csrf_guard
from infobank.services import notifications

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])


@router.get("/notifications")
def notifications_page(visit: PersonVisit) -> Response:
    return visit.render(
        "notifications.html", items=notifications.for_person(visit.ctx, visit.principal_id)
    )
