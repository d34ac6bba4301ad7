"""Recipient exceptions (例外類型, guideline 2.0 onwards).

The operator configures the types of recipient that may be admitted without a Privacy Mark
or ISMS certificate (a name, what it covers and the evidence it needs); the data ethics board
(データ倫理審査会) approves an exception of one type for one recipient, with the evidence,
its minutes and an expiry. ``recipient.exception`` honours an approval only while its type is
configured (not retired), it is not withdrawn and it has not expired.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import datetime

from infobank.domain.errors import Conflict, InvalidInput, NotFound
from infobank.domain.identity import PrincipalKind
from infobank.domain.policy import RecipientException
from infobank.services import transparency
from infobank.services.context import Context
from infobank.services.ports.exceptions import ExceptionApproval, ExceptionType
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = [
    "approve",
    "define_type",
    "for_recipient",
    "in_force",
    "list_types",
    "retire_type",
    "withdraw",
]

_CODE = re.compile(r"[a-z][a-z0-9_.-]{1,63}")


def define_type(
    ctx: Context,
    actor: str,
    *,
    code: str,
    name_ja: str,
    name_en: str,
    description: str,
    evidence_required: str,
) -> ExceptionType:
    if not _CODE.fullmatch(code):
        raise InvalidInput(
            "code must be 2 to 64 lower-case letters, digits, dots, dashes or underscores",
            code="validation_error",
        )
    texts = {"name_ja": name_ja, "name_en": name_en, "evidence_required": evidence_required}
    empty = [name for name, text in texts.items() if not text.strip()]
    if empty:
        raise InvalidInput(f"required: {', '.join(empty)}", code="validation_error")
    kind = ExceptionType(
        code=code,
        name_ja=name_ja.strip(),
        name_en=name_en.strip(),
        description=description.strip(),
        evidence_required=evidence_required.strip(),
        created_by=actor,
        created_at=ctx.clock.now(),
    )
    with ctx.uow() as uow:
        if uow.exceptions.type(code) is not None:
            raise Conflict(f"exception type {code!r} exists", code="exception_type_exists")
        uow.exceptions.add_type(kind)
        uow.commit()
    return kind


def list_types(ctx: Context) -> list[ExceptionType]:
    with ctx.read() as uow:
        return uow.exceptions.types()


def retire_type(ctx: Context, code: str) -> ExceptionType:
    """Stop admitting recipients under this type; approvals of it stop counting at once."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        kind = uow.exceptions.type(code)
        if kind is None:
            raise NotFound("no such exception type")
        uow.exceptions.retire_type(code, now)
        uow.commit()
    return replace(kind, retired_at=kind.retired_at or now)


def approve(
    ctx: Context,
    member: str,
    recipient_id: str,
    *,
    type_code: str,
    evidence: str,
    minutes: str,
    expires_at: datetime,
) -> ExceptionApproval:
    """An ethics board decision admitting one recipient under one exception type."""
    now = ctx.clock.now()
    if not evidence.strip():
        raise InvalidInput("the evidence the type requires is missing", code="evidence_required")
    if not minutes.strip():
        raise InvalidInput("minutes are required", code="minutes_required")
    if expires_at <= now:
        raise InvalidInput("expires_at must be in the future", code="validation_error")
    with ctx.uow() as uow:
        if uow.businesses.get(PrincipalKind.RECIPIENT, recipient_id) is None:
            raise NotFound("no such recipient")
        kind = uow.exceptions.type(type_code)
        if kind is None or kind.retired_at is not None:
            raise InvalidInput(
                f"{type_code!r} is not a configured exception type", code="unknown_exception_type"
            )
        approval = ExceptionApproval(
            id=str(uuid.uuid4()),
            recipient_id=recipient_id,
            type_code=type_code,
            evidence=evidence.strip(),
            minutes=minutes.strip(),
            approved_by=member,
            approved_at=now,
            expires_at=expires_at,
        )
        uow.exceptions.approve(approval)
        transparency.append(
            ctx,
            uow,
            "recipient.exception_approved",
            now,
            person_id=None,
            recipient=recipient_id,
            exception=approval.id,
            type=type_code,
            expires_at=expires_at.isoformat().replace("+00:00", "Z"),
        )
        uow.commit()
    return approval


def withdraw(ctx: Context, recipient_id: str, approval_id: str) -> ExceptionApproval:
    now = ctx.clock.now()
    with ctx.uow() as uow:
        approval = uow.exceptions.get(approval_id)
        if approval is None or approval.recipient_id != recipient_id:
            raise NotFound("no such exception")
        uow.exceptions.withdraw(approval_id, now)
        transparency.append(
            ctx,
            uow,
            "recipient.exception_withdrawn",
            now,
            person_id=None,
            recipient=recipient_id,
            exception=approval_id,
        )
        uow.commit()
    return replace(approval, withdrawn_at=approval.withdrawn_at or now)


def for_recipient(ctx: Context, recipient_id: str) -> list[ExceptionApproval]:
    with ctx.read() as uow:
        if uow.businesses.get(PrincipalKind.RECIPIENT, recipient_id) is None:
            raise NotFound("no such recipient")
        return uow.exceptions.for_recipient(recipient_id)


def in_force(uow: UnitOfWork, recipient_id: str) -> tuple[RecipientException, ...]:
    """The recipient's approvals as policy facts: of configured (unretired) types and not
    withdrawn; the rule itself checks the expiry against the decision's time."""
    return tuple(
        RecipientException(type_code=a.type_code, approved=True, expires_at=a.expires_at)
        for a in uow.exceptions.live_for_recipient(recipient_id)
    )
