"""The guideline's moving parts: terms versions (利用規約), recipient exceptions (例外類型) and
what-if analysis of a guideline version change."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from infobank.domain.identity import Principal, StaffRole
from infobank.entrypoints.api.deps import ContextDep, CurrentPerson, Operator, staff_with
from infobank.services import exceptions, terms, whatif
from infobank.services.ports.exceptions import ExceptionApproval, ExceptionType

router = APIRouter(tags=["rules"])

Ethics = Annotated[Principal, staff_with(StaffRole.ETHICS)]
Staff = Annotated[Principal, staff_with(StaffRole.OPERATOR, StaffRole.ETHICS, StaffRole.AUDITOR)]
Withdrawer = Annotated[Principal, staff_with(StaffRole.OPERATOR, StaffRole.ETHICS)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TermsPublish(_In):
    version: str = Field(min_length=1, max_length=32)
    text_ja: str = Field(min_length=1, max_length=200_000)
    text_en: str = Field(min_length=1, max_length=200_000)


class TermsAgree(_In):
    version: str = Field(min_length=1, max_length=32)


class ExceptionTypeCreate(_In):
    code: str = Field(min_length=2, max_length=64)
    name_ja: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=20_000)
    evidence_required: str = Field(min_length=1, max_length=20_000)


class ExceptionApprove(_In):
    type_code: str = Field(min_length=2, max_length=64)
    evidence: str = Field(min_length=1, max_length=20_000)
    minutes: str = Field(min_length=1, max_length=20_000)
    expires_at: AwareDatetime


class WhatIf(_In):
    guideline_version: str = Field(min_length=1, max_length=8)
    offer_id: str | None = Field(default=None, max_length=64)


def _type(kind: ExceptionType) -> dict[str, Any]:
    return {
        "code": kind.code,
        "name_ja": kind.name_ja,
        "name_en": kind.name_en,
        "description": kind.description,
        "evidence_required": kind.evidence_required,
        "created_at": kind.created_at,
        "retired_at": kind.retired_at,
    }


def _approval(a: ExceptionApproval, now: datetime) -> dict[str, Any]:
    return {
        "id": a.id,
        "recipient_id": a.recipient_id,
        "type_code": a.type_code,
        "evidence": a.evidence,
        "minutes": a.minutes,
        "approved_by": a.approved_by,
        "approved_at": a.approved_at,
        "expires_at": a.expires_at,
        "withdrawn_at": a.withdrawn_at,
        "in_force": a.withdrawn_at is None and a.expires_at > now,
    }


@router.post("/v1/admin/terms", status_code=status.HTTP_201_CREATED)
def publish_terms(ctx: ContextDep, staff: Operator, body: TermsPublish) -> dict[str, Any]:
    """Publish a new terms version: provision of each person's data pauses (rule
    ``terms.current``) until they agree to it; everyone is notified."""
    published = terms.publish(ctx, staff.id, body.version, body.text_ja, body.text_en)
    return {"version": published.version, "published_at": published.published_at}


@router.post("/v1/me/terms")
def agree_terms(ctx: ContextDep, person: CurrentPerson, body: TermsAgree) -> dict[str, Any]:
    """Agree to the current terms (the version from ``GET /v1/terms``)."""
    agreed = terms.agree(ctx, person.id, body.version)
    return {"version": agreed.version, "current": True}


@router.post("/v1/admin/exception-types", status_code=status.HTTP_201_CREATED)
def create_exception_type(
    ctx: ContextDep, staff: Operator, body: ExceptionTypeCreate
) -> dict[str, Any]:
    """Configure an exception type (例外類型) and the evidence it requires (operator)."""
    return _type(exceptions.define_type(ctx, staff.id, **body.model_dump()))


@router.get("/v1/admin/exception-types")
def list_exception_types(ctx: ContextDep, _staff: Staff) -> list[dict[str, Any]]:
    return [_type(k) for k in exceptions.list_types(ctx)]


@router.post("/v1/admin/exception-types/{code}/retire")
def retire_exception_type(ctx: ContextDep, _staff: Operator, code: str) -> dict[str, Any]:
    """Stop admitting recipients under this type; its approvals stop counting at once."""
    return _type(exceptions.retire_type(ctx, code))


@router.post("/v1/admin/recipients/{recipient_id}/exceptions", status_code=status.HTTP_201_CREATED)
def approve_exception(
    ctx: ContextDep, member: Ethics, recipient_id: str, body: ExceptionApprove
) -> dict[str, Any]:
    """The ethics board approves an exception for an uncertified recipient, until it expires."""
    approval = exceptions.approve(
        ctx,
        member.id,
        recipient_id,
        type_code=body.type_code,
        evidence=body.evidence,
        minutes=body.minutes,
        expires_at=body.expires_at,
    )
    return _approval(approval, ctx.clock.now())


@router.get("/v1/admin/recipients/{recipient_id}/exceptions")
def list_exceptions(ctx: ContextDep, _staff: Staff, recipient_id: str) -> list[dict[str, Any]]:
    now = ctx.clock.now()
    return [_approval(a, now) for a in exceptions.for_recipient(ctx, recipient_id)]


@router.post("/v1/admin/recipients/{recipient_id}/exceptions/{exception_id}/withdraw")
def withdraw_exception(
    ctx: ContextDep, _staff: Withdrawer, recipient_id: str, exception_id: str
) -> dict[str, Any]:
    return _approval(exceptions.withdraw(ctx, recipient_id, exception_id), ctx.clock.now())


@router.post("/v1/admin/what-if")
def what_if(ctx: ContextDep, _staff: Staff, body: WhatIf) -> dict[str, Any]:
    """How many decisions on current consents, open invitations and open offers would change
    under ``guideline_version``, and which rules make the difference."""
    return whatif.what_if(ctx, body.guideline_version, body.offer_id)
