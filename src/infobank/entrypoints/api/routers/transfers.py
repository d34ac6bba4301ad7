"""Moving banks (情報銀行間連携) and the end of the business (事業終了) as persons and other
banks see them: the bank's transfer key, receiving bundles, a person's transfers and their
exit choice."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, ConfigDict, Field

from infobank.adapters.bank_peer import HttpxBankPeer
from infobank.adapters.crypto.transfer_key import X25519TransferKey
from infobank.bootstrap import Bank
from infobank.domain.transfers import IncomingTransfer
from infobank.entrypoints.api.deps import BankDep, ContextDep, CurrentPerson
from infobank.services import termination, transfers
from infobank.services.ports.transfers import BankPeer

router = APIRouter()


def bank_peer() -> Iterator[BankPeer]:
    """Other banks over HTTP(S) (tests put a fake in ``app.dependency_overrides``)."""
    peer = HttpxBankPeer()
    try:
        yield peer
    finally:
        peer.close()


PeerDep = Annotated[BankPeer, Depends(bank_peer)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TransferCreate(_In):
    target_url: str = Field(min_length=8, max_length=2048, description="the other bank's URL")


class BundleIn(_In):
    bundle: str = Field(min_length=10, description="compact JWE (signed, then encrypted)")
    issuer: str = Field(
        min_length=8,
        max_length=2048,
        description="the sending bank's base URL; its keys are fetched from it, and it must be "
        "one of this bank's peers",
    )


class ExitChoiceIn(_In):
    choice: Literal["export", "transfer", "delete"]
    target_url: str | None = Field(default=None, max_length=2048)


def _key(bank: Bank) -> X25519TransferKey:
    return X25519TransferKey.from_keystore(bank.keys)


@router.get("/v1/bank/transfer-key", tags=["public"])
def transfer_key(bank: BankDep) -> dict[str, Any]:
    """This bank's public key for bundles sent to it by other banks (X25519, use ``enc``)."""
    return {"issuer": bank.context.base_url.rstrip("/"), "jwk": _key(bank).public_jwk()}


@router.get("/v1/bank/peers", tags=["public"])
def peers(ctx: ContextDep) -> dict[str, Any]:
    """The other information banks this bank exchanges persons' data with."""
    return {"peers": sorted(p.rstrip("/") for p in ctx.limits.peer_banks)}


@router.post("/v1/transfers", status_code=status.HTTP_201_CREATED, tags=["banks"])
def receive(bank: BankDep, peer: PeerDep, body: BundleIn) -> dict[str, Any]:
    """Another bank hands over a person's bundle; it is held, encrypted, until the person
    confirms it here (``POST /v1/me/transfers/{id}/confirm``)."""
    held = transfers.receive(bank.context, _key(bank), body.bundle, body.issuer, peer)
    return {"id": held.id, "status": held.status, "expires_at": held.expires_at}


def _incoming(ctx: ContextDep, person_id: str, held: IncomingTransfer) -> dict[str, Any]:
    return {
        "id": held.id,
        "issuer": held.issuer,
        "status": held.status,
        "received_at": held.received_at,
        "expires_at": held.expires_at,
        "records": held.record_count,
        "consents": held.consent_count,
        "imported_at": held.imported_at,
        "history": transfers.history(ctx, person_id, held),
    }


@router.get("/v1/me/transfers", tags=["persons"])
def my_transfers(ctx: ContextDep, person: CurrentPerson) -> dict[str, Any]:
    """Bundles other banks sent for you (to confirm), and what you sent elsewhere."""
    with ctx.uow() as uow:
        sent = uow.transfers.outgoing(person.id)
    return {
        "incoming": [_incoming(ctx, person.id, t) for t in transfers.mine(ctx, person.id)],
        "outgoing": [
            {
                "id": t.id,
                "target_url": t.target_url,
                "status": t.status,
                "records": t.record_count,
                "consents": t.consent_count,
                "created_at": t.created_at,
                "sent_at": t.sent_at,
            }
            for t in sent
        ],
    }


@router.post("/v1/me/transfers/{transfer_id}/confirm", tags=["persons"])
def confirm(bank: BankDep, person: CurrentPerson, transfer_id: str) -> dict[str, Any]:
    """Import a bundle sent for you: your records are stored here under your own key, and
    the history of your consents at the other bank is kept with it."""
    return transfers.confirm(bank.context, _key(bank), person.id, transfer_id)


@router.post("/v1/me/transfer", status_code=status.HTTP_201_CREATED, tags=["persons"])
def transfer(
    ctx: ContextDep, person: CurrentPerson, peer: PeerDep, body: TransferCreate
) -> dict[str, Any]:
    """Move your data to another information bank now (it imports it once you confirm
    there; ``GET /v1/bank/peers`` lists the banks this one transfers to). Your data here
    stays until you delete your account."""
    sent = transfers.send(ctx, person.id, body.target_url, peer)
    return {
        "id": sent.id,
        "status": sent.status,
        "target_url": sent.target_url,
        "records": sent.record_count,
        "consents": sent.consent_count,
    }


@router.get("/v1/me/exit", tags=["persons"])
def my_exit(ctx: ContextDep, person: CurrentPerson) -> dict[str, Any]:
    """Whether the bank is closing, its deadline, and your choice."""
    plan, choice = termination.my_exit(ctx, person.id)
    return {
        "status": plan.status if plan else "not_planned",
        "deadline": plan.deadline if plan else None,
        "choices": ["export", "transfer", "delete"],
        "choice": None
        if choice is None
        else {"choice": choice.choice, "target_url": choice.target_url, "at": choice.chosen_at},
    }


@router.post("/v1/me/exit", tags=["persons"])
def choose_exit(ctx: ContextDep, person: CurrentPerson, body: ExitChoiceIn) -> dict[str, Any]:
    """Choose what happens to your data when the bank closes: ``export`` (download it now
    from ``GET /v1/me/export``), ``transfer`` to another bank (``target_url``), or
    ``delete``. You may change your mind until the deadline."""
    chosen = termination.choose(ctx, person.id, body.choice, body.target_url)
    plan, _ = termination.my_exit(ctx, person.id)
    shown: dict[str, Any] = {
        "choice": chosen.choice,
        "target_url": chosen.target_url,
        "chosen_at": chosen.chosen_at,
        "deadline": plan.deadline if plan else None,
    }
    if chosen.choice == "export":
        shown["export_url"] = "/v1/me/export"
    return shown
