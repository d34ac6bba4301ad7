"""The person's notifications (お知らせ): what the bank has told them."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.responses import Response

from infobank.entrypoints.web.deps import PageRoute, PersonVisit, csrf_guard
from infobank.services import notifications

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])


@router.get("/notifications")
def notifications_page(visit: PersonVisit) -> Response:
    page = notifications.notifications_page(visit.ctx, visit.principal_id, visit.page_request())
    return visit.render("notifications.html", items=page.items, page=page)
