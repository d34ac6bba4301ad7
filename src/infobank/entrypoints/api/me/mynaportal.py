"""The person's Mynaportal linkage (マイナポータル連携): start, status, refresh, the callback
Mynaportal sends the person back to, and the PHR export of their health records as a FHIR
Bundle (``GET /v1/me/export?format=fhir``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import Scope

from infobank.domain.identity import PrincipalKind
from infobank.entrypoints.api.deps import BankDep, ContextDep, CurrentPerson
from infobank.entrypoints.web.person.mynaportal import link_result
from infobank.entrypoints.web.security import SESSION_COOKIE
from infobank.services import health_export, mynaportal, mynaportal_retrieval, sessions

router = APIRouter(tags=["mynaportal"])


@router.post("/v1/me/mynaportal/link", status_code=status.HTTP_201_CREATED)
def start_link(bank: BankDep, person: CurrentPerson) -> dict[str, Any]:
    """Start linking Mynaportal: open ``authorization_url``, choose the card, enter its PIN."""
    url, expires_at = mynaportal.start_link(bank.context, bank.mynaportal, person.id)
    return {"authorization_url": url, "expires_at": expires_at}


@router.get("/v1/me/mynaportal")
def link_status(ctx: ContextDep, person: CurrentPerson) -> dict[str, Any]:
    """Identity verification (本人確認), the link and its 90-day window, items imported."""
    return mynaportal.status(ctx, person.id)


@router.post("/v1/me/mynaportal/refresh")
def refresh(bank: BankDep, person: CurrentPerson) -> dict[str, Any]:
    """Fetch again: inside the 90-day window only new items are added; after it the bank
    stops and says how to renew."""
    outcome = mynaportal_retrieval.refresh(bank.context, bank.mynaportal, person.id)
    return {
        "status": outcome.status,
        "imported": outcome.imported,
        "window_end": outcome.window_end,
        "renew": outcome.renew,
    }


@router.get("/v1/mynaportal/callback", include_in_schema=False, response_model=None)
def callback(
    bank: BankDep,
    request: Request,
    state: str = "",
    code: str | None = None,
    error: str | None = None,
    error_description: str | None = None,
) -> Response:
    """Where Mynaportal sends the person back; shows them the result (a page in the
    layout and their language, or JSON).

    The link completes only in a browser logged in (web session) as the person who started
    it: without a session the person is sent to log in and brought back here; a session of
    another account ends the link unused."""
    owner = mynaportal.requested_by(bank.context, state)
    if owner is not None:
        token = request.cookies.get(SESSION_COOKIE, "")
        web = sessions.resume(bank.context, token) if token else None
        if web is None:
            back = f"{request.url.path}?{request.url.query}"
            return RedirectResponse(f"/login?{urlencode({'next': back})}", status_code=303)
        if web.principal.kind is not PrincipalKind.PERSON or web.principal.id != owner:
            outcome = mynaportal.refuse_link(bank.context, state, "link_started_elsewhere")
            return _result(request, outcome)
    outcome = mynaportal.complete_link(
        bank.context, bank.mynaportal, state, code, error, error_description
    )
    return _result(request, outcome)


def _result(request: Request, outcome: mynaportal.LinkOutcome) -> Response:
    ja, en = outcome.message()
    status_code = 200 if outcome.failure is None else 400
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(
            {
                "status": outcome.status,
                "failure": outcome.failure,
                "message": ja,
                "message_en": en,
                "imported": outcome.imported,
            },
            status_code=status_code,
        )
    return link_result(request, outcome)


class _FhirExportRoute(APIRoute):
    """Matches ``GET /v1/me/export`` only with ``format=fhir``: the plain export stays with the
    account router, and this one answers for FHIR whichever is registered first."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is Match.NONE:
            return match, child
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if query.get("format") != ["fhir"]:
            return Match.NONE, {}
        return match, child


_export = APIRouter(tags=["persons"], route_class=_FhirExportRoute)


@_export.get("/v1/me/export")
def export_fhir(
    bank: BankDep,
    person: CurrentPerson,
    format: Annotated[Literal["fhir"], Query()],
) -> JSONResponse:
    """The person's health records as a FHIR R4 Bundle (PHR export), validated."""
    del format
    bundle = health_export.fhir_bundle(bank.context, bank.mynaportal.fhir, person.id)
    return JSONResponse(bundle, media_type="application/fhir+json")


router.include_router(_export)
