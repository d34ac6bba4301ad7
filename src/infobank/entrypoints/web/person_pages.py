"""The person's pages: where my data is now, offers, consents, records, delegation rules,
benefits and notifications (the account is in ``account_pages``). Every page calls the same
use cases as the API."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from pydantic import ValidationError
from starlette.responses import Response

from infobank.domain import errors as e
from infobank.domain.consents import receipt_for
from infobank.entrypoints.api.loop_schemas import DelegationRuleSpec
from infobank.entrypoints.web.auth_pages import STAFF_HOME
from infobank.entrypoints.web.deps import PageRoute, PersonVisit, Visit, VisitDep, csrf_guard
from infobank.entrypoints.web.templating import JST, attachment
from infobank.services import (
    account,
    consents,
    delegation,
    deliveries,
    notifications,
    offers,
    provisions,
    records,
)

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])

Text = Annotated[str, Form(max_length=1024)]
Many = Annotated[list[str] | None, Form()]

_INTEGER = re.compile(r"^-?\d{1,15}$")
_DECIMAL = re.compile(r"^-?\d{1,15}\.\d{1,15}$")
_STOPPABLE = ("active", "paused", "pending")


# where my data is now -----------------------------------------------------------------------


@router.get("/")
def home(visit: VisitDep) -> Response:
    session = visit.session
    if session is None:
        return visit.render("landing.html")
    if session.principal.role is not None:  # staff: their console
        return visit.redirect(STAFF_HOME[session.principal.role])
    person_id = session.principal.id
    cards = provisions.provisions(visit.ctx, person_id)
    balance, _ = deliveries.benefits(visit.ctx, person_id)
    waiting = sum(1 for o in offers.inbox(visit.ctx, person_id) if o["status"] == "open")
    return visit.render(
        "dashboard.html",
        cards=cards,
        balance=balance,
        waiting=waiting,
        stoppable=any(c["status"] in _STOPPABLE for c in cards),
    )


@router.post("/stop-all")
def stop_all(visit: PersonVisit) -> Response:
    consents.stop_all(visit.ctx, visit.principal_id)
    return visit.redirect("/", "stopped_all")


# offers -------------------------------------------------------------------------------------


@router.get("/offers")
def offers_page(visit: PersonVisit) -> Response:
    inbox = offers.inbox(visit.ctx, visit.principal_id)
    waiting_first = sorted(inbox, key=lambda offer: offer["status"] != "open")
    return visit.render("offers.html", offers=waiting_first)


@router.post("/offers/{offer_id}/accept")
def accept(visit: PersonVisit, offer_id: str) -> Response:
    consent = consents.accept(visit.ctx, visit.principal_id, offer_id)
    return visit.redirect(f"/consents/{consent.id}", "offer_accepted")


@router.post("/offers/{offer_id}/decline")
def decline(visit: PersonVisit, offer_id: str) -> Response:
    consents.decline(visit.ctx, visit.principal_id, offer_id)
    return visit.redirect("/offers", "offer_declined")


# consents -----------------------------------------------------------------------------------


@router.get("/consents/{consent_id}")
def consent_page(visit: PersonVisit, consent_id: str) -> Response:
    consent, events, recipient_name = consents.get_consent(
        visit.ctx, visit.principal_id, consent_id
    )
    provision = next(
        (
            p
            for p in provisions.provisions(visit.ctx, visit.principal_id)
            if p["consent_id"] == consent.id
        ),
        None,
    )
    return visit.render(
        "consent.html",
        consent=consent,
        events=events,
        recipient_name=recipient_name,
        receipt=receipt_for(consent.artefact, recipient_name, visit.ctx.base_url),
        provision=provision,
    )


@router.get("/consents/{consent_id}/artefact")
def consent_artefact(visit: PersonVisit, consent_id: str) -> Response:
    """The signed consent artefact (JWS compact serialisation), as a file."""
    consent, _, _ = consents.get_consent(visit.ctx, visit.principal_id, consent_id)
    return attachment(consent.jws, f"consent-{consent.id}.jws", "application/jose")


@router.get("/consents/{consent_id}/receipt")
def consent_receipt(visit: PersonVisit, consent_id: str) -> Response:
    """The ISO/IEC TS 27560 consent receipt, as a JSON file."""
    consent, _, name = consents.get_consent(visit.ctx, visit.principal_id, consent_id)
    receipt = receipt_for(consent.artefact, name, visit.ctx.base_url)
    receipt["log_index"] = consent.log_index
    body = json.dumps(receipt, ensure_ascii=False, indent=2)
    return attachment(body, f"receipt-{consent.id}.json", "application/json")


def _change(visit: Visit, consent_id: str, action: str, msg: str) -> Response:
    consents.change_status(visit.ctx, visit.principal_id, consent_id, action)
    return visit.redirect(f"/consents/{consent_id}", msg)


@router.post("/consents/{consent_id}/pause")
def pause(visit: PersonVisit, consent_id: str) -> Response:
    return _change(visit, consent_id, "pause", "consent_paused")


@router.post("/consents/{consent_id}/resume")
def resume(visit: PersonVisit, consent_id: str) -> Response:
    return _change(visit, consent_id, "resume", "consent_resumed")


@router.post("/consents/{consent_id}/revoke")
def revoke(visit: PersonVisit, consent_id: str) -> Response:
    return _change(visit, consent_id, "revoke", "consent_revoked")


# records ------------------------------------------------------------------------------------


def _records_page(
    visit: Visit, *, status: int = 200, error: str = "", form: Any = None
) -> Response:
    held = records.list_records(visit.ctx, visit.principal_id)
    grouped: dict[str, list[Any]] = {}
    for record in sorted(held, key=lambda r: r.created_at, reverse=True):
        grouped.setdefault(record.category, []).append(record)
    order = [c.code for c in visit.ctx.catalogue if c.code in grouped]
    return visit.render(
        "records.html",
        status=status,
        groups=[(code, grouped[code]) for code in order],
        sources=account.source_names(visit.ctx),
        error=error,
        form=form or {},
    )


@router.get("/records")
def records_page(visit: PersonVisit) -> Response:
    return _records_page(visit)


def _value(raw: str) -> int | float | str:
    """What a person typed, as a number when it is one."""
    if _INTEGER.match(raw):
        return int(raw)
    if _DECIMAL.match(raw):
        return float(raw)
    return raw


@router.post("/records")
def add_record(
    visit: PersonVisit,
    category: Text = "",
    field: Annotated[str, Form(max_length=64)] = "",
    value: Annotated[str, Form(max_length=2000)] = "",
    observed_on: Text = "",
) -> Response:
    form = {"category": category, "field": field, "value": value, "observed_on": observed_on}
    name = field.strip() or "value"
    text = value.strip()
    observed: datetime | None = None
    try:
        if observed_on:
            observed = datetime.combine(date.fromisoformat(observed_on), time(), tzinfo=JST)
    except ValueError:
        return _records_page(visit, status=422, error="validation_error", form=form)
    if not text or category not in visit.ctx.catalogue:
        return _records_page(visit, status=422, error="validation_error", form=form)
    try:
        records.add_record(
            visit.ctx,
            visit.principal_id,
            records.NewRecord(category=category, data={name: _value(text)}, observed_at=observed),
        )
    except e.InvalidInput as exc:
        return _records_page(visit, status=422, error=exc.code, form=form)
    return visit.redirect("/records", "record_added")


@router.get("/records/{record_id}")
def record_page(visit: PersonVisit, record_id: str) -> Response:
    record = records.get_record(visit.ctx, visit.principal_id, record_id)
    shown = {
        key: value
        if isinstance(value, str | int | float)
        else json.dumps(value, ensure_ascii=False)
        for key, value in record.data.items()
    }
    return visit.render(
        "record.html", record=record, shown=shown, sources=account.source_names(visit.ctx)
    )


# delegation rules (委任条件) -------------------------------------------------------------------


def _delegation_page(visit: Visit, *, status: int = 200, error: str = "") -> Response:
    return visit.render(
        "delegation.html",
        status=status,
        rules=delegation.rules(visit.ctx, visit.principal_id),
        error=error,
    )


@router.get("/delegation")
def delegation_page(visit: PersonVisit) -> Response:
    return _delegation_page(visit)


@router.post("/delegation/rules")
def add_rule(
    visit: PersonVisit,
    categories: Many = None,
    purposes: Many = None,
    industries: Text = "",
    min_benefit_points: Text = "0",
    max_retention_days: Text = "365",
    allow_profiling: Text = "",
) -> Response:
    try:
        rule = DelegationRuleSpec.model_validate(
            {
                "categories": categories or [],
                "purposes": purposes or [],
                "industries": [i for i in re.split(r"[\s,、，]+", industries) if i],
                "min_benefit_points": min_benefit_points or "0",
                "max_retention_days": max_retention_days or "365",
                "allow_profiling": allow_profiling == "yes",
            }
        )
    except ValidationError:
        return _delegation_page(visit, status=422, error="validation_error")
    current = delegation.rules(visit.ctx, visit.principal_id)
    try:
        delegation.replace_rules(visit.ctx, visit.principal_id, [*current, rule.model_dump()])
    except e.InvalidInput as exc:
        return _delegation_page(visit, status=422, error=exc.code)
    return visit.redirect("/delegation", "rule_added")


@router.post("/delegation/rules/{index}/delete")
def remove_rule(visit: PersonVisit, index: int) -> Response:
    current = delegation.rules(visit.ctx, visit.principal_id)
    if not 0 <= index < len(current):
        raise e.NotFound("no such rule")
    kept = [rule for i, rule in enumerate(current) if i != index]
    delegation.replace_rules(visit.ctx, visit.principal_id, kept)
    return visit.redirect("/delegation", "rule_removed")


# benefits, notifications -------------------------------------------------------------------


@router.get("/benefits")
def benefits_page(visit: PersonVisit) -> Response:
    balance, entries = deliveries.benefits(visit.ctx, visit.principal_id)
    return visit.render("benefits.html", balance=balance, entries=list(reversed(entries)))


@router.get("/notifications")
def notifications_page(visit: PersonVisit) -> Response:
    return visit.render(
        "notifications.html", items=notifications.for_person(visit.ctx, visit.principal_id)
    )
