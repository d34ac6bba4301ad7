"""Recipient exceptions (例外類型): the exception types the operator configures with the
evidence each requires, and the ethics board's approvals for uncertified recipients."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, status
from pydantic import AwareDatetime, Field

from infobank.domain.identity import Principal, StaffRole
from infobank.entrypoints.api.bodies import VerbatimInput
from infobank.entrypoints.api.deps import ContextDep, Ethics, Operator, Staff, staff_with
from infobank.services import exceptions
from infobank.services.ports.exceptions import ExceptionApproval, ExceptionType

router = APIRouter(tags=["rules"])

Withdrawer = Annotated[Principal, staff_with(StaffRole.OPERATOR, StaffRole.ETHICS)]


class ExceptionTypeCreate(VerbatimInput):
    code: str = Field(min_length=2, max_length=64)
    name_ja: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=20_000)
    evidence_required: str = Field(min_length=1, max_length=20_000)


class ExceptionApprove(VerbatimInput):
    type_code: str = Field(min_length=2, max_length=64)
    evidence: str = Field(min_length=1, max_length=20_000)
    minutes: str = Field(min_length=1, max_length=20_000)
    expires_at: AwareDatetime


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
