"""Entrusted records (預託データ): typed in by the person or pushed by a linked source.

Payloads are sealed with the person's data key before they reach a repository, bound to their
row (``aad``) so a ciphertext moved to another row or person fails to open. A source can push
only for persons who linked it with a one-time code, and a batch is all-or-nothing.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from infobank.domain.errors import Forbidden, Gone, InvalidInput, NotFound
from infobank.domain.identity import PrincipalKind
from infobank.domain.pages import Page, PageRequest
from infobank.domain.records import (
    SELF_PURPOSE,
    AcquiredVia,
    LinkCode,
    Record,
    SourceLink,
    StoredRecord,
)
from infobank.services import credentials
from infobank.services.context import Context
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = [
    "NewRecord",
    "SourceRecord",
    "add_record",
    "create_link_code",
    "entrust",
    "get_record",
    "link_source",
    "list_records",
    "records_page",
    "open_record",
    "push_records",
]


@dataclass(frozen=True, slots=True)
class NewRecord:
    category: str
    data: Mapping[str, Any]
    observed_at: datetime | None = None
    purpose: str = SELF_PURPOSE


@dataclass(frozen=True, slots=True)
class SourceRecord:
    person_ref: str
    category: str
    data: Mapping[str, Any]
    observed_at: datetime | None
    acquired_via: str  # how the source obtained it, e.g. "pos_purchase"
    purpose: str


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _encode(data: Mapping[str, Any]) -> bytes:
    # allow_nan=False: NaN and Infinity are not JSON (RFC 8259) and would not survive the trip.
    return json.dumps(
        data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode()


def _aad(record_id: str, person_id: str, category: str) -> bytes:
    return f"record:{record_id}:{person_id}:{category}".encode()


def _is_id(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _check(
    ctx: Context,
    category: str,
    data: Mapping[str, Any],
    observed_at: datetime | None,
    texts: Mapping[str, str],
) -> tuple[bytes, list[tuple[str, str]]]:
    """The record's serialised payload and every reason to refuse it (``(code, detail)``)."""
    found: list[tuple[str, str]] = []
    if category not in ctx.catalogue:
        found.append(("unknown_category", f"unknown category {category!r}; see GET /v1/catalogue"))
    try:
        payload = _encode(data)
    except ValueError:
        payload = b""
        found.append(("validation_error", "data holds a number JSON cannot carry (NaN, Infinity)"))
    if len(payload) > ctx.limits.max_record_bytes:
        found.append(
            ("payload_too_large", f"record payload over {ctx.limits.max_record_bytes} bytes")
        )
    if observed_at is not None and observed_at.utcoffset() is None:
        found.append(
            ("validation_error", "observed_at needs a time zone, e.g. 2026-11-26T09:00:00Z")
        )
    for name, value in texts.items():
        if _CONTROL.search(value):
            found.append(("validation_error", f"{name} must not hold control characters"))
    return payload, found


def _seal(
    ctx: Context, wrapped_key: bytes, person_id: str, category: str, payload: bytes
) -> tuple[str, bytes]:
    record_id = str(uuid.uuid4())
    sealed = ctx.data_keys.encrypt(
        wrapped_key, person_id, payload, _aad(record_id, person_id, category)
    )
    return record_id, sealed


def _key(uow: UnitOfWork, person_id: str) -> bytes:
    wrapped = uow.persons.wrapped_key(person_id)
    if wrapped is None:
        raise Gone("this person's data has been erased", code="data_erased")
    return wrapped


def add_record(ctx: Context, person_id: str, new: NewRecord) -> str:
    """The person entrusts one record (acquired via ``self``)."""
    payload, problems = _check(
        ctx, new.category, new.data, new.observed_at, {"purpose": new.purpose}
    )
    if problems:
        code, detail = problems[0]
        raise InvalidInput(detail, code=code)
    with ctx.uow() as uow:
        record_id, sealed = _seal(ctx, _key(uow, person_id), person_id, new.category, payload)
        uow.records.add(
            StoredRecord(
                id=record_id,
                person_id=person_id,
                category=new.category,
                payload=sealed,
                size_bytes=len(payload),
                observed_at=new.observed_at,
                acquired_via=AcquiredVia.SELF,
                source_id=None,
                source_method=None,
                purpose=new.purpose,
                created_at=ctx.clock.now(),
            )
        )
        uow.commit()
    return record_id


def entrust(
    ctx: Context,
    uow: UnitOfWork,
    person_id: str,
    category: str,
    data: Mapping[str, Any],
    observed_at: datetime | None,
    *,
    acquired_via: AcquiredVia,
    source_method: str | None,
    purpose: str,
) -> str:
    """Store one record inside the caller's transaction (for connectors that import many
    records together with their own bookkeeping, such as the Mynaportal import)."""
    payload, problems = _check(ctx, category, data, observed_at, {"purpose": purpose})
    if problems:
        code, detail = problems[0]
        raise InvalidInput(detail, code=code)
    record_id, sealed = _seal(ctx, _key(uow, person_id), person_id, category, payload)
    uow.records.add(
        StoredRecord(
            id=record_id,
            person_id=person_id,
            category=category,
            payload=sealed,
            size_bytes=len(payload),
            observed_at=observed_at,
            acquired_via=acquired_via,
            source_id=None,
            source_method=source_method,
            purpose=purpose,
            created_at=ctx.clock.now(),
        )
    )
    return record_id


def open_record(ctx: Context, wrapped_key: bytes, stored: StoredRecord) -> Record:
    """Decrypt a stored record with its owner's (wrapped) data key."""
    plain = ctx.data_keys.decrypt(
        wrapped_key,
        stored.person_id,
        stored.payload,
        _aad(stored.id, stored.person_id, stored.category),
    )
    return Record(
        id=stored.id,
        person_id=stored.person_id,
        category=stored.category,
        data=json.loads(plain),
        observed_at=stored.observed_at,
        acquired_via=stored.acquired_via,
        source_id=stored.source_id,
        source_method=stored.source_method,
        purpose=stored.purpose,
        created_at=stored.created_at,
    )


