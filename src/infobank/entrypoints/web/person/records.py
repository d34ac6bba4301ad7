"""The person's records (預託データ): what the bank holds, grouped by category, adding one by
hand, and each record with its source."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from starlette.responses import Response

from infobank.domain import errors as e
from infobank.entrypoints.web.deps import PageRoute, PersonVisit, Visit, csrf_guard
from infobank.entrypoints.web.templating import JST
from infobank.services import account, records

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])

Text = Annotated[str, Form(max_length=1024)]

_INTEGER = re.compile(r"^-?\d{1,15}$")
_DECIMAL = re.compile(r"^-?\d{1,15}\.\d{1,15}$")


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
