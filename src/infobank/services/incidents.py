"""Incidents (漏えい等事案): staff record what happened; the bank works out whom it touched,
tells each of them, drafts the report to the personal information protection commission and
tracks its deadlines (速報 / 確報).

    record ──► affected persons, set-wise:
                 at a recipient: packages with the categories it fetched or acknowledged in
                 the period (the provision records)
                 in the bank's own system: persons holding records of the categories
           ──► a notification to each (what happened, what to do), the log leaf, and — if
               asked — the recipient suspended, all in one transaction
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from infobank.domain.errors import InvalidInput, NotFound
from infobank.domain.identity import PrincipalKind
from infobank.domain.incidents import (
    Incident,
    deadlines,
    regulator_draft,
    status_after_report,
)
from infobank.domain.pages import Page, PageRequest
from infobank.services import businesses, transparency
from infobank.services.context import Context
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = [
    "NewIncident",
    "get_incident",
    "incidents_page",
    "list_incidents",
    "record_incident",
    "report_draft",
    "mark_reported",
]

_ADVICE_JA = (
    "提供を止めたい場合は、同意の一覧から該当する同意を取り消すことができます。"
    "不審な連絡には応じないでください。ご不明な点は相談窓口までお問い合わせください。"
)
_ADVICE_EN = (
    "To stop provision, revoke the consent concerned from your list of consents. Do not answer "
    "suspicious messages. For questions, contact the help desk."
)


@dataclass(frozen=True, slots=True)
class NewIncident:
    summary: str
    discovered_at: datetime
    target: str  # recipient | system
    recipient_id: str | None
    categories: tuple[str, ...]
    period_from: datetime
    period_to: datetime
    cause: str = ""
    measures: str = ""
    secondary_damage: str = ""
    wrongful_intent: bool = False
    suspend_recipient: bool = False


def _check(ctx: Context, new: NewIncident) -> None:
    if not new.summary.strip():
        raise InvalidInput("summary is required", code="validation_error")
    if new.target not in ("recipient", "system"):
        raise InvalidInput("target must be recipient or system", code="validation_error")
    if (new.target == "recipient") != (new.recipient_id is not None):
        raise InvalidInput(
            "a recipient incident names recipient_id; a system incident does not",
            code="validation_error",
        )
    if new.suspend_recipient and new.recipient_id is None:
        raise InvalidInput("only a recipient can be suspended", code="validation_error")
    if not new.categories:
        raise InvalidInput("name at least one category", code="validation_error")
    unknown = ctx.catalogue.unknown(new.categories)
    if unknown:
        raise InvalidInput(f"unknown categories: {', '.join(unknown)}", code="unknown_category")
    if new.period_to < new.period_from:
        raise InvalidInput("period_to is before period_from", code="validation_error")
    if new.discovered_at > ctx.clock.now():
        raise InvalidInput("discovered_at is in the future", code="validation_error")


def record_incident(ctx: Context, staff_id: str, new: NewIncident) -> Incident:
    """Record the incident, tell every affected person, and suspend the recipient if asked —
    in one transaction."""
    _check(ctx, new)
    now = ctx.clock.now()
    incident_id = str(uuid.uuid4())
    with ctx.uow() as uow:
        name = ""
        if new.recipient_id is not None:
            recipient = uow.businesses.get(PrincipalKind.RECIPIENT, new.recipient_id)
            if recipient is None:
                raise NotFound("no such recipient")
            name = recipient.name
            affected = uow.incidents.received_from(
                new.recipient_id, new.categories, new.period_from, new.period_to
            )
        else:
            affected = uow.incidents.holding(new.categories, new.period_to)
        suspended = False
        if new.suspend_recipient and new.recipient_id is not None:
            suspended = businesses.suspend_within(
                ctx, uow, new.recipient_id, f"incident:{incident_id}"
            )
        preliminary, final = deadlines(new.discovered_at, new.wrongful_intent)
        live = sorted(p for p, is_live in affected.items() if is_live)
        incident = Incident(
            id=incident_id,
            summary=new.summary.strip(),
            discovered_at=new.discovered_at,
            target=new.target,
            recipient_id=new.recipient_id,
            categories=tuple(dict.fromkeys(new.categories)),
            period_from=new.period_from,
            period_to=new.period_to,
            cause=new.cause.strip(),
            measures=new.measures.strip(),
            secondary_damage=new.secondary_damage.strip(),
            wrongful_intent=new.wrongful_intent,
            sensitive_involved=any(
                (c := ctx.catalogue.get(code)) is not None and c.sensitivity != "general"
                for code in new.categories
            ),
            status="draft",
            affected_count=len(affected),
            notified_count=len(live),
            recipient_suspended=suspended,
            created_by=staff_id,
            created_at=now,
            preliminary_due_at=preliminary,
            final_due_at=final,
        )
        uow.incidents.add(incident, sorted(affected))
        _tell(ctx, uow, incident, name, live)
        transparency.append(
            ctx,
            uow,
            "incident.recorded",
            now,
            person_id=None,
            incident=incident_id,
            target=new.target,
            recipient=new.recipient_id,
            categories=list(incident.categories),
            affected=len(affected),
            recipient_suspended=suspended,
        )
        uow.commit()
    return incident


def _tell(
    ctx: Context, uow: UnitOfWork, incident: Incident, where: str, persons: list[str]
) -> None:
    names = [
        (c.name_ja, c.name_en)
        for code in incident.categories
        if (c := ctx.catalogue.get(code)) is not None
    ]
    place_ja = f"提供先「{where}」" if where else "当行のシステム"
    place_en = f"the recipient {where}" if where else "the bank's own system"
    params = {
        "incident_id": incident.id,
        "recipient": where,
        "categories": list(incident.categories),
        "period_from": incident.period_from.isoformat().replace("+00:00", "Z"),
        "period_to": incident.period_to.isoformat().replace("+00:00", "Z"),
        "summary": incident.summary,
        "message_ja": (
            f"{place_ja}で、あなたのデータ（{'、'.join(n[0] for n in names)}）に関わる"
            f"漏えい等のおそれがある事案が発生しました。{incident.summary}"
        ),
        "message_en": (
            f"An incident at {place_en} may have affected your data "
            f"({', '.join(n[1] for n in names)}). {incident.summary}"
        ),
        "what_to_do_ja": _ADVICE_JA,
        "what_to_do_en": _ADVICE_EN,
    }
    for person_id in persons:
        uow.notifications.add(person_id, "incident.notice", params, incident.created_at)


def list_incidents(ctx: Context) -> list[Incident]:
    with ctx.read() as uow:
        return uow.incidents.list()


def incidents_page(ctx: Context, request: PageRequest) -> Page[Incident]:
    """One page of incidents, the latest discovered first."""
    with ctx.read() as uow:
        return uow.incidents.page(request)


def _get(uow: UnitOfWork, incident_id: str, *, for_update: bool = False) -> Incident:
    try:
        uuid.UUID(incident_id)
    except ValueError:
        raise NotFound("no such incident") from None
    incident = uow.incidents.get(incident_id, for_update=for_update)
    if incident is None:
        raise NotFound("no such incident")
    return incident


def get_incident(ctx: Context, incident_id: str) -> tuple[Incident, dict[str, Any]]:
    """The incident and its regulator report draft."""
    with ctx.read() as uow:
        incident = _get(uow, incident_id, for_update=False)
        return incident, report_draft(ctx, uow, incident)


def report_draft(ctx: Context, uow: UnitOfWork, incident: Incident) -> dict[str, Any]:
    name = ""
    if incident.recipient_id is not None:
        recipient = uow.businesses.get(PrincipalKind.RECIPIENT, incident.recipient_id)
        name = recipient.name if recipient else ""
    categories = [
        {"code": code, "name_ja": c.name_ja, "name_en": c.name_en, "sensitivity": c.sensitivity}
        for code in incident.categories
        if (c := ctx.catalogue.get(code)) is not None
    ]
    return regulator_draft(incident, target_name=name, categories=categories, at=ctx.clock.now())


def mark_reported(ctx: Context, incident_id: str, stage: str, staff_id: str) -> Incident:
    """Record that the preliminary (速報) or final (確報) report was filed."""
    if stage not in ("preliminary", "final"):
        raise InvalidInput("stage must be preliminary or final", code="validation_error")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        incident = _get(uow, incident_id, for_update=True)
        status = status_after_report(incident.status, stage)
        uow.incidents.set_report(incident.id, status, stage, now)
        transparency.append(
            ctx,
            uow,
            f"incident.{stage}_reported",
            now,
            person_id=None,
            incident=incident.id,
            by=staff_id,
        )
        uow.commit()
        return _get(uow, incident_id)
