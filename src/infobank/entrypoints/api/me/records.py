"""The person's records (パーソナルデータ): entrusting and reading them, and the one-time
codes that let a source (情報提供元) send records for the person."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from infobank.domain.records import SELF_PURPOSE, Record
from infobank.entrypoints.api.bodies import Created, Input
from infobank.entrypoints.api.deps import ContextDep, CurrentPerson
from infobank.entrypoints.api.listing import Listing, PageDep, listing
from infobank.services import records

router = APIRouter(tags=["persons"])


class RecordCreate(Input):
    category: str = Field(min_length=1, max_length=64)
    data: dict[str, Any]
    observed_at: datetime | None = None
    purpose: str | None = Field(default=None, max_length=255)


class RecordPublic(BaseModel):
    id: str
    category: str
    data: dict[str, Any]
    observed_at: datetime | None
    acquired_via: str
    source_id: str | None
    source_method: str | None
    purpose: str
    created_at: datetime


class LinkCodeCreate(Input):
    source_id: str = Field(min_length=1, max_length=64)


class LinkCodePublic(BaseModel):
    code: str
    expires_at: datetime


def _record(record: Record) -> RecordPublic:
    return RecordPublic(
        id=record.id,
        category=record.category,
        data=record.data,
        observed_at=record.observed_at,
        acquired_via=record.acquired_via.value,
        source_id=record.source_id,
        source_method=record.source_method,
        purpose=record.purpose,
        created_at=record.created_at,
    )


@router.post("/v1/me/records", status_code=status.HTTP_201_CREATED)
def add_record(ctx: ContextDep, person: CurrentPerson, body: RecordCreate) -> Created:
    """Entrust a record; it is stored encrypted under the person's data key."""
    new = records.NewRecord(
        category=body.category,
        data=body.data,
        observed_at=body.observed_at,
        purpose=body.purpose or SELF_PURPOSE,
    )
    return Created(id=records.add_record(ctx, person.id, new))


@router.get("/v1/me/records")
def list_records(
    ctx: ContextDep, person: CurrentPerson, page: PageDep, category: str | None = None
) -> Listing[RecordPublic]:
    """The person's records, newest first, optionally of one category."""
    return listing(records.records_page(ctx, person.id, page, category), _record)


@router.get("/v1/me/records/{record_id}")
def get_record(ctx: ContextDep, person: CurrentPerson, record_id: str) -> RecordPublic:
    """One of the person's records (404 for anyone else's)."""
    return _record(records.get_record(ctx, person.id, record_id))


@router.post("/v1/me/source-links", status_code=status.HTTP_201_CREATED)
def create_link_code(
    ctx: ContextDep, person: CurrentPerson, body: LinkCodeCreate
) -> LinkCodePublic:
    """A one-time code to give a source so it may send this person's records."""
    code, expires_at = records.create_link_code(ctx, person.id, body.source_id)
    return LinkCodePublic(code=code, expires_at=expires_at)
