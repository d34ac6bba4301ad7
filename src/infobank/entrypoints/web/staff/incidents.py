"""Incidents (漏えい等事案) in the staff console: the list, recording one, and each incident with
its report to the personal information protection commission (個人情報保護委員会) and the
preliminary (速報) and final (確報) deadlines. The use case finds the affected persons from
the provision records, tells each of them, and suspends the recipient if asked.

Recording tells people at once and cannot be taken back, so the form asks again on the page
(the same fields, now with ``confirmed=yes``) before it acts; marking a report as filed asks
too. Operators act; auditors read.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from starlette.responses import Response

from infobank.domain import errors as e
from infobank.domain.identity import StaffRole
from infobank.entrypoints.web.deps import PageRoute, Visit, csrf_guard, staff_visit
from infobank.entrypoints.web.templating import JST, attachment
from infobank.services import incidents, staff_console

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])

Overseer = Annotated[Visit, Depends(staff_visit(StaffRole.OPERATOR, StaffRole.AUDITOR))]
Operator = Annotated[Visit, Depends(staff_visit(StaffRole.OPERATOR))]
Text = Annotated[str, Form(max_length=1024)]
LongText = Annotated[str, Form(max_length=5000)]
Many = Annotated[list[str] | None, Form()]

SYSTEM = "system"  # the "where" choice for the bank's own system; anything else is a recipient


def _recipient_names(visit: Visit) -> dict[str, str]:
    return staff_console.recipient_names(visit.ctx)


def _list_page(
    visit: Visit,
    *,
    status: int = 200,
    error: str = "",
    form: dict[str, Any] | None = None,
    confirming: bool = False,
) -> Response:
    now = visit.ctx.clock.now().astimezone(JST)
    page = incidents.incidents_page(visit.ctx, visit.page_request())
    return visit.render(
        "staff/incidents.html",
        status=status,
        items=[incidents.get_incident(visit.ctx, i.id) for i in page.items],
        page=page,
        recipients=_recipient_names(visit),
        form=form or {"discovered_at": now.strftime("%Y-%m-%dT%H:%M"), "categories": []},
        error=error,
        confirming=confirming,
    )


@router.get("/staff/incidents")
def incidents_page(visit: Overseer) -> Response:
    return _list_page(visit)


def _new_incident(form: dict[str, Any]) -> incidents.NewIncident:
    """The form as the use case's command (times typed in JST); ValueError if unreadable."""
    where = form["where"]
    if not where:
        raise ValueError("choose where it happened")
    found = datetime.fromisoformat(form["discovered_at"])
    return incidents.NewIncident(
        summary=form["summary"],
        discovered_at=found if found.tzinfo else found.replace(tzinfo=JST),
        target=SYSTEM if where == SYSTEM else "recipient",
        recipient_id=None if where == SYSTEM else where,
        categories=tuple(form["categories"]),
        period_from=datetime.combine(date.fromisoformat(form["period_from"]), time.min, JST),
        period_to=datetime.combine(date.fromisoformat(form["period_to"]), time.max, JST),
        cause=form["cause"],
        measures=form["measures"],
        secondary_damage=form["secondary_damage"],
        wrongful_intent=form["wrongful_intent"],
        suspend_recipient=form["suspend_recipient"],
    )


@router.post("/staff/incidents")
def record_incident(
    visit: Operator,
    summary: LongText = "",
    discovered_at: Text = "",
    where: Text = "",
    categories: Many = None,
    period_from: Text = "",
    period_to: Text = "",
    cause: LongText = "",
    measures: LongText = "",
    secondary_damage: LongText = "",
    wrongful_intent: Text = "",
    suspend_recipient: Text = "",
    confirmed: Text = "",
) -> Response:
    """First time: show what will happen and ask again. Confirmed: record and tell."""
    form: dict[str, Any] = {
        "summary": summary,
        "discovered_at": discovered_at,
        "where": where,
        "categories": categories or [],
        "period_from": period_from,
        "period_to": period_to,
        "cause": cause,
        "measures": measures,
        "secondary_damage": secondary_damage,
        "wrongful_intent": wrongful_intent == "yes",
        "suspend_recipient": suspend_recipient == "yes",
    }
    try:
        new = _new_incident(form)
    except ValueError:
        return _list_page(visit, status=422, error="validation_error", form=form)
    if confirmed != "yes":
        return _list_page(visit, form=form, confirming=True)
    try:
        incident = incidents.record_incident(visit.ctx, visit.principal_id, new)
    except e.InvalidInput as exc:
        return _list_page(visit, status=422, error=exc.code, form=form)
    return visit.redirect(f"/staff/incidents/{incident.id}", "incident_recorded")


@router.get("/staff/incidents/{incident_id}")
def incident_page(visit: Overseer, incident_id: str) -> Response:
    incident, draft = incidents.get_incident(visit.ctx, incident_id)
    return visit.render("staff/incident.html", incident=incident, draft=draft)


@router.get("/staff/incidents/{incident_id}/report.json")
def report_draft(visit: Overseer, incident_id: str) -> Response:
    """The draft of the report to the commission, as a JSON file to complete and file."""
    incident, draft = incidents.get_incident(visit.ctx, incident_id)
    body = json.dumps(draft, ensure_ascii=False, indent=2)
    return attachment(body, f"incident-{incident.id}-report.json", "application/json")


@router.post("/staff/incidents/{incident_id}/report")
def mark_reported(visit: Operator, incident_id: str, stage: Text = "") -> Response:
    """Record that the preliminary or final report was filed with the commission."""
    incidents.mark_reported(visit.ctx, incident_id, stage, visit.principal_id)
    return visit.redirect(f"/staff/incidents/{incident_id}", "report_marked")
