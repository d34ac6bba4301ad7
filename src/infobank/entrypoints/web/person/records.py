"""The person's records (預託データ): what the bank holds, one compact card per record newest
first, adding one by hand, and each record's page with its tables and provenance. How a record
reads is ``record_views``' business; this module only fetches and renders."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from starlette.responses import Response

from infobank.domain import errors as e
from infobank.domain.records import Record
from infobank.entrypoints.web.deps import PageRoute, PersonVisit, Visit, csrf_guard
from infobank.entrypoints.web.person import record_views
from infobank.entrypoints.web.person.record_values import Words
from infobank.entrypoints.web.templating import JST
from infobank.services import account, persons, records

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])

Text = Annotated[str, Form(max_length=1024)]

_INTEGER = re.compile(r"^-?\d{1,15}$")
_DECIMAL = re.compile(r"^-?\d{1,15}\.\d{1,15}$")


def _lookups(visit: Visit, held: list[Record]) -> record_views.Lookups:
    """The page's words, the catalogue, the sources' names and, where checkups are shown,
    the person's sex (waist circumference has a reference range per sex)."""
    words = Words(visit.lang, visit.pages.translations(visit.lang), visit.pages.prefectures)
    sex = None
    if any(r.category == "health.checkup" for r in held):
        sex = persons.profile(visit.ctx, visit.principal_id).gender.value
    return record_views.Lookups(
        words, visit.ctx.catalogue, account.source_names(visit.ctx), sex=sex
    )


def _records_page(
    visit: Visit, *, status: int = 200, error: str = "", form: Any = None
) -> Response:
    # Newest entrusted first, a page at a time (records of one import by their keyset order).
    page = records.records_page(visit.ctx, visit.principal_id, visit.page_request())
    looks = _lookups(visit, page.items)
    return visit.render(
        "records.html",
        status=status,
        cards=[record_views.card(record, looks) for record in page.items],
        page=page,
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
    history: list[Record] = []
    if record.category == "health.checkup":  # the trends over the years
        history = records.list_records(visit.ctx, visit.principal_id, record.category)
    view = record_views.page(record, _lookups(visit, [record]), history)
    return visit.render("record.html", view=view)
