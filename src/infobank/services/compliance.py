"""The evidence pack for certification (認定): each criterion the software supports, with live
evidence drawn from the system, for auditors (``infobank compliance report``).

    criteria ──► counts and dates from the tables (Statistics), computed deadlines (help desk,
                 incidents), the transparency log re-verified from its leaves and signed heads
             ──► JSON (for tools) and Markdown (for people), both from the same dictionary

A criterion is ``attention`` when its evidence shows something an auditor should look at
(a certificate about to expire, an overdue reply or report, a log that does not verify),
``no_evidence`` when nothing stands behind it yet (no consent signed, no recipient, no
inquiry: an empty bank proves nothing), else ``ok``. Each criterion cites its sources: the
rules that enforce it at the report's guideline version with their source and basis, or this
bank's own commitment (``services/compliance_criteria.py``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from infobank.domain.business_days import add_business_days
from infobank.services import log_verify, terms
from infobank.services.compliance_criteria import CRITERIA, cites
from infobank.services.context import Context
from infobank.services.ports import log_source
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = ["CRITERIA", "STATUS_WORDS", "build", "markdown"]

CERT_WINDOW = timedelta(days=90)
STALE_REVOCATION = timedelta(days=30)

# How each status reads in the Markdown report and the command's table.
STATUS_WORDS = {
    "ok": "ok",
    "attention": "attention (要確認)",
    "no_evidence": "no evidence yet (根拠となる記録なし)",
}


def _iso(at: datetime | None) -> str | None:
    return at.isoformat().replace("+00:00", "Z") if at else None


def _consent(ctx: Context, uow: UnitOfWork) -> tuple[dict[str, Any], bool]:
    live = uow.stats.live_persons()
    in_force = terms.current(ctx, uow).version
    return {
        "consents_by_status": uow.stats.by("consents", "status"),
        "consents_by_mode": uow.stats.by("consents", "mode"),
        "signed_artefacts": uow.stats.count("consents"),
        "latest_consent_at": _iso(uow.stats.latest("consents", "created_at")),
        "terms_version": in_force,
        "persons": live,
        "persons_on_current_terms": uow.stats.persons_on_terms(in_force),
    }, False


def _controllability(ctx: Context, uow: UnitOfWork) -> tuple[dict[str, Any], bool]:
    stale = uow.stats.count_before(
        "revocations", "created_at", ctx.clock.now() - STALE_REVOCATION, acknowledged_at=None
    )
    return {
        "revocations": uow.stats.count("revocations"),
        "deletion_confirmed": uow.stats.count("revocations")
        - uow.stats.count("revocations", acknowledged_at=None),
        "deletion_awaiting_confirmation": uow.stats.count("revocations", acknowledged_at=None),
        "deletion_unconfirmed_over_30_days": stale,
        "paused_consents": uow.stats.count("consents", status="paused"),
        "persons_with_delegation_rules": uow.stats.count("delegations"),
        "accounts_erased": uow.stats.count("persons") - uow.stats.live_persons(),
    }, stale > 0


def _vetting(ctx: Context, uow: UnitOfWork, version: str) -> tuple[dict[str, Any], bool]:
    today = ctx.clock.now().date()
    due = uow.stats.certificates_due(today, today + CERT_WINDOW)
    total = uow.stats.count("recipients")
    evidence: dict[str, Any] = {
        "recipients": total,
        "suspended": total - uow.stats.count("recipients", suspended_at=None),
        "without_valid_certificate": uow.stats.uncertified_recipients(today),
        "certificates_expiring_within_90_days": [
            {
                "recipient": c.recipient,
                "kind": c.kind,
                "number": c.number,
                "valid_until": c.valid_until.isoformat(),
            }
            for c in due
        ],
    }
    if version >= "2.0":
        evidence["exceptions_not_withdrawn"] = uow.stats.count(
            "recipient_exceptions", withdrawn_at=None
        )
    if version >= "3.0":
        evidence["joint_applications_in_force"] = uow.stats.count(
            "joint_applications", withdrawn_at=None
        )
    return evidence, bool(due)


def _ethics(uow: UnitOfWork) -> tuple[dict[str, Any], bool]:
    return {
        "reviews_by_decision": uow.stats.by("reviews", "decision"),
        "last_review_at": _iso(uow.stats.latest("reviews", "decided_at")),
        "offers_by_status": uow.stats.by("offers", "status"),
        "awaiting_review": uow.stats.count("offers", status="under_review"),
    }, False


def _security(
    ctx: Context, uow: UnitOfWork, log: log_verify.Report | None
) -> tuple[dict[str, Any], bool]:
    head = uow.log.latest_head()
    evidence: dict[str, Any] = {
        "guideline_version_in_force": ctx.guideline_version,
        "records_encrypted_at_rest": uow.stats.count("records"),
        "log_size": uow.log.size(),
        "signed_heads": uow.stats.count("tree_heads"),
        "latest_signed_head": None
        if head is None
        else {"tree_size": head.tree_size, "timestamp": _iso(head.timestamp)},
        "log_verifies": None if log is None else log.ok,
    }
    if log is not None and not log.ok:
        evidence["log_problems"] = log.problems[:5]
    return evidence, log is None or not log.ok


def _help_desk(ctx: Context, uow: UnitOfWork) -> tuple[dict[str, Any], bool]:
    now = ctx.clock.now()
    days = ctx.limits.inquiry_first_reply_business_days
    overdue = sum(
        1
        for _id, created in uow.stats.waiting_inquiries()
        if now >= add_business_days(created, days)
    )
    return {
        "inquiries_by_status": uow.stats.by("inquiries", "status"),
        "first_reply_target_business_days": days,
        "overdue_first_replies": overdue,
        "unassigned_not_closed": uow.stats.count(
            "inquiries", assigned_to=None, status=["open", "answered"]
        ),
    }, overdue > 0


def _incidents(ctx: Context, uow: UnitOfWork) -> tuple[dict[str, Any], bool]:
    now = ctx.clock.now()
    found = uow.incidents.list()
    late = [
        i.id
        for i in found
        if (i.final_sent_at is None and now > i.final_due_at)
        or (
            i.preliminary_sent_at is None and i.final_sent_at is None and now > i.preliminary_due_at
        )
    ]
    return {
        "incidents_by_status": uow.stats.by("incidents", "status"),
        "latest_discovered_at": _iso(max((i.discovered_at for i in found), default=None)),
        "persons_notified": sum(i.notified_count for i in found),
        "reports_overdue": len(late),
    }, bool(late)


def _termination(uow: UnitOfWork) -> tuple[dict[str, Any], bool]:
    plan = uow.termination.plan()
    return {
        "status": plan.status if plan else "not_planned",
        "deadline": _iso(plan.deadline) if plan else None,
        "exit_choices": uow.stats.by("exit_choices", "choice"),
        "transfers_out": uow.stats.by("transfers_out", "status"),
        "transfers_in": uow.stats.by("transfers_in", "status"),
        "procedure": "infobank terminate plan|run; POST /v1/me/exit; POST /v1/me/transfer",
    }, False


def build(
    ctx: Context,
    *,
    version: str = "3.0",
    log_source: log_source.LogSource | None = None,
) -> dict[str, Any]:
    """The evidence pack as one dictionary (JSON-ready). ``log_source``: where to re-verify
    the transparency log from (the database, normally); without it the log is not checked."""
    checked = log_verify.verify(log_source, ctx.signer.verify) if log_source else None
    with ctx.read() as uow:
        found = {
            "consent": _consent(ctx, uow),
            "controllability": _controllability(ctx, uow),
            "recipient_vetting": _vetting(ctx, uow, version),
            "ethics_board": _ethics(uow),
            "security": _security(ctx, uow, checked),
            "help_desk": _help_desk(ctx, uow),
            "incidents": _incidents(ctx, uow),
            "termination": _termination(uow),
        }
    return {
        "format": "infobank-compliance-report/1",
        "generated_at": _iso(ctx.clock.now()),
        "bank": ctx.base_url,
        "guideline_version": version,
        "criteria": [
            {
                "key": c.key,
                "title_ja": c.title_ja,
                "title_en": c.title_en,
                "requirement": c.requirement,
                "status": _status(c.shown_by(evidence), attention),
                "sources": cites(c, version),
                "evidence": evidence,
            }
            for c in CRITERIA
            for evidence, attention in (found[c.key],)
        ],
    }


def _status(shown: bool, attention: bool) -> str:
    """``attention`` first (something to look at is evidence too), then ``no_evidence``."""
    if attention:
        return "attention"
    return "ok" if shown else "no_evidence"


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list):
        return "; ".join(_value(v) for v in value) or "none"
    if value is None:
        return "—"
    return str(value)


def markdown(report: dict[str, Any]) -> str:
    """The same report for people: a summary table, then each criterion's evidence."""
    lines = [
        "# 認定のためのエビデンス / Evidence for certification",
        "",
        f"- bank: {report['bank']}",
        f"- guideline version (認定指針): {report['guideline_version']}",
        f"- generated at: {report['generated_at']}",
        "",
        "| criterion | 基準 | status |",
        "|---|---|---|",
    ]
    for c in report["criteria"]:
        lines.append(f"| {c['title_en']} | {c['title_ja']} | {STATUS_WORDS[c['status']]} |")
    for c in report["criteria"]:
        status = STATUS_WORDS[c["status"]]
        lines += ["", f"## {c['title_ja']} / {c['title_en']} ({status})", ""]
        lines += [f"_{c['requirement']}_", "", "Sources (根拠):", ""]
        lines += [_cited(cited) for cited in c["sources"]]
        lines += ["", "Evidence:", ""]
        lines += [f"- **{name}**: {_value(value)}" for name, value in c["evidence"].items()]
    return "\n".join(lines) + "\n"


def _cited(cited: dict[str, Any]) -> str:
    rule = f"`{cited['rule']}` " if cited["rule"] else ""
    return f"- {rule}({cited['source']}): {cited['basis_ja']} / {cited['basis_en']}"
