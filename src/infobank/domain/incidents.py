"""Incidents (漏えい等事案): what happened, whom it touched, and the report to the regulator.

    recorded (draft) ──report preliminary──► preliminary_sent ──report final──► final_sent
        └───────────────────────report final (all facts known at once)──────────┘

Deadlines follow the personal information protection commission's rules (個人情報保護委員会,
施行規則 第8条): a preliminary report (速報) promptly — here 5 days from discovery, the end of
the commission's "about 3 to 5 days" — and a final report (確報) within 30 days, or 60 days
when the incident was caused with wrongful intent (不正の目的).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from infobank.domain.errors import Conflict

__all__ = [
    "FINAL_DAYS",
    "FINAL_DAYS_WRONGFUL",
    "PRELIMINARY_DAYS",
    "REPORTABLE_PERSONS",
    "Incident",
    "deadlines",
    "regulator_draft",
    "report_reasons",
    "status_after_report",
]

PRELIMINARY_DAYS = 5
FINAL_DAYS = 30
FINAL_DAYS_WRONGFUL = 60
REPORTABLE_PERSONS = 1000  # more than this many persons makes a report mandatory

_NEXT = {
    ("draft", "preliminary"): "preliminary_sent",
    ("draft", "final"): "final_sent",
    ("preliminary_sent", "final"): "final_sent",
}


@dataclass(frozen=True, slots=True)
class Incident:
    """An incident as recorded by staff, with what was computed when it was recorded."""

    id: str
    summary: str
    discovered_at: datetime
    target: str  # recipient | system
    recipient_id: str | None
    categories: tuple[str, ...]
    period_from: datetime
    period_to: datetime
    cause: str
    measures: str
    secondary_damage: str
    wrongful_intent: bool
    sensitive_involved: bool
    status: str
    affected_count: int
    notified_count: int
    recipient_suspended: bool
    created_by: str
    created_at: datetime
    preliminary_due_at: datetime
    final_due_at: datetime
    preliminary_sent_at: datetime | None = None
    final_sent_at: datetime | None = None


def deadlines(discovered_at: datetime, wrongful_intent: bool) -> tuple[datetime, datetime]:
    """(preliminary 速報, final 確報) deadlines counted from the moment of discovery."""
    final = FINAL_DAYS_WRONGFUL if wrongful_intent else FINAL_DAYS
    return discovered_at + timedelta(days=PRELIMINARY_DAYS), discovered_at + timedelta(days=final)


def status_after_report(status: str, stage: str) -> str:
    following = _NEXT.get((status, stage))
    if following is None:
        raise Conflict(
            f"an incident whose report is {status} cannot take a {stage} report",
            code="incident_report_state",
        )
    return following


def report_reasons(affected: int, sensitive: bool, wrongful_intent: bool) -> list[str]:
    """Why a report to the commission is mandatory (empty: not mandatory, still advisable)."""
    reasons = []
    if sensitive:
        reasons.append("要配慮個人情報を含む / involves special care-required personal data")
    if wrongful_intent:
        reasons.append("不正の目的によるおそれ / possibly caused with wrongful intent")
    if affected > REPORTABLE_PERSONS:
        reasons.append(
            f"本人の数が{REPORTABLE_PERSONS}人を超える / more than {REPORTABLE_PERSONS} persons"
        )
    return reasons


def _iso(at: datetime | None) -> str | None:
    return at.isoformat().replace("+00:00", "Z") if at else None


def regulator_draft(
    incident: Incident,
    *,
    target_name: str,
    categories: list[dict[str, Any]],
    at: datetime,
) -> dict[str, Any]:
    """The facts the commission's report form asks for, as a draft staff complete and file."""
    reasons = report_reasons(
        incident.affected_count, incident.sensitive_involved, incident.wrongful_intent
    )
    return {
        "authority": "個人情報保護委員会 / Personal Information Protection Commission",
        "status": incident.status,
        "report_required": bool(reasons),
        "report_required_because": reasons,
        "deadlines": {
            "preliminary": _iso(incident.preliminary_due_at),
            "final": _iso(incident.final_due_at),
            "preliminary_overdue": incident.preliminary_sent_at is None
            and incident.final_sent_at is None
            and at > incident.preliminary_due_at,
            "final_overdue": incident.final_sent_at is None and at > incident.final_due_at,
        },
        "sent": {
            "preliminary": _iso(incident.preliminary_sent_at),
            "final": _iso(incident.final_sent_at),
        },
        "facts": {
            "summary": incident.summary,  # 概要
            "discovered_at": _iso(incident.discovered_at),  # 発覚日
            "period": {"from": _iso(incident.period_from), "to": _iso(incident.period_to)},
            "where": {"kind": incident.target, "name": target_name},  # 発生した事業者・システム
            "categories": categories,  # 漏えい等が発生したおそれがある個人データの項目
            "sensitive_involved": incident.sensitive_involved,  # 要配慮個人情報の有無
            "affected_persons": incident.affected_count,  # 本人の数
            "cause": incident.cause,  # 原因
            "secondary_damage": incident.secondary_damage,  # 二次被害又はそのおそれ
            "persons_notified": incident.notified_count,  # 本人への対応の実施状況
            "measures": incident.measures,  # 再発防止のための措置
            "recipient_suspended": incident.recipient_suspended,  # その他参考となる事項
            "wrongful_intent": incident.wrongful_intent,
        },
    }
