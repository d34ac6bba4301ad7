"""Leaving the bank, from the account page: moving the data to another information bank at
any time (情報銀行間連携), importing what another bank sent here, and the choice everyone is
asked for when this bank closes (事業終了時の扱い). Each action calls the same use cases as the
API; errors are shown in their section of the account page (``account.account_view``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from starlette.responses import Response

from infobank.domain import errors as e
from infobank.entrypoints.api.deps import PeerDep
from infobank.entrypoints.web.deps import PageRoute, PersonVisit, csrf_guard
from infobank.entrypoints.web.person.account import account_view
from infobank.services import termination, transfers

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])

UrlForm = Annotated[str, Form(max_length=2048)]


# moving banks (情報銀行間連携) ------------------------------------------------------------------


@router.post("/account/transfer")
def move_to_another_bank(visit: PersonVisit, peer: PeerDep, target_url: UrlForm = "") -> Response:
    """Send the person's records and consent history to one of the listed peer banks now; it
    imports them once the person confirms there. Nothing here is deleted."""
    try:
        transfers.send(visit.ctx, visit.principal_id, target_url, peer)
    except e.InvalidInput as exc:
        return account_view(
            visit, status=422, error=exc.code, error_in="transfer", target_url=target_url
        )
    except e.Conflict as exc:
        return account_view(
            visit, status=409, error=exc.code, error_in="transfer", target_url=target_url
        )
    return visit.redirect("/account", "transfer_sent")


@router.post("/account/transfers/{transfer_id}/confirm")
def import_transfer(visit: PersonVisit, transfer_id: str) -> Response:
    """Import data another bank sent for this person (another person's bundle is 404)."""
    try:
        transfers.confirm(visit.ctx, visit.bank.transfer_key, visit.principal_id, transfer_id)
    except e.Conflict as exc:
        return account_view(visit, status=409, error=exc.code, error_in="incoming")
    except e.Gone as exc:
        return account_view(visit, status=410, error=exc.code, error_in="incoming")
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
        return account_view(
            visit, status=422, error=exc.code, error_in="exit", target_url=target_url
        )
    except e.Conflict as exc:
        return account_view(visit, status=409, error=exc.code, error_in="exit")
    return visit.redirect("/account", f"exit_{choice}")
