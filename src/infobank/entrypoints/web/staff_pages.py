"""The staff console: recipient vetting, the ethics review queue, opening and closing offers.

Reading is open to the roles that oversee each area (the auditor reads everything); acting
needs the role the API requires (operator for vetting and offers, ethics for decisions).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form
from starlette.responses import Response

from infobank.domain import errors as e
from infobank.domain.identity import StaffRole
from infobank.entrypoints.web.deps import PageRoute, Visit, csrf_guard, staff_visit
from infobank.services import businesses, offers, staff_console

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])

_O, _E, _A = StaffRole.OPERATOR, StaffRole.ETHICS, StaffRole.AUDITOR
Overseer = Annotated[Visit, Depends(staff_visit(_O, _A))]
Reader = Annotated[Visit, Depends(staff_visit(_O, _E, _A))]
Operator = Annotated[Visit, Depends(staff_visit(_O))]
Ethics = Annotated[Visit, Depends(staff_visit(_E))]
Text = Annotated[str, Form(max_length=1024)]


# recipients (vetting) -----------------------------------------------------------------------


def _recipients_page(visit: Visit, *, status: int = 200, error: str = "") -> Response:
    return visit.render(
        "staff/recipients.html",
        status=status,
        recipients=staff_console.recipients(visit.ctx),
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


# ethics review (データ倫理審査会) ---------------------------------------------------------------


def _reviews_page(visit: Visit, *, status: int = 200, error: str = "") -> Response:
    return visit.render(
        "staff/reviews.html",
        status=status,
        queue=staff_console.review_queue(visit.ctx),
        error=error,
    )


@router.get("/staff/reviews")
def reviews_page(visit: Reader) -> Response:
    return _reviews_page(visit)


@router.post("/staff/offers/{offer_id}/review")
def review(
    visit: Ethics,
    offer_id: str,
    decision: Text = "",
    minutes: Annotated[str, Form(max_length=20000)] = "",
    conditions: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    assert visit.session is not None
    listed = [line.strip() for line in conditions.splitlines() if line.strip()]
    try:
        offers.review_offer(
            visit.ctx, offer_id, visit.session.principal.id, decision, minutes, listed
        )
    except e.InvalidInput as exc:
        return _reviews_page(visit, status=422, error=exc.code)
    return visit.redirect("/staff/reviews", "review_recorded")


# offers (open / close) ----------------------------------------------------------------------


@router.get("/staff/offers")
def offers_page(visit: Overseer, delegated: int = -1, invited: int = -1) -> Response:
    return visit.render(
        "staff/offers.html",
        board=staff_console.offers_board(visit.ctx),
        delegated=delegated,
        invited=invited,
    )


@router.post("/staff/offers/{offer_id}/open")
def open_offer(visit: Operator, offer_id: str) -> Response:
    assert visit.session is not None
    counts = offers.open_offer(visit.ctx, offer_id, visit.session.principal.id)
    return visit.redirect("/staff/offers", "offer_opened", **counts)


@router.post("/staff/offers/{offer_id}/close")
def close_offer(visit: Operator, offer_id: str) -> Response:
    offers.close_offer(visit.ctx, offer_id)
    return visit.redirect("/staff/offers", "offer_closed")
