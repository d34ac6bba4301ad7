"""Joint applications (連名申請) of the data intermediary (データ仲介者): the approved entries
under which a recipient may receive Mynaportal-derived data, registered and withdrawn by
the operator."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from infobank.domain.mynaportal import JointApplication
from infobank.entrypoints.api.bodies import Input
from infobank.entrypoints.api.deps import ContextDep, Operator, Staff
from infobank.entrypoints.api.listing import Listing, PageDep, listing
from infobank.services import joint_applications

router = APIRouter(tags=["staff"])


class JointApplicationCreate(Input):
    recipient_id: str = Field(min_length=1, max_length=64)
    purposes: list[str] = Field(min_length=1, max_length=20)
    categories: list[str] = Field(min_length=1, max_length=20)
    approval_reference: str = Field(min_length=1, max_length=128)
    approved_on: date


class JointApplicationPublic(BaseModel):
    id: str
    recipient_id: str
    purposes: list[str]
    categories: list[str]
    approval_reference: str
    approved_on: date
    status: str  # "approved" | "withdrawn"
    created_by: str
    created_at: datetime
    withdrawn_at: datetime | None
    withdrawn_by: str | None


def _public(a: JointApplication) -> JointApplicationPublic:
    return JointApplicationPublic(
        id=a.id,
        recipient_id=a.recipient_id,
        purposes=list(a.purposes),
        categories=list(a.categories),
        approval_reference=a.approval_reference,
        approved_on=a.approved_on,
        status="withdrawn" if a.withdrawn_at else "approved",
        created_by=a.created_by,
        created_at=a.created_at,
        withdrawn_at=a.withdrawn_at,
        withdrawn_by=a.withdrawn_by,
    )


@router.post("/v1/admin/joint-applications", status_code=status.HTTP_201_CREATED)
def register(
    ctx: ContextDep, staff: Operator, body: JointApplicationCreate
) -> JointApplicationPublic:
    """Record an approved joint application entry: this recipient may receive these categories
    of Mynaportal-derived data for these purposes (operator)."""
    created = joint_applications.register(
        ctx,
        staff.id,
        joint_applications.NewJointApplication(
            recipient_id=body.recipient_id,
            purposes=body.purposes,
            categories=body.categories,
            approval_reference=body.approval_reference,
            approved_on=body.approved_on,
        ),
    )
    return _public(created)


@router.get("/v1/admin/joint-applications")
def list_applications(
    ctx: ContextDep, _staff: Staff, page: PageDep, recipient_id: str | None = None
) -> Listing[JointApplicationPublic]:
    """Joint application entries, newest first, optionally of one recipient, withdrawn ones
    included."""
    return listing(joint_applications.applications_page(ctx, page, recipient_id), _public)


@router.get("/v1/admin/joint-applications/{application_id}")
def get_application(ctx: ContextDep, _staff: Staff, application_id: str) -> JointApplicationPublic:
    """One joint application entry."""
    return _public(joint_applications.get_application(ctx, application_id))


@router.post("/v1/admin/joint-applications/{application_id}/withdraw")
def withdraw(ctx: ContextDep, staff: Operator, application_id: str) -> JointApplicationPublic:
    """Withdraw an entry: Mynaportal-derived data stops flowing under it at once (operator)."""
    return _public(joint_applications.withdraw(ctx, staff.id, application_id))
