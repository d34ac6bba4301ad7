"""The ethics review queue (倫理審査) in the staff console: offers waiting for the data ethics
board (データ倫理審査会), and recording its decision with the minutes and any conditions.
Operators, ethics reviewers and auditors read; only ethics reviewers decide.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from starlette.responses import Response

from infobank.domain import errors as e
from infobank.domain.identity import StaffRole
from infobank.entrypoints.web.deps import PageRoute, Visit, csrf_guard, staff_visit
from infobank.services import offers, staff_console

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])

_O, _E, _A = StaffRole.OPERATOR, StaffRole.ETHICS, StaffRole.AUDITOR
Reader = Annotated[Visit, Depends(staff_visit(_O, _E, _A))]
Ethics = Annotated[Visit, Depends(staff_visit(_E))]
Text = Annotated[str, Form(max_length=1024)]


def _reviews_page(visit: Visit, *, status: int = 200, error: str = "") -> Response:
    return visit.render(
        "staff/reviews.html",
        status=status,
        queue=(page := staff_console.review_queue(visit.ctx, visit.page_request())).items,
        page=page,
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
