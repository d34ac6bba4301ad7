"""Retrieving a person's data from Mynaportal (自己情報取得): importing items as records,
refreshing within the linkage period, and expiring links whose period ended."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from infobank.domain.errors import Conflict, Gone
from infobank.domain.mynaportal import (
    LinkStatus,
    MynaportalLink,
)
from infobank.domain.mynaportal_fhir import convert
from infobank.domain.records import AcquiredVia
from infobank.services import records, transparency
from infobank.services.context import Context
from infobank.services.ports.mynaportal import Connector, MynaportalError
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = ["ACQUISITION_PURPOSE", "RENEW", "RefreshOutcome", "expire_due", "refresh"]

log = logging.getLogger("infobank.mynaportal")

# How to renew, as shown to the person when the 90-day window is over.
RENEW: dict[str, Any] = {
    "method": "POST",
    "path": "/v1/me/mynaportal/link",
    "message_ja": (
        "マイナポータルとの期間連携（90日間）が終了したため、取得を停止しました。"
        "引き続き取得するには、マイナンバーカードで連携をやり直してください。"
    ),
    "message_en": (
        "The 90-day Mynaportal linkage has ended, so the bank stopped fetching. To keep "
        "fetching, link again with your My Number card."
    ),
}

ITEM_KINDS = ("medication", "checkup", "medical_expenses")

ACQUISITION_PURPOSE = "mynaportal_self_information"  # 本人の求めによるマイナポータルからの取得

SOURCE_METHOD = "mynaportal.self_information_api"


@dataclass(frozen=True, slots=True)
class RefreshOutcome:
    status: str  # "active" | "expired"
    imported: int
    window_end: datetime | None
    renew: dict[str, Any] | None = None


def link_aad(link_id: str, what: str) -> bytes:
    return f"mynaportal_link:{link_id}:{what}".encode()


def person_data_key(uow: UnitOfWork, person_id: str) -> bytes:
    wrapped = uow.persons.wrapped_key(person_id)
    if wrapped is None:
        raise Gone("this person's data has been erased", code="data_erased")
    return wrapped


def import_items(
    ctx: Context,
    conn: Connector,
    uow: UnitOfWork,
    person_id: str,
    data: dict[str, list[dict[str, Any]]],
) -> int:
    """Store each item not seen before as one FHIR record; returns how many were new."""
    now = ctx.clock.now()
    known = uow.mynaportal.item_lookups(person_id)
    added = 0
    for kind in ITEM_KINDS:
        for item in data.get(kind) or []:
            item_id = str(item.get("id", "")) if isinstance(item, dict) else ""
            if not item_id:
                continue
            lookup = ctx.lookup("mynaportal-item", f"{person_id}:{kind}:{item_id}")
            if lookup in known:
                continue
            try:
                category, observed_at, resource = convert(kind, item)
                conn.fhir.validate(resource)
            except (KeyError, TypeError, ValueError) as exc:
                # One malformed item must not block the rest; it is retried on the next fetch.
                log.warning("skipped a Mynaportal %s item: %s", kind, type(exc).__name__)
                continue
            record_id = records.entrust(
                ctx,
                uow,
                person_id,
                category,
                resource,
                observed_at,
                acquired_via=AcquiredVia.MYNAPORTAL,
                source_method=SOURCE_METHOD,
                purpose=ACQUISITION_PURPOSE,
            )
            uow.mynaportal.add_item(person_id, lookup, record_id, now)
            known.add(lookup)
            added += 1
    return added


def expire_link(uow: UnitOfWork, link: MynaportalLink, now: datetime) -> None:
    """The window is over: stop, and tell the person once how to renew."""
    values: dict[str, Any] = {"status": LinkStatus.EXPIRED}
    if link.renewal_notified_at is None:
        values["renewal_notified_at"] = now
        uow.notifications.add(
            link.person_id,
            "mynaportal.renewal_needed",
            {
                "window_end": link.window_end.isoformat() if link.window_end else None,
                **RENEW,
            },
            now,
        )
    uow.mynaportal.update_link(link.id, **values)


def refresh(ctx: Context, conn: Connector, person_id: str) -> RefreshOutcome:
    """Fetch again inside the window (only new items are added); after it, stop and notify."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        link = uow.mynaportal.current_link(person_id)
        if link is None or link.status not in (LinkStatus.ACTIVE, LinkStatus.EXPIRED):
            raise Conflict(
                "Mynaportal is not linked; link it first with POST /v1/me/mynaportal/link",
                code="mynaportal_not_linked",
            )
        if not link.open_at(now) or link.token_enc is None:
            expire_link(uow, link, now)
            uow.commit()
            return RefreshOutcome(LinkStatus.EXPIRED, 0, link.window_end, RENEW)
        token = ctx.data_keys.decrypt(
            person_data_key(uow, person_id), person_id, link.token_enc, link_aad(link.id, "token")
        ).decode()
    try:
        data = conn.api.fetch(token)
    except MynaportalError as exc:
        if exc.code != "expired":
            raise Conflict(
                "Mynaportal did not answer; try again later", code="mynaportal_unavailable"
            ) from exc
        with ctx.uow() as uow:
            expire_link(uow, link, ctx.clock.now())
            uow.commit()
        return RefreshOutcome(LinkStatus.EXPIRED, 0, link.window_end, RENEW)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        imported = import_items(ctx, conn, uow, person_id, data)
        uow.mynaportal.update_link(link.id, last_fetched_at=now)
        if imported:
            transparency.append(
                ctx, uow, "mynaportal.imported", now, person_id=person_id, records=imported
            )
        uow.commit()
    return RefreshOutcome(LinkStatus.ACTIVE, imported, link.window_end)


def expire_due(ctx: Context, limit: int = 100) -> int:
    """Expire every link whose window has ended and tell each person (for a worker round)."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        due = uow.mynaportal.links_past_window(now, limit)
        for link in due:
            expire_link(uow, link, now)
        if due:
            uow.commit()
    return len(due)
