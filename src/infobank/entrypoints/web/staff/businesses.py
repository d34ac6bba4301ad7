"""Vetting recipients (提供先) in the staff console: the list with each one's certifications
(認証) and when they expire, recording a certification, and suspending (取引停止) or
reinstating a recipient. Operators act; auditors read.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form
from starlette.responses import Response

from infobank.domain import errors as e
from infobank.domain.identity import StaffRole
from infobank.entrypoints.web.deps import PageRoute, Visit, csrf_guard, staff_visit
from infobank.services import businesses, staff_console

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])

_O, _A = StaffRole.OPERATOR, StaffRole.AUDITOR
Overseer = Annotated[Visit, Depends(staff_visit(_O, _A))]
Operator = Annotated[Visit, Depends(staff_visit(_O))]
Text = Annotated[str, Form(max_length=1024)]


def _recipients_page(visit: Visit, *, status: int = 200, error: str = "") -> Response:
    return visit.render(
        "staff/recipients.html",
        status=status,
        recipients=(page := staff_console.recipients(visit.ctx, visit.page_request())).items,
        page=page,
        kinds=businesses.CERTIFICATION_KINDS,
        warning_days=staff_console.EXPIRY_WARNING_DAYS,
        error=error,
    )


@router.get("/staff/recipients")
def recipients_page(visit: Overseer) -> Response:
    return _recipients_page(visit)


@router.post("/staff/recipients/{recipient_id}/certifications")
def add_certification(
    visit: Operator,
    recipient_id: str,
    kind: Text = "",
    number: Text = "",
    valid_from: Text = "",
    valid_until: Text = "",
) -> Response:
    try:
        new = businesses.NewCertification(
            kind=kind,
            number=number.strip(),
            valid_from=date.fromisoformat(valid_from),
            valid_until=date.fromisoformat(valid_until),
        )
        if not new.number:
            raise e.InvalidInput("number is required")
        assert visit.session is not None
        businesses.add_certification(visit.ctx, recipient_id, new, visit.session.principal.id)
    except ValueError:
        return _recipients_page(visit, status=422, error="validation_error")
    except e.InvalidInput as exc:
        return _recipients_page(visit, status=422, error=exc.code)
    return visit.redirect("/staff/recipients", "certification_added")


@router.post("/staff/recipients/{recipient_id}/suspend")
def suspend(visit: Operator, recipient_id: str) -> Response:
    businesses.set_recipient_suspended(visit.ctx, recipient_id, True, visit.principal_id)
    return visit.redirect("/staff/recipients", "recipient_suspended")


@router.post("/staff/recipients/{recipient_id}/reinstate")
def reinstate(visit: Operator, recipient_id: str) -> Response:
    businesses.set_recipient_suspended(visit.ctx, recipient_id, False, visit.principal_id)
    return visit.redirect("/staff/recipients", "recipient_reinstated")
