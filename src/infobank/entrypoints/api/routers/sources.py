"""The source's API (情報提供元): redeem link codes and push records."""

from __future__ import annotations

from fastapi import APIRouter, status

from infobank.entrypoints.api.deps import ContextDep, CurrentSource
from infobank.entrypoints.api.schemas import (
    IdsPublic,
    SourceLinkCreate,
    SourceLinkPublic,
    SourceRecordsCreate,
)
from infobank.services import records

router = APIRouter(tags=["sources"])


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
