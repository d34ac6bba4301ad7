"""Businesses as the operator registers and vets them: recipients (提供先第三者) and sources
(情報提供元), recipients' certifications (Pマーク, ISMS), suspending and reinstating."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, EmailStr, Field

from infobank.domain.identity import Business, PrincipalKind
from infobank.entrypoints.api.bodies import Input
from infobank.entrypoints.api.deps import ContextDep, Operator
from infobank.entrypoints.api.listing import Listing, PageDep, listing
from infobank.services import businesses

router = APIRouter(tags=["staff"])


class BusinessCreate(Input):
    name: str = Field(min_length=1, max_length=200)
    industry: str = Field(min_length=1, max_length=64)
    contact_email: EmailStr | None = None


class BusinessCreated(BaseModel):
    id: str
    client_id: str
    client_secret: str


class CertificationCreate(Input):
    kind: Literal["pmark", "isms", "other"]
    number: str = Field(min_length=1, max_length=128)
    valid_from: date
    valid_until: date


class CertificationPublic(BaseModel):
    id: str
    kind: str
    number: str
    valid_from: date
    valid_until: date


class RecipientPublic(BaseModel):
    id: str
    name: str
    industry: str
    client_id: str
    suspended: bool
    suspended_at: datetime | None
    certifications: list[CertificationPublic]


def _recipient(ctx: ContextDep, business: Business) -> RecipientPublic:
    with ctx.read() as uow:
        certs = uow.businesses.certifications(business.id)
    return RecipientPublic(
        id=business.id,
        name=business.name,
        industry=business.industry,
        client_id=business.client_id,
        suspended=business.suspended_at is not None,
        suspended_at=business.suspended_at,
        certifications=[
            CertificationPublic(
                id=c.id,
                kind=c.kind,
                number=c.number,
                valid_from=c.valid_from,
                valid_until=c.valid_until,
            )
            for c in certs
        ],
    )


def _register(ctx: ContextDep, kind: PrincipalKind, body: BusinessCreate) -> BusinessCreated:
    registered = businesses.register_business(
        ctx, kind, body.name, body.industry, str(body.contact_email or "")
    )
    return BusinessCreated(
        id=registered.business.id,
        client_id=registered.business.client_id,
        client_secret=registered.client_secret,
    )


@router.post("/v1/admin/recipients", status_code=status.HTTP_201_CREATED)
def create_recipient(ctx: ContextDep, _staff: Operator, body: BusinessCreate) -> BusinessCreated:
    """Register a recipient (提供先第三者); the client secret is shown only here."""
    return _register(ctx, PrincipalKind.RECIPIENT, body)


@router.post("/v1/admin/sources", status_code=status.HTTP_201_CREATED)
def create_source(ctx: ContextDep, _staff: Operator, body: BusinessCreate) -> BusinessCreated:
    """Register a source (情報提供元); the client secret is shown only here."""
    return _register(ctx, PrincipalKind.SOURCE, body)


@router.get("/v1/admin/recipients")
def list_recipients(ctx: ContextDep, _staff: Operator, page: PageDep) -> Listing[RecipientPublic]:
    """Recipients with their certifications and standing, newest first."""
    with ctx.read() as uow:
        found = uow.businesses.page(PrincipalKind.RECIPIENT, page)
    return listing(found, lambda b: _recipient(ctx, b))


@router.post(
    "/v1/admin/recipients/{recipient_id}/certifications", status_code=status.HTTP_201_CREATED
)
def add_certification(
    ctx: ContextDep, staff: Operator, recipient_id: str, body: CertificationCreate
) -> CertificationPublic:
    """Record a Privacy Mark (Pマーク), ISMS or other certificate with its validity."""
    cert = businesses.add_certification(
        ctx,
        recipient_id,
        businesses.NewCertification(
            kind=body.kind,
            number=body.number,
            valid_from=body.valid_from,
            valid_until=body.valid_until,
        ),
        recorded_by=staff.id,
    )
    return CertificationPublic(
        id=cert.id,
        kind=cert.kind,
        number=cert.number,
        valid_from=cert.valid_from,
        valid_until=cert.valid_until,
    )


@router.post("/v1/admin/recipients/{recipient_id}/suspend")
def suspend(ctx: ContextDep, staff: Operator, recipient_id: str) -> RecipientPublic:
    """Suspend a recipient: its active consents pause at once and their persons are told;
    nothing is provided to it until reinstated."""
    return _recipient(ctx, businesses.set_recipient_suspended(ctx, recipient_id, True, staff.id))


@router.post("/v1/admin/recipients/{recipient_id}/reinstate")
def reinstate(ctx: ContextDep, staff: Operator, recipient_id: str) -> RecipientPublic:
    """Lift a recipient's suspension; the consents it paused resume."""
    return _recipient(ctx, businesses.set_recipient_suspended(ctx, recipient_id, False, staff.id))
