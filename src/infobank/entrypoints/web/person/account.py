"""The person's account (アカウント): the page with the profile, new terms of use (利用規約) to
agree to, the export of everything held, and deleting the account. The same page holds the
sections for leaving the bank, whose actions are in ``transfers``.

Sending data away and choosing deletion cannot be taken back, so both ask again on the page
(``?confirm=…``) before the form that acts is shown.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query
from fastapi.encoders import jsonable_encoder
from starlette.responses import Response

from infobank.domain import errors as e
from infobank.entrypoints.web.deps import PageRoute, PersonVisit, Visit, csrf_guard
from infobank.entrypoints.web.templating import attachment
from infobank.services import account, persons, termination, terms, transfers

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])

Text = Annotated[str, Form(max_length=1024)]
UrlQuery = Annotated[str, Query(max_length=2048)]

# The confirmations that carry the other bank's address from the first step to the second.
_ASKS_FOR_URL = ("transfer", "exit-transfer")


def account_view(
    visit: Visit,
    *,
    status: int = 200,
    error: str = "",
    error_in: str = "",
    target_url: str = "",
) -> Response:
    """The account page; ``error_in`` names the section an ``error`` belongs to."""
    person_id = visit.principal_id
    profile = persons.profile(visit.ctx, person_id)
    plan, choice = termination.my_exit(visit.ctx, person_id)
    asked = visit.request.query_params.get("confirm", "")
    checked = ""
    if asked in _ASKS_FOR_URL and target_url and not error:
        try:
            checked = transfers.check_target(visit.ctx, target_url)
        except e.InvalidInput as exc:  # shown in place of the question (200, so htmx swaps it)
            error, error_in = exc.code, asked
    return visit.render(
        "account.html",
        status=status,
        peers=sorted(p.rstrip("/") for p in visit.ctx.limits.peer_banks),
        profile=profile,
        new_terms=None if profile.terms_current else terms.current(visit.ctx),
        plan=plan,
        choice=choice,
        incoming=transfers.mine(visit.ctx, person_id),
        target_url=target_url,
        checked_target=checked,
        error=error,
        error_in=error_in,
    )


@router.get("/account")
def account_page(visit: PersonVisit, target_url: UrlQuery = "") -> Response:
    return account_view(visit, target_url=target_url)


@router.post("/account/terms")
def agree_to_terms(visit: PersonVisit, version: Text = "") -> Response:
    """Agree to terms the operator published since (provision waits until the person does)."""
    terms.agree(visit.ctx, visit.principal_id, version)
    return visit.redirect("/account", "terms_agreed")


@router.get("/account/export")
def export(visit: PersonVisit) -> Response:
    """Everything held about the person, as one JSON file."""
    body = json.dumps(
        jsonable_encoder(account.export(visit.ctx, visit.principal_id)),
        ensure_ascii=False,
        indent=2,
    )
    return attachment(body, "infobank-export.json", "application/json")


@router.post("/account/delete")
def delete_account(visit: PersonVisit) -> Response:
    account.delete_account(visit.ctx, visit.principal_id)
    visit.clear_session = True
    return visit.redirect("/", "account_deleted")
