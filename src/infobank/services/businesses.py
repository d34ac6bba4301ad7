"""Businesses: sources (情報提供元) and recipients (提供先第三者) registered by an operator, and
the certifications (Pマーク, ISMS) that vetting records for recipients."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import date

from infobank.domain.errors import InvalidInput, NotFound
from infobank.domain.identity import Business, Certification, PrincipalKind
from infobank.services import consents, credentials
from infobank.services.context import Context
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = [
    "CERTIFICATION_KINDS",
    "NewCertification",
    "RegisteredBusiness",
    "add_certification",
    "register_business",
    "set_recipient_suspended",
    "suspend_within",
]

CERTIFICATION_KINDS = ("pmark", "isms", "other")


@dataclass(frozen=True, slots=True)
class RegisteredBusiness:
    """The business and its client secret, which is shown this once and never stored."""

    business: Business
    client_secret: str


@dataclass(frozen=True, slots=True)
class NewCertification:
    kind: str
    number: str
    valid_from: date
    valid_until: date


def register_business(
    ctx: Context, kind: PrincipalKind, name: str, industry: str, contact_email: str = ""
) -> RegisteredBusiness:
    prefix = {PrincipalKind.RECIPIENT: "rcp", PrincipalKind.SOURCE: "src"}.get(kind)
    if prefix is None:
        raise InvalidInput(f"{kind} is not a kind of business")
    secret = credentials.new_token("ibsec")
    business = Business(
        id=str(uuid.uuid4()),
        kind=kind,
        name=name,
        industry=industry,
        client_id=f"{prefix}_{secrets.token_hex(10)}",
        secret_hash=credentials.digest(secret),
        created_at=ctx.clock.now(),
        contact_email=contact_email,
    )
    with ctx.uow() as uow:
        uow.businesses.add(business)
        uow.commit()
    return RegisteredBusiness(business=business, client_secret=secret)


def add_certification(
    ctx: Context, recipient_id: str, new: NewCertification, recorded_by: str
) -> Certification:
    if new.kind not in CERTIFICATION_KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(CERTIFICATION_KINDS)}")
    if new.valid_until < new.valid_from:
        raise InvalidInput("valid_until is before valid_from")
    certification = Certification(
        id=str(uuid.uuid4()),
        recipient_id=recipient_id,
        kind=new.kind,
        number=new.number,
        valid_from=new.valid_from,
        valid_until=new.valid_until,
        recorded_by=recorded_by,
        created_at=ctx.clock.now(),
    )
    with ctx.uow() as uow:
        if uow.businesses.get(PrincipalKind.RECIPIENT, recipient_id) is None:
            raise NotFound("no such recipient")
        uow.businesses.add_certification(certification)
        uow.commit()
    return certification


def suspend_within(ctx: Context, uow: UnitOfWork, recipient_id: str, actor: str) -> bool:
    """Suspend a recipient inside the caller's transaction (for instance with the incident
    that caused it), pausing its active consents; False if it was already suspended."""
    current = uow.businesses.get(PrincipalKind.RECIPIENT, recipient_id)
    if current is None:
        raise NotFound("no such recipient")
    if current.suspended_at is not None:
        return False
    uow.businesses.set_suspended(recipient_id, ctx.clock.now())
    consents.pause_for_suspension(ctx, uow, recipient_id, actor)
    return True


def set_recipient_suspended(
    ctx: Context, recipient_id: str, suspended: bool, actor: str = "operator"
) -> Business:
    """Suspend (統制環境に問題のある事業者) or reinstate a recipient.

    Suspension pauses every active consent of the recipient in the same transaction (and
    tells each person); reinstatement resumes exactly the consents the suspension paused.
    """
    with ctx.uow() as uow:
        current = uow.businesses.get(PrincipalKind.RECIPIENT, recipient_id)
        if current is None:
            raise NotFound("no such recipient")
        if suspended and current.suspended_at is None:
            suspend_within(ctx, uow, recipient_id, actor)
        elif not suspended and current.suspended_at is not None:
            uow.businesses.set_suspended(recipient_id, None)
            consents.resume_after_reinstatement(ctx, uow, recipient_id, actor)
        business = uow.businesses.get(PrincipalKind.RECIPIENT, recipient_id)
        uow.commit()
    assert business is not None
    return business
