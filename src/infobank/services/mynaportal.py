"""Mynaportal linkage (マイナポータル連携): the person links with their My Number card, the bank
verifies the card (本人確認) and imports their health data as FHIR records; inside the 90-day
window (期間連携) a refetch adds only what is new, after it the bank stops and tells the person
how to renew.

    start_link ─► authorization_url (state, nonce, PKCE S256) ─► Mynaportal: card + PIN
    complete_link(state, code) ─► token + card assertion ─► verify card ─► fetch ─► FHIR ─► records
    refresh ─► window open: fetch, import what is new │ window over: expire, notify, no call

Network calls happen between transactions, never inside one: a slow government API must not
hold a database lock. Nothing is imported unless the card verified.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from infobank.domain.errors import Conflict, Gone
from infobank.domain.mynaportal import (
    LINK_REQUEST_TTL,
    IdentityVerification,
    LinkStatus,
    MynaportalLink,
    failure_text,
)
from infobank.domain.mynaportal_fhir import convert
from infobank.domain.records import AcquiredVia
from infobank.services import credentials, records, transparency
from infobank.services.context import Context
from infobank.services.mynaportal_ports import CardCheck, Connector, MynaportalError, TokenGrant
from infobank.services.ports import UnitOfWork

__all__ = [
    "ACQUISITION_PURPOSE",
    "RENEW",
    "LinkOutcome",
    "RefreshOutcome",
    "complete_link",
    "expire_due",
    "refuse_link",
    "requested_by",
    "identity_claim",
    "refresh",
    "start_link",
    "status",
]

log = logging.getLogger("infobank.mynaportal")

ITEM_KINDS = ("medication", "checkup", "medical_expenses")
ACQUISITION_PURPOSE = "mynaportal_self_information"  # 本人の求めによるマイナポータルからの取得
SOURCE_METHOD = "mynaportal.self_information_api"
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


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    status: str  # "active" | "failed"
    failure: str | None
    person_id: str | None
    imported: int = 0
    fetched: bool = False

    def message(self) -> tuple[str, str]:
        if self.failure is not None:
            return failure_text(self.failure)
        if not self.fetched:
            return (
                "本人確認が完了しました。データの取得は後ほど再試行してください。",
                "Your identity is verified. Fetching the data failed for now; refresh later.",
            )
        return (
            f"本人確認が完了し、マイナポータルから {self.imported} 件の健康データを"
            "取り込みました。",
            f"Your identity is verified and {self.imported} health records were imported "
            "from Mynaportal.",
        )


@dataclass(frozen=True, slots=True)
class RefreshOutcome:
    status: str  # "active" | "expired"
    imported: int
    window_end: datetime | None
    renew: dict[str, Any] | None = None


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _aad(link_id: str, what: str) -> bytes:
    return f"mynaportal_link:{link_id}:{what}".encode()


def _key(uow: UnitOfWork, person_id: str) -> bytes:
    wrapped = uow.persons.wrapped_key(person_id)
    if wrapped is None:
        raise Gone("this person's data has been erased", code="data_erased")
    return wrapped


def start_link(ctx: Context, conn: Connector, person_id: str) -> tuple[str, datetime]:
    """Begin linking: the URL to send the person to, and until when it may be used."""
    now = ctx.clock.now()
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(48)  # RFC 7636: 43–128 characters
    challenge = _b64url(hashlib.sha256(verifier.encode()).digest())
    link_id = str(uuid.uuid4())
    with ctx.uow() as uow:
        wrapped = _key(uow, person_id)
        uow.mynaportal.add_link(
            MynaportalLink(
                id=link_id,
                person_id=person_id,
                state_lookup=credentials.digest(state),
                nonce=nonce,
                verifier_enc=ctx.data_keys.encrypt(
                    wrapped, person_id, verifier.encode(), _aad(link_id, "verifier")
                ),
                status=LinkStatus.PENDING,
                created_at=now,
            )
        )
        uow.commit()
    url = conn.api.authorization_url(
        state=state, nonce=nonce, code_challenge=challenge, redirect_uri=conn.redirect_uri
    )
    return url, now + LINK_REQUEST_TTL


def _fail(ctx: Context, link: MynaportalLink, failure: str) -> LinkOutcome:
    with ctx.uow() as uow:
        uow.mynaportal.update_link(
            link.id, status=LinkStatus.FAILED, failure_code=failure, completed_at=ctx.clock.now()
        )
        uow.commit()
    return LinkOutcome(LinkStatus.FAILED, failure, link.person_id)


def requested_by(ctx: Context, state: str) -> str | None:
    """The person who started the pending link ``state`` names (None if there is none).

    The callback completes a link only in a browser logged in as that person: whoever enters
    a card's PIN on a link someone else started must not hand their data to that account."""
    with ctx.uow() as uow:
        link = uow.mynaportal.link_by_state(credentials.digest(state)) if state else None
    return link.person_id if link is not None and link.status == LinkStatus.PENDING else None


