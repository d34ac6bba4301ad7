"""FastAPI dependencies: the wired bank, the authenticated caller, role checks, and other
banks (情報銀行間連携) as a peer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from infobank.bootstrap import Bank
from infobank.domain.errors import AuthenticationFailed, Forbidden
from infobank.domain.identity import Principal, PrincipalKind, StaffRole
from infobank.services.context import Context
from infobank.services.identity import authenticate
from infobank.services.ports.transfers import BankPeer

__all__ = [
    "BankDep",
    "ClientAddress",
    "ContextDep",
    "CurrentPerson",
    "CurrentPrincipal",
    "CurrentRecipient",
    "CurrentSource",
    "Ethics",
    "Operator",
    "PeerDep",
    "Reader",
    "Staff",
    "bank_peer",
    "staff_with",
]

_bearer = HTTPBearer(auto_error=False)


def _bank(request: Request) -> Bank:
    bank: Bank = request.app.state.bank
    return bank


def _context(request: Request) -> Context:
    return _bank(request).context


BankDep = Annotated[Bank, Depends(_bank)]
ContextDep = Annotated[Context, Depends(_context)]


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


ClientAddress = Annotated[str, Depends(_address)]


def _principal(
    ctx: ContextDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise AuthenticationFailed("a bearer token is required", code="unauthenticated")
    return authenticate(ctx, credentials.credentials)


CurrentPrincipal = Annotated[Principal, Depends(_principal)]


def _kind(kind: PrincipalKind) -> object:
    def check(principal: CurrentPrincipal) -> Principal:
        if principal.kind is not kind:
            raise Forbidden(f"this endpoint is for {kind.value}s", code="wrong_principal")
        return principal

    return Depends(check)


CurrentPerson = Annotated[Principal, _kind(PrincipalKind.PERSON)]
CurrentRecipient = Annotated[Principal, _kind(PrincipalKind.RECIPIENT)]
CurrentSource = Annotated[Principal, _kind(PrincipalKind.SOURCE)]


def staff_with(*roles: StaffRole) -> object:
    """A dependency admitting staff holding one of ``roles``."""

    def check(principal: CurrentPrincipal) -> Principal:
        if not principal.is_staff(*roles):
            names = ", ".join(role.value for role in roles)
            raise Forbidden(f"this needs a staff role: {names}", code="role_required")
        return principal

    return Depends(check)


Operator = Annotated[Principal, staff_with(StaffRole.OPERATOR)]
Ethics = Annotated[Principal, staff_with(StaffRole.ETHICS)]
# Staff who read the operating records (figures, incidents): operator or auditor.
Reader = Annotated[Principal, staff_with(StaffRole.OPERATOR, StaffRole.AUDITOR)]
# Staff who review and audit: operator, data ethics board member or auditor.
Staff = Annotated[Principal, staff_with(StaffRole.OPERATOR, StaffRole.ETHICS, StaffRole.AUDITOR)]


def bank_peer(bank: BankDep) -> Iterator[BankPeer]:
    """Other banks over HTTP(S), as the composition root builds them (tests put a fake in
    ``app.dependency_overrides``)."""
    peer = bank.bank_peer()
    try:
        yield peer
    finally:
        peer.close()


PeerDep = Annotated[BankPeer, Depends(bank_peer)]
