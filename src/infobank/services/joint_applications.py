"""Joint applications (連名申請): the recipients and purposes approved to receive data that came
from Mynaportal. Operators record each approval with its reference; the rule
``mynaportal.joint_application`` refuses every provision of Mynaportal-derived data outside one.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from infobank.domain.catalogue import Sensitivity
from infobank.domain.errors import Conflict, InvalidInput, NotFound
from infobank.domain.identity import PrincipalKind
from infobank.domain.mynaportal import MYNAPORTAL_CATEGORIES, JointApplication
from infobank.domain.offers import Offer
from infobank.domain.pages import Page, PageRequest
from infobank.services import transparency
from infobank.services.context import Context
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = [
    "NewJointApplication",
    "disclosure",
    "get_application",
    "applications_page",
    "list_applications",
    "register",
    "withdraw",
]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class NewJointApplication:
    recipient_id: str
    purposes: Sequence[str]
    categories: Sequence[str]
    approval_reference: str
    approved_on: date


def _is_id(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _check(ctx: Context, new: NewJointApplication, today: date) -> list[dict[str, str]]:
    problems = []
    unknown = [p for p in new.purposes if p not in ctx.purposes]
    if unknown:
        problems.append({"field": "purposes", "detail": f"unknown purposes: {', '.join(unknown)}"})
    for code in new.categories:
        category = ctx.catalogue.get(code)
        if category is None or category.sensitivity != Sensitivity.HEALTH_CHECKUP:
            problems.append(
                {
                    "field": "categories",
                    "detail": f"{code!r} is not a health check-up category that Mynaportal "
                    "provides (see GET /v1/catalogue)",
                }
            )
    reference = new.approval_reference.strip()
    if not reference or _CONTROL.search(reference):
        problems.append(
            {"field": "approval_reference", "detail": "the approval reference is required"}
        )
    if new.approved_on > today:
        problems.append({"field": "approved_on", "detail": "approved_on cannot be in the future"})
    return problems


def register(ctx: Context, actor_id: str, new: NewJointApplication) -> JointApplication:
    """Record an approved joint application entry (operator)."""
    now = ctx.clock.now()
    problems = _check(ctx, new, now.date())
    if problems:
        raise InvalidInput("the joint application was refused", errors=problems)
    application = JointApplication(
        id=str(uuid.uuid4()),
        recipient_id=new.recipient_id,
        purposes=tuple(dict.fromkeys(new.purposes)),
        categories=tuple(dict.fromkeys(new.categories)),
        approval_reference=new.approval_reference.strip(),
        approved_on=new.approved_on,
        created_by=actor_id,
        created_at=now,
    )
    with ctx.uow() as uow:
        if not _is_id(new.recipient_id) or (
            uow.businesses.get(PrincipalKind.RECIPIENT, new.recipient_id) is None
        ):
            raise NotFound("no such recipient")
        uow.mynaportal.add_joint_application(application)
        transparency.append(
            ctx,
            uow,
            "joint_application.registered",
            now,
            person_id=None,
            joint_application=application.id,
            recipient=application.recipient_id,
            purposes=list(application.purposes),
            categories=list(application.categories),
            approval_reference=application.approval_reference,
        )
        uow.commit()
    return application


def list_applications(ctx: Context, recipient_id: str | None = None) -> list[JointApplication]:
    with ctx.read() as uow:
        return uow.mynaportal.joint_applications(recipient_id)


def applications_page(
    ctx: Context, request: PageRequest, recipient_id: str | None = None
) -> Page[JointApplication]:
    """One page of joint application entries, newest first, withdrawn ones included."""
    with ctx.read() as uow:
        return uow.mynaportal.joint_applications_page(request, recipient_id)


def get_application(ctx: Context, application_id: str) -> JointApplication:
    if not _is_id(application_id):
        raise NotFound("no such joint application")
    with ctx.read() as uow:
        found = uow.mynaportal.joint_application(application_id)
    if found is None:
        raise NotFound("no such joint application")
    return found


def withdraw(ctx: Context, actor_id: str, application_id: str) -> JointApplication:
    """Withdraw an entry: from now on the rule refuses what it covered, deliveries included."""
    if not _is_id(application_id):
        raise NotFound("no such joint application")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        found = uow.mynaportal.joint_application(application_id)
        if found is None:
            raise NotFound("no such joint application")
        if found.withdrawn_at is not None:
            raise Conflict("the joint application was already withdrawn", code="already_withdrawn")
        uow.mynaportal.withdraw_joint_application(application_id, actor_id, now)
        transparency.append(
            ctx,
            uow,
            "joint_application.withdrawn",
            now,
            person_id=None,
            joint_application=application_id,
            recipient=found.recipient_id,
        )
        uow.commit()
        updated = uow.mynaportal.joint_application(application_id)
    assert updated is not None
    return updated


def disclosure(uow: UnitOfWork, offer: Offer) -> dict[str, Any] | None:
    """What the person is shown about Mynaportal for an offer (part of the consent notice):
    which requested categories may hold data from Mynaportal, and the approval it goes under."""
    drawn = [code for code in offer.categories if code in MYNAPORTAL_CATEGORIES]
    if not drawn:
        return None
    wanted = frozenset(offer.categories)
    approval = next(
        (
            a
            for a in uow.mynaportal.joint_applications(offer.recipient_id)
            if a.covers(offer.purpose_code, wanted)
        ),
        None,
    )
    return {
        "source_ja": "これらの項目には、マイナポータル（自己情報取得API）から取得したデータが"
        "含まれることがあります。",
        "source_en": "These categories may hold data obtained from the Mynaportal "
        "self-information API.",
        "categories": drawn,
        "joint_application": None
        if approval is None
        else {
            "id": approval.id,
            "approval_reference": approval.approval_reference,
            "approved_on": approval.approved_on.isoformat(),
        },
    }
