"""The staff console's home (``/staff``): the page each staff role lands on."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.responses import Response

from infobank.domain.identity import StaffRole
from infobank.entrypoints.web.deps import PageRoute, VisitDep, csrf_guard

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])

STAFF_HOME = {
    StaffRole.OPERATOR: "/staff/recipients",
    StaffRole.ETHICS: "/staff/reviews",
    StaffRole.AUDITOR: "/staff/recipients",
    StaffRole.SUPPORT: "/staff/inquiries",
}


@router.get("/staff")
def staff_home(visit: VisitDep) -> Response:
    session = visit.session
    if session is None or session.principal.role is None:
        return visit.redirect("/staff/login")
    return visit.redirect(STAFF_HOME[session.principal.role])