def refuse_link(ctx: Context, state: str, failure: str) -> LinkOutcome:
    """End a pending link without using it (the callback came from the wrong session)."""
    claimed = _claim(ctx, state)
    if isinstance(claimed, LinkOutcome):
        return claimed
    return _fail(ctx, claimed[0], failure)


def _claim(ctx: Context, state: str) -> tuple[MynaportalLink, str] | LinkOutcome:
    """Take the pending link for ``state`` (single use) and its PKCE verifier."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        link = uow.mynaportal.link_by_state(credentials.digest(state))
        if link is None:
            return LinkOutcome(LinkStatus.FAILED, "unknown_request", None)
        if link.status != LinkStatus.PENDING:
            return LinkOutcome(LinkStatus.FAILED, "link_request_used", link.person_id)
        if now - link.created_at > LINK_REQUEST_TTL:
            failure = "link_request_expired"
            uow.mynaportal.update_link(
                link.id, status=LinkStatus.FAILED, failure_code=failure, completed_at=now
            )
            uow.commit()
            return LinkOutcome(LinkStatus.FAILED, failure, link.person_id)
        verifier = ctx.data_keys.decrypt(
            _key(uow, link.person_id), link.person_id, link.verifier_enc, _aad(link.id, "verifier")
        ).decode()
        uow.mynaportal.update_link(link.id, status=LinkStatus.VERIFYING)
        uow.commit()
    return link, verifier


def complete_link(
    ctx: Context,
    conn: Connector,
    state: str,
    code: str | None,
    error: str | None = None,
    error_description: str | None = None,
) -> LinkOutcome:
    """The callback: verify the card and, only if it holds, import the person's data."""
    claimed = _claim(ctx, state)
    if isinstance(claimed, LinkOutcome):
        return claimed
    link, verifier = claimed
    if error or not code:
        refused = "pin_incorrect" if error_description == "card_pin_incorrect" else None
        return _fail(ctx, link, refused or "authorization_denied")
    try:
        grant = conn.api.exchange(code, verifier, conn.redirect_uri)
    except MynaportalError:
        return _fail(ctx, link, "token_exchange_failed")
    if grant.assertion is None:
        return _fail(ctx, link, "certificate_malformed")
    check = conn.cards.verify(grant.assertion, link.nonce, ctx.clock.now())
    if check.failure is not None or check.not_after is None:
        return _fail(ctx, link, check.failure or "certificate_malformed")
    card_lookup = ctx.lookup("mynumber-card", f"{check.issuer}|{check.serial}")
    try:
        data: dict[str, list[dict[str, Any]]] | None = conn.api.fetch(grant.access_token)
    except MynaportalError as exc:
        log.warning("Mynaportal fetch after linking failed: %s", exc.code)
        data = None
    person_id = link.person_id
    imported = 0
    with ctx.uow() as uow:
        owner = uow.mynaportal.card_owner(card_lookup)
        taken = owner is not None and owner != person_id
        if not taken:
            imported = _activate(ctx, conn, uow, link, check, card_lookup, grant, data)
            uow.commit()
    if taken:
        return _fail(ctx, link, "card_linked_elsewhere")
    return LinkOutcome(LinkStatus.ACTIVE, None, person_id, imported, data is not None)