def get_record(ctx: Context, person_id: str, record_id: str) -> Record:
    if not _is_id(record_id):
        raise NotFound("no such record")
    with ctx.read() as uow:
        stored = uow.records.get(person_id, record_id)
        if stored is None:
            raise NotFound("no such record")
        return open_record(ctx, _key(uow, person_id), stored)


def list_records(ctx: Context, person_id: str, category: str | None = None) -> list[Record]:
    if category is not None and category not in ctx.catalogue:
        raise InvalidInput(f"unknown category {category!r}", code="unknown_category")
    with ctx.read() as uow:
        wrapped = _key(uow, person_id)
        return [open_record(ctx, wrapped, s) for s in uow.records.list(person_id, category)]


def records_page(
    ctx: Context, person_id: str, request: PageRequest, category: str | None = None
) -> Page[Record]:
    """One page of the person's records, newest first."""
    if category is not None and category not in ctx.catalogue:
        raise InvalidInput(f"unknown category {category!r}", code="unknown_category")
    with ctx.read() as uow:
        wrapped = _key(uow, person_id)
        page = uow.records.page(person_id, request, category)
        return page.map(lambda stored: open_record(ctx, wrapped, stored))


def create_link_code(ctx: Context, person_id: str, source_id: str) -> tuple[str, datetime]:
    """A one-time code the person gives the source so it can send records here."""
    if not _is_id(source_id):
        raise NotFound("no such source")
    now = ctx.clock.now()
    code = credentials.new_code()
    expires_at = now + timedelta(seconds=ctx.limits.link_code_ttl_s)
    with ctx.uow() as uow:
        if uow.businesses.get(PrincipalKind.SOURCE, source_id) is None:
            raise NotFound("no such source")
        uow.source_links.add_code(
            LinkCode(
                code_hash=credentials.digest(credentials.normalise_code(code)),
                person_id=person_id,
                source_id=source_id,
                expires_at=expires_at,
                created_at=now,
            )
        )
        uow.commit()
    return code, expires_at


def link_source(ctx: Context, source_id: str, code: str, external_ref: str) -> str:
    """The source redeems the person's code; it learns only an opaque ``person_ref``."""
    now = ctx.clock.now()
    code_hash = credentials.digest(credentials.normalise_code(code))
    with ctx.uow() as uow:
        taken = uow.source_links.take_code(code_hash, source_id, now)
        if taken is None:
            raise InvalidInput(
                "the link code is unknown, expired or already used", code="invalid_link_code"
            )
        existing = uow.source_links.for_person(taken.person_id, source_id)
        if existing is not None and existing.unlinked_at is None:
            uow.commit()
            return existing.person_ref
        if existing is not None:
            raise InvalidInput("the person ended this link", code="link_ended")
        wrapped = _key(uow, taken.person_id)
        link_id = str(uuid.uuid4())
        aad = f"source_link:{link_id}".encode()
        ref = "pref_" + credentials.new_token("x")[2:26]
        uow.source_links.add(
            SourceLink(
                id=link_id,
                person_id=taken.person_id,
                source_id=source_id,
                person_ref=ref,
                external_ref_enc=ctx.data_keys.encrypt(
                    wrapped, taken.person_id, external_ref.encode(), aad
                ),
                created_at=now,
            )
        )
        uow.commit()
    return ref


def push_records(ctx: Context, source_id: str, items: Sequence[SourceRecord]) -> list[str]:
    """Store a batch from a source: every record is accepted, or none is."""
    if not items:
        raise InvalidInput("the batch holds no records")
    if len(items) > ctx.limits.max_batch_records:
        raise InvalidInput(f"a batch holds at most {ctx.limits.max_batch_records} records")
    checked = [
        _check(
            ctx,
            item.category,
            item.data,
            item.observed_at,
            {"purpose": item.purpose, "acquired_via": item.acquired_via},
        )
        for item in items
    ]
    payloads = [payload for payload, _ in checked]
    errors = [
        {"index": i, "code": code, "detail": detail}
        for i, (_, problems) in enumerate(checked)
        for code, detail in problems
    ]
    if errors:
        raise InvalidInput("the batch was refused; nothing was stored", errors=errors)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        refs = [item.person_ref for item in items if not _CONTROL.search(item.person_ref)]
        links = uow.source_links.by_refs(source_id, refs)
        unlinked = [
            {"index": i, "code": "person_not_linked", "detail": "no link with this person_ref"}
            for i, item in enumerate(items)
            if item.person_ref not in links
        ]
        if unlinked:
            raise Forbidden(
                "the batch names persons who have not linked this source; nothing was stored",
                code="person_not_linked",
                errors=unlinked,
            )
        keys: dict[str, bytes] = {}
        ids: list[str] = []
        for item, payload in zip(items, payloads, strict=True):
            person_id = links[item.person_ref].person_id
            if person_id not in keys:
                keys[person_id] = _key(uow, person_id)
            record_id, sealed = _seal(ctx, keys[person_id], person_id, item.category, payload)
            uow.records.add(
                StoredRecord(
                    id=record_id,
                    person_id=person_id,
                    category=item.category,
                    payload=sealed,
                    size_bytes=len(payload),
                    observed_at=item.observed_at,
                    acquired_via=AcquiredVia.SOURCE,
                    source_id=source_id,
                    source_method=item.acquired_via,
                    purpose=item.purpose,
                    created_at=now,
                )
            )
            ids.append(record_id)
        uow.commit()
    return ids
