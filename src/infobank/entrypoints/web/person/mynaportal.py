"""The person's Mynaportal page (マイナポータル連携): identity verification (本人確認), the
90-day window (期間連携), what was imported, and the buttons to link and to fetch again. The
same use cases as ``POST /v1/me/mynaportal/link`` and ``POST /v1/me/mynaportal/refresh``.

    /mynaportal ─link─► 303 to Mynaportal (card + PIN) ─► /v1/mynaportal/callback ─► result
    result (this module's ``link_result``): what happened, then on to /records, / or /mynaportal
    /mynaportal ─refresh─► fetch what is new (or stop: window over) ─► /mynaportal?msg=…
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from infobank.domain import errors as e
from infobank.domain.mynaportal import LinkStatus
from infobank.entrypoints.web.deps import PageRoute, PersonVisit, Visit, csrf_guard, visit_of
from infobank.entrypoints.web.templating import allow_form_target
from infobank.services import mynaportal, mynaportal_retrieval

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])


def _page(visit: Visit, *, status: int = 200, error: str = "") -> Response:
    state = mynaportal.status(visit.ctx, visit.principal_id)
    page = visit.render(
        "mynaportal.html",
        status=status,
        identity=state["identity"],
        link=state["link"],
        imported=state["imported_items"],
        error=error,
    )
    # The link button's answer is a redirect to Mynaportal, which form-action must allow.
    return allow_form_target(page, visit.bank.settings.mynaportal_url)


def link_result(request: Request, outcome: mynaportal.LinkOutcome) -> Response:
    """The page the callback shows a browser: the outcome in the visitor's language, inside
    the layout, with the way on (the imported records, the dashboard, or trying again)."""
    visit = visit_of(request)
    ja, en = outcome.message()
    failed = outcome.failure is not None
    return visit.render(
        "mynaportal_result.html",
        status=400 if failed else 200,
        status_name=outcome.status,
        failed=failed,
        failure=outcome.failure or "",
        message=en if visit.lang == "en" else ja,
        imported=outcome.imported,
    )


@router.get("/mynaportal")
def mynaportal_page(visit: PersonVisit) -> Response:
    return _page(visit)


@router.post("/mynaportal/link")
def start_link(visit: PersonVisit) -> Response:
    """Send the person to Mynaportal to choose their card and enter its PIN; the callback
    brings them back to this page's result."""
    url, _ = mynaportal.start_link(visit.ctx, visit.bank.mynaportal, visit.principal_id)
    return visit.redirect(url)


@router.post("/mynaportal/refresh")
def refresh(visit: PersonVisit) -> Response:
    """Fetch again inside the 90-day window; after it the bank stops and says how to renew."""
    try:
        outcome = mynaportal_retrieval.refresh(visit.ctx, visit.bank.mynaportal, visit.principal_id)
    except e.Conflict as exc:  # not linked, or Mynaportal did not answer
        return _page(visit, status=409, error=exc.code)
    if outcome.status == LinkStatus.EXPIRED:
        return visit.redirect("/mynaportal", "mynaportal_expired")
    return visit.redirect(
        "/mynaportal", "mynaportal_imported" if outcome.imported else "mynaportal_up_to_date"
    )