def _activate(
    ctx: Context,
    conn: Connector,
    uow: UnitOfWork,
    link: MynaportalLink,
    check: CardCheck,
    card_lookup: str,
    grant: TokenGrant,
    data: dict[str, list[dict[str, Any]]] | None,
) -> int:
    """Record the verified identity, open the window and import; returns records added."""
    now = ctx.clock.now()
    person_id = link.person_id
    assert check.not_after is not None
    wrapped = _key(uow, person_id)
    uow.mynaportal.set_verification(
        IdentityVerification(
            person_id=person_id,
            method="mynumber_card",
            verified_at=now,
            certificate_serial=check.serial,
            certificate_issuer=check.issuer,
            certificate_not_after=check.not_after,
            card_lookup=card_lookup,
        )
    )
    uow.mynaportal.supersede(person_id, keep=link.id, at=now)
    lifetime = min(timedelta(seconds=max(0, grant.expires_in)), conn.window)
    uow.mynaportal.update_link(
        link.id,
        status=LinkStatus.ACTIVE,
        token_enc=ctx.data_keys.encrypt(
            wrapped, person_id, grant.access_token.encode(), _aad(link.id, "token")
        ),
        window_start=now,
        window_end=now + lifetime,
        last_fetched_at=now if data is not None else None,
        completed_at=now,
    )
    imported = _import(ctx, conn, uow, person_id, data) if data is not None else 0
    transparency.append(
        ctx, uow, "identity.verified", now, person_id=person_id, method="mynumber_card"
    )
    if imported:
        transparency.append(
            ctx, uow, "mynaportal.imported", now, person_id=person_id, records=imported
        )
    uow.notifications.add(
        person_id,
        "mynaportal.linked",
        {"imported": imported, "window_end": (now + lifetime).isoformat()},
        now,
    )
    return imported


def _import(
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


def _expire(uow: UnitOfWork, link: MynaportalLink, now: datetime) -> None:
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
            _expire(uow, link, now)
            uow.commit()
            return RefreshOutcome(LinkStatus.EXPIRED, 0, link.window_end, RENEW)
        token = ctx.data_keys.decrypt(
            _key(uow, person_id), person_id, link.token_enc, _aad(link.id, "token")
        ).decode()
    try:
        data = conn.api.fetch(token)
    except MynaportalError as exc:
        if exc.code != "expired":
            raise Conflict(
                "Mynaportal did not answer; try again later", code="mynaportal_unavailable"
            ) from exc
        with ctx.uow() as uow:
            _expire(uow, link, ctx.clock.now())
            uow.commit()
        return RefreshOutcome(LinkStatus.EXPIRED, 0, link.window_end, RENEW)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        imported = _import(ctx, conn, uow, person_id, data)
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
            _expire(uow, link, now)
        if due:
            uow.commit()
    return len(due)


def identity_claim(uow: UnitOfWork, person_id: str) -> dict[str, Any]:
    """What recipients are told about the person's identity: verified or not, how and when —
    never the certificate, whose serial would link the person across recipients."""
    verification = uow.mynaportal.verification(person_id)
    if verification is None:
        return {"verified": False}
    return {
        "verified": True,
        "method": verification.method,
        "verified_at": verification.verified_at.isoformat().replace("+00:00", "Z"),
    }


def status(ctx: Context, person_id: str) -> dict[str, Any]:
    """The person's view: identity verification, the link and its window, what was imported."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        link = uow.mynaportal.current_link(person_id)
        verification = uow.mynaportal.verification(person_id)
        imported = len(uow.mynaportal.item_lookups(person_id))
    shown: dict[str, Any] | None = None
    if link is not None:
        current = link.status
        if current == LinkStatus.ACTIVE and not link.open_at(now):
            current = LinkStatus.EXPIRED
        failure = None
        if link.failure_code:
            ja, en = failure_text(link.failure_code)
            failure = {"code": link.failure_code, "message": ja, "message_en": en}
        shown = {
            "status": current,
            "window_start": link.window_start,
            "window_end": link.window_end,
            "last_fetched_at": link.last_fetched_at,
            "failure": failure,
            "renew": RENEW if current == LinkStatus.EXPIRED else None,
        }
    return {
        "identity": {
            "verified": verification is not None,
            "method": verification.method if verification else None,
            "verified_at": verification.verified_at if verification else None,
            "certificate_not_after": verification.certificate_not_after if verification else None,
        },
        "link": shown,
        "imported_items": imported,
    }
