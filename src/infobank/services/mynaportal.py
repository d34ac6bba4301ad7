"""Mynaportal linkage (マイナポータル連携): the person links with their My Number card, the bank
verifies the card (本人確認) and imports their health data as FHIR records; inside the 90-day
window (期間連携) a refetch adds only what is new, after it the bank stops and tells the person
how to renew.

    start_link ─► authorization_url (state, nonce, PKCE S256) ─► Mynaportal: card + PIN
    complete_link(state, code) ─► token + card assertion ─► verify card ─► fetch ─► FHIR ─► records
    refresh ─► window open: fetch, import what is new │ window over: expire, notify, no call

Network calls happen between transactions, never inside one: a slow government API must not
hold a database lock. Nothing is imported unless the card verified. This module links and
reports status; importing, refreshing and expiring are in ``mynaportal_retrieval``.
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

from infobank.domain.mynaportal import (
    LINK_REQUEST_TTL,
    IdentityVerification,
    LinkStatus,
    MynaportalLink,
    failure_text,
)
from infobank.services import credentials, transparency
from infobank.services.context import Context
from infobank.services.mynaportal_retrieval import (
    RENEW,
    import_items,
    link_aad,
    person_data_key,
)
from infobank.services.ports.mynaportal import CardCheck, Connector, MynaportalError, TokenGrant
from infobank.services.ports.unit_of_work import UnitOfWork

log = logging.getLogger("infobank.mynaportal")

__all__ = [
    "LinkOutcome",
    "complete_link",
    "identity_claim",
    "refuse_link",
    "requested_by",
    "start_link",
    "status",
]


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


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def start_link(ctx: Context, conn: Connector, person_id: str) -> tuple[str, datetime]:
    """Begin linking: the URL to send the person to, and until when it may be used."""
    now = ctx.clock.now()
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(48)  # RFC 7636: 43–128 characters
    challenge = _b64url(hashlib.sha256(verifier.encode()).digest())
    link_id = str(uuid.uuid4())
    with ctx.uow() as uow:
        wrapped = person_data_key(uow, person_id)
        uow.mynaportal.add_link(
            MynaportalLink(
                id=link_id,
                person_id=person_id,
                state_lookup=credentials.digest(state),
                nonce=nonce,
                verifier_enc=ctx.data_keys.encrypt(
                    wrapped, person_id, verifier.encode(), link_aad(link_id, "verifier")
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
            person_data_key(uow, link.person_id),
            link.person_id,
            link.verifier_enc,
            link_aad(link.id, "verifier"),
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
    wrapped = person_data_key(uow, person_id)
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
            wrapped, person_id, grant.access_token.encode(), link_aad(link.id, "token")
        ),
        window_start=now,
        window_end=now + lifetime,
        last_fetched_at=now if data is not None else None,
        completed_at=now,
    )
    imported = import_items(ctx, conn, uow, person_id, data) if data is not None else 0
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
    with ctx.read() as uow:
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
