"""The source's records (情報提供元): redeeming a person's link code for a pseudonymous
``person_ref``, and pushing records for linked persons."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from infobank.entrypoints.api.bodies import Input
from infobank.entrypoints.api.deps import ContextDep, CurrentSource
from infobank.services import records

router = APIRouter(tags=["sources"])


class SourceLinkCreate(Input):
    code: str = Field(min_length=1, max_length=64)
    external_ref: str = Field(min_length=1, max_length=255)


class SourceLinkPublic(BaseModel):
    person_ref: str


class SourceRecordItem(Input):
    person_ref: str = Field(min_length=1, max_length=64)
    category: str = Field(min_length=1, max_length=64)
    data: dict[str, Any]
    observed_at: datetime | None = None
    acquired_via: str = Field(default="source_system", min_length=1, max_length=64)
    purpose: str = Field(default="service_provision", min_length=1, max_length=255)


class SourceRecordsCreate(Input):
    records: list[SourceRecordItem] = Field(min_length=1)


class IdsPublic(BaseModel):
    ids: list[str]


@router.post("/v1/source/links", status_code=status.HTTP_201_CREATED)
def link(ctx: ContextDep, source: CurrentSource, body: SourceLinkCreate) -> SourceLinkPublic:
    """Redeem a person's one-time code; returns the pseudonymous ``person_ref``."""
    return SourceLinkPublic(
        person_ref=records.link_source(ctx, source.id, body.code, body.external_ref)
    )


@router.post("/v1/source/records", status_code=status.HTTP_201_CREATED)
def push(ctx: ContextDep, source: CurrentSource, body: SourceRecordsCreate) -> IdsPublic:
    """Push a batch of records for linked persons; all are stored or none."""
    items = [
        records.SourceRecord(
            person_ref=item.person_ref,
            category=item.category,
            data=item.data,
            observed_at=item.observed_at,
            acquired_via=item.acquired_via,
            purpose=item.purpose,
        )
        for item in body.records
    ]
    return IdsPublic(ids=records.push_records(ctx, source.id, items))
