"""The person's account (アカウント): profile, new terms to agree to, the export, deletion, and
leaving: moving the data to another information bank at any time (情報銀行間連携), importing
what another bank sent here, and the choice everyone is asked for when this bank closes
(事業終了時の扱い). Each action calls the same use cases as the API.

Sending data away and choosing deletion cannot be taken back, so both ask again on the page
(``?confirm=…``) before the form that acts is shown.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query
from fastapi.encoders import jsonable_encoder
from starlette.responses import Response

from infobank.adapters.crypto.transfer_key import X25519TransferKey
from infobank.domain import errors as e
from infobank.entrypoints.api.routers.transfers import PeerDep
from infobank.entrypoints.web.deps import PageRoute, PersonVisit, Visit, csrf_guard
from infobank.entrypoints.web.templating import attachment
from infobank.services import account, persons, termination, terms, transfers

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])

Text = Annotated[str, Form(max_length=1024)]
UrlForm = Annotated[str, Form(max_length=2048)]
UrlQuery = Annotated[str, Query(max_length=2048)]

# The confirmations that carry the other bank's address from the first step to the second.
_ASKS_FOR_URL = ("transfer", "exit-transfer")


def _page(
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
    return _page(visit, target_url=target_url)


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


# moving banks (情報銀行間連携) ------------------------------------------------------------------


@router.post("/account/transfer")
def move_to_another_bank(visit: PersonVisit, peer: PeerDep, target_url: UrlForm = "") -> Response:
    """Send the person's records and consent history to one of the listed peer banks now; it
    imports them once the person confirms there. Nothing here is deleted."""
    try:
        transfers.send(visit.ctx, visit.principal_id, target_url, peer)
    except e.InvalidInput as exc:
        return _page(visit, status=422, error=exc.code, error_in="transfer", target_url=target_url)
    except e.Conflict as exc:
        return _page(visit, status=409, error=exc.code, error_in="transfer", target_url=target_url)
    return visit.redirect("/account", "transfer_sent")


@router.post("/account/transfers/{transfer_id}/confirm")
def import_transfer(visit: PersonVisit, transfer_id: str) -> Response:
    """Import data another bank sent for this person (another person's bundle is 404)."""
    key = X25519TransferKey.from_keystore(visit.bank.keys)
    try:
        transfers.confirm(visit.ctx, key, visit.principal_id, transfer_id)
    except e.Conflict as exc:
        return _page(visit, status=409, error=exc.code, error_in="incoming")
    except e.Gone as exc:
        return _page(visit, status=410, error=exc.code, error_in="incoming")
    return visit.redirect("/account", "transfer_imported")


# the end of the business (事業終了) ------------------------------------------------------------


@router.post("/account/exit")
def choose_exit(
    visit: PersonVisit, choice: Annotated[str, Form(max_length=16)] = "", target_url: UrlForm = ""
) -> Response:
    """What happens to the person's data when the bank closes: download it, move it to
    another bank, or have it deleted (they may change their mind until the deadline)."""
    try:
        termination.choose(visit.ctx, visit.principal_id, choice, target_url or None)
    except e.InvalidInput as exc:
        return _page(visit, status=422, error=exc.code, error_in="exit", target_url=target_url)
    except e.Conflict as exc:
        return _page(visit, status=409, error=exc.code, error_in="exit")
    return visit.redirect("/account", f"exit_{choice}")
