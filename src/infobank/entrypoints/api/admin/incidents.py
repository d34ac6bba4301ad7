"""Incidents (漏えい等事案): recording one, listing and reading them with the draft report to
the regulator, and recording the preliminary (速報) and final (確報) reports as filed."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, status
from pydantic import AwareDatetime, Field

from infobank.domain.incidents import Incident
from infobank.entrypoints.api.bodies import Input
from infobank.entrypoints.api.deps import ContextDep, Operator, Reader
from infobank.entrypoints.api.listing import Listing, PageDep, listing
from infobank.services import incidents

router = APIRouter(tags=["staff"])


class IncidentCreate(Input):
    summary: str = Field(min_length=1, max_length=5000, description="What happened (概要)")
    discovered_at: AwareDatetime = Field(description="When the bank learnt of it (発覚日時)")
    target: Literal["recipient", "system"] | None = Field(
        default=None, description="Where it happened; by default a recipient if one is named"
    )
    recipient_id: str | None = Field(default=None, max_length=64)
    categories: list[str] = Field(min_length=1, max_length=64)
    period_from: AwareDatetime
    period_to: AwareDatetime
    cause: str = Field(default="", max_length=5000)
    measures: str = Field(default="", max_length=5000, description="再発防止のための措置")
    secondary_damage: str = Field(default="", max_length=5000, description="二次被害のおそれ")
    wrongful_intent: bool = Field(default=False, description="不正の目的によるおそれ")
    suspend_recipient: bool = Field(default=False, description="suspend it in the same step")


class ReportFiled(Input):
    stage: Literal["preliminary", "final"]


def incident_public(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.id,
        "summary": incident.summary,
        "discovered_at": incident.discovered_at,
        "target": incident.target,
        "recipient_id": incident.recipient_id,
        "categories": list(incident.categories),
        "period": {"from": incident.period_from, "to": incident.period_to},
        "status": incident.status,
        "affected_count": incident.affected_count,
        "notified_count": incident.notified_count,
        "sensitive_involved": incident.sensitive_involved,
        "wrongful_intent": incident.wrongful_intent,
        "recipient_suspended": incident.recipient_suspended,
        "deadlines": {
            "preliminary": incident.preliminary_due_at,
            "final": incident.final_due_at,
        },
        "reported": {
            "preliminary": incident.preliminary_sent_at,
            "final": incident.final_sent_at,
        },
        "created_at": incident.created_at,
        "created_by": incident.created_by,
    }


@router.post("/v1/admin/incidents", status_code=status.HTTP_201_CREATED)
def record(ctx: ContextDep, staff: Operator, body: IncidentCreate) -> dict[str, Any]:
    """Record an incident: the affected persons are found from the provision records and
    told, the report deadlines are set, and the recipient is suspended if asked."""
    incident = incidents.record_incident(
        ctx,
        staff.id,
        incidents.NewIncident(
            summary=body.summary,
            discovered_at=body.discovered_at,
            target=body.target or ("recipient" if body.recipient_id else "system"),
            recipient_id=body.recipient_id,
            categories=tuple(body.categories),
            period_from=body.period_from,
            period_to=body.period_to,
            cause=body.cause,
            measures=body.measures,
            secondary_damage=body.secondary_damage,
            wrongful_intent=body.wrongful_intent,
            suspend_recipient=body.suspend_recipient,
        ),
    )
    _, draft = incidents.get_incident(ctx, incident.id)
    return {**incident_public(incident), "report": draft}


@router.get("/v1/admin/incidents")
def list_all(ctx: ContextDep, _staff: Reader, page: PageDep) -> Listing[dict[str, Any]]:
    """Incidents, the latest discovered first (operator, auditor)."""
    return listing(incidents.incidents_page(ctx, page), incident_public)


@router.get("/v1/admin/incidents/{incident_id}")
def get_one(ctx: ContextDep, _staff: Reader, incident_id: str) -> dict[str, Any]:
    """One incident with the draft of its report to the personal information protection
    commission (個人情報保護委員会), deadlines included."""
    incident, draft = incidents.get_incident(ctx, incident_id)
    return {**incident_public(incident), "report": draft}


@router.post("/v1/admin/incidents/{incident_id}/report")
def report(ctx: ContextDep, staff: Operator, incident_id: str, body: ReportFiled) -> dict[str, Any]:
    """Record that the preliminary (速報) or final (確報) report was filed."""
    incidents.mark_reported(ctx, incident_id, body.stage, staff.id)
    incident, draft = incidents.get_incident(ctx, incident_id)
    return {**incident_public(incident), "report": draft}
